// What a reread found: group names by what happened to them (supervisorctl
// reread's `added` / `changed` / `removed` lines). Depends on nothing.
export interface ConfigChanges {
  added: string[];
  changed: string[];
  removed: string[];
}
