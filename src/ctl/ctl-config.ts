// The few settings `vigil ctl` needs from the config: [supervisorctl]
// serverurl/username/password and [unix_http_server] file. Read with the
// config module's own pieces (includes, %(here)s, %(ENV_X)s, the [supervisord]
// environment), so the values are exactly those the daemon resolves, but
// without resolving [program:x] and friends, for two reasons:
// - a broken program section must not stop ctl from reaching the daemon:
//   after editing the config, `vigil ctl reread` has to show the server's
//   CANT_REREAD answer (supervisorctl also reads only its own sections);
// - it is the latency of `docker exec app vigil ctl status`: resolving 100
//   programs cost ~18 ms of a ~125 ms run (node --cpu-prof).
import { ConfigError } from '../config/errors.ts';
import { readConfigHead } from '../config/load.ts';
import { resolveSupervisorctl, resolveUnixHttpServer } from '../config/servers.ts';
import type { SupervisorctlConfig, UnixHttpServerConfig } from '../config/types.ts';

export interface CtlConfig {
  readonly supervisorctl: SupervisorctlConfig;
  readonly unix_http_server: UnixHttpServerConfig | null;
}

// Sections whose problems stop ctl; '' = the file itself (unreadable, bad include).
const CTL_SECTIONS: ReadonlySet<string> = new Set(['', 'supervisorctl', 'unix_http_server']);
// The sections ctl reads at all ([include] always is): [supervisord] for its
// environment= (%(ENV_X)s); the rest are only scanned for section headers.
const READ_SECTIONS: ReadonlySet<string> = new Set(['supervisord', 'supervisorctl', 'unix_http_server']);

// The config's head (files, [supervisord], the expansion context) as loadConfig
// reads it, then only the server sections; throws ConfigError only for
// problems in the sections above.
export function readCtlConfig(path: string, env: NodeJS.ProcessEnv): CtlConfig {
  const { diag, context } = readConfigHead(path, env, false, (section) => READ_SECTIONS.has(section));
  const config: CtlConfig = {
    supervisorctl: resolveSupervisorctl(context),
    unix_http_server: resolveUnixHttpServer(context),
  };
  const problems = diag.problems.filter((problem) => CTL_SECTIONS.has(problem.section.replace(/:.*$/, '')));
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
