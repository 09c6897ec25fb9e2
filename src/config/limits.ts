// What one config may ask of vigil. supervisord has no such bounds: its
// `numprocs=1000000` builds a million process configs and runs out of memory
// with no message. A config must never make PID 1 hang or balloon, so past
// these it gets an error naming the key and the limit. Each is far above any
// real config (the largest in the held-out corpus of public configs has
// numprocs=64 and 40 included files).

// Processes one [program:x] / [eventlistener:x] may expand to.
export const MAX_NUMPROCS = 10_000;
// numprocs_start, so process_num stays a small non-negative integer.
export const MAX_NUMPROCS_START = 1_000_000;
// Bytes of one config file (the main one or an included one).
export const MAX_CONFIG_FILE_BYTES = 16 * 1024 * 1024;
// Files [include] files= may pull in, all patterns together.
export const MAX_INCLUDED_FILES = 10_000;
