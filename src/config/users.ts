// User and group lookups for `user=` and `chown=` (datatypes.name_to_uid,
// name_to_gid, gid_for_uid). Node has no getpwnam, so this reads /etc/passwd and
// /etc/group, which is what NSS returns in containers.
import { readFileSync } from 'node:fs';
import { ValueProblem } from './errors.ts';
import { parsePyInt } from './converters.ts';

export interface PasswdEntry {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
  readonly home: string;
}

function readTable(path: string): string[][] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => line.split(':'));
}

export function passwdEntries(path = '/etc/passwd'): PasswdEntry[] {
  return readTable(path)
    .filter((fields) => fields.length >= 7)
    .map((fields) => ({
      name: fields[0] as string,
      uid: Number(fields[2]),
      gid: Number(fields[3]),
      home: fields[5] as string,
    }));
}

// name_to_uid: a number must be a known uid; a name must be a known user.
export function lookupUser(text: string, path = '/etc/passwd'): PasswdEntry {
  const entries = passwdEntries(path);
  const number = parsePyInt(text);
  if (number !== undefined) {
    const entry = entries.find((candidate) => candidate.uid === number);
    if (entry === undefined) throw new ValueProblem(`invalid user id ${text}: no such uid in ${path}`);
    return entry;
  }
  const entry = entries.find((candidate) => candidate.name === text);
  if (entry === undefined) throw new ValueProblem(`invalid user name ${text}: no such user in ${path}`);
  return entry;
}

// name_to_gid: a number must be a known gid; a name must be a known group.
export function lookupGroup(text: string, path = '/etc/group'): number {
  const groups = readTable(path).filter((fields) => fields.length >= 3);
  const number = parsePyInt(text);
  const match = groups.find((fields) =>
    number !== undefined ? Number(fields[2]) === number : fields[0] === text,
  );
  if (match === undefined) throw new ValueProblem(`invalid group ${text}: no such group in ${path}`);
  return Number(match[2]);
}

// colon_separated_user_group: `user` or `user:group` to (uid, gid); gid -1 when absent.
export function userAndGroup(text: string): { uid: number; gid: number } {
  const colon = text.indexOf(':');
  if (colon === -1) return { uid: lookupUser(text).uid, gid: -1 };
  return { uid: lookupUser(text.slice(0, colon)).uid, gid: lookupGroup(text.slice(colon + 1)) };
}
