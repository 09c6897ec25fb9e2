// Event type names an [eventlistener:x] may subscribe to: the attributes of
// supervisor.events.EventTypes in supervisord 4.2.5. Parent types (PROCESS_STATE,
// TICK, EVENT...) subscribe to all their subtypes.
export const EVENT_NAMES = [
  'EVENT',
  'PROCESS_COMMUNICATION', 'PROCESS_COMMUNICATION_STDERR', 'PROCESS_COMMUNICATION_STDOUT',
  'PROCESS_GROUP', 'PROCESS_GROUP_ADDED', 'PROCESS_GROUP_REMOVED',
  'PROCESS_LOG', 'PROCESS_LOG_STDERR', 'PROCESS_LOG_STDOUT',
  'PROCESS_STATE', 'PROCESS_STATE_BACKOFF', 'PROCESS_STATE_EXITED', 'PROCESS_STATE_FATAL',
  'PROCESS_STATE_RUNNING', 'PROCESS_STATE_STARTING', 'PROCESS_STATE_STOPPED',
  'PROCESS_STATE_STOPPING', 'PROCESS_STATE_UNKNOWN',
  'REMOTE_COMMUNICATION',
  'SUPERVISOR_STATE_CHANGE', 'SUPERVISOR_STATE_CHANGE_RUNNING', 'SUPERVISOR_STATE_CHANGE_STOPPING',
  'TICK', 'TICK_3600', 'TICK_5', 'TICK_60',
] as const;

export type EventName = (typeof EVENT_NAMES)[number];

export function isEventName(name: string): name is EventName {
  return (EVENT_NAMES as readonly string[]).includes(name);
}

// The result handlers vigil implements (supervisord imports any Python callable).
export const RESULT_HANDLERS = ['supervisor.dispatchers:default_handler'] as const;

// The supervisor-stdout plugin's handler (pypi supervisor-stdout): a listener
// that exists only to copy PROCESS_LOG events onto supervisord's stdout, which
// vigil does natively. Its pool is recognised and not started.
export const SUPERVISOR_STDOUT_HANDLER = 'supervisor_stdout:event_handler';
