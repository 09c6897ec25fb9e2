// Shutdown order with dependencies: a program stops before the programs it
// depends on; among those free to stop, the highest priority first (then the
// whole level at once, as before). Pure: the supervisor awaits each wave.

// The next processes to stop, out of those still running. `dependsOn` gives
// the processes (among any) that one depends on.
export function nextStopWave<T>(remaining: readonly T[], priorityOf: (item: T) => number, dependsOn: (item: T) => readonly T[]): T[] {
  if (remaining.length === 0) return [];
  const left = new Set(remaining);
  const needed = new Set<T>();
  for (const item of remaining) {
    for (const target of dependsOn(item)) if (target !== item && left.has(target)) needed.add(target);
  }
  // Everything is needed by something only when the dependencies loop (a
  // cycle slipped past the config check): fall back to priority alone.
  const free = remaining.filter((item) => !needed.has(item));
  const candidates = free.length > 0 ? free : remaining;
  const top = Math.max(...candidates.map(priorityOf));
  return candidates.filter((item) => priorityOf(item) === top);
}
