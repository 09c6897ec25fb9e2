// Who a process runs as once [supervisord] user= is taken into account.
// supervisord, started as root with user=X, drops its own privileges to X
// right after reading the config (options.set_uid_or_exit), so every program
// runs as X, and a program with user=Y (Y not X) fails in the child: X can
// no longer setuid (drop_privileges: "Can't drop privilege as nonroot user").
// vigil must stay root as PID 1 (to reap, to stop leftovers, to set each
// program's user), so it applies the same outcome per program instead.
import type { ProcessConfig, ResolvedUser, SupervisordConfig } from './types.ts';

export interface RunAs {
  readonly user: ResolvedUser | null; // null: vigil's own user
  // supervisord's spawn error for this program, or null when it may run.
  readonly refusal: string | null;
}

export function runAs(supervisord: Pick<SupervisordConfig, 'user'>, process: Pick<ProcessConfig, 'user'>): RunAs {
  const daemonUser = supervisord.user;
  const own = process.user;
  // user=root (uid 0): supervisord keeps root and any program user= works.
  if (daemonUser === null || daemonUser.uid === 0) return { user: own, refusal: null };
  if (own === null || own.uid === daemonUser.uid) return { user: daemonUser, refusal: null };
  return {
    user: own,
    refusal: `couldn't setuid to ${own.uid}: Can't drop privilege as nonroot user ([supervisord] user=${daemonUser.name}, so only user=${daemonUser.name} can run)`,
  };
}
