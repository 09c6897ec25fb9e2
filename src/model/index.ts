// vigil's process model: state names and codes, the allowed transitions,
// supervisord's faults, exit statuses and the signal table. Like supervisord's
// states.py, this folder depends on nothing of vigil's: the supervisor, the
// control faces, the ctl client, init mode and the config all import it, and
// it imports none of them (test/unit/model/leaf.test.ts checks that).
export * from './exit-status.ts';
export * from './config-changes.ts';
export * from './faults.ts';
export * from './health.ts';
export * from './namespec.ts';
export * from './signals.ts';
export * from './states.ts';
