// Public entry of the config module: loadConfig, lookup, diff, errors and types.
export { loadConfig } from './load.ts';
export { findConfigPath, DEFAULT_CONFIG_PATHS } from './lookup.ts';
export { diffConfigs } from './diff.ts';
export type { ConfigDiff } from './diff.ts';
export { ConfigError, ConfigNotFoundError, formatNotice, formatProblem, formatWarning } from './errors.ts';
export { destinationLabel } from './destination.ts';
export { preflight } from './preflight.ts';
export type { ConfigProblem, ConfigWarning, SourceLocation } from './errors.ts';
export { signalNumber } from './signals.ts';
export { EVENT_NAMES } from './events.ts';
export type * from './types.ts';
