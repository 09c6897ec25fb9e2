// Shared helpers for the config tests: temp config files and captured output.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

// Writes `files` (relative path -> text) into a fresh temp directory; returns its path.
export function writeConfigFiles(files: Record<string, string>): string {
  const directory = mkdtempSync(join(tmpdir(), 'vigil-config-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(directory, name)), { recursive: true });
    writeFileSync(join(directory, name), text);
  }
  return directory;
}

// Writes one config (with an empty [supervisord] prepended unless `bare`); returns its path.
export function writeConfig(text: string, bare = false): string {
  const directory = writeConfigFiles({ 'test.conf': bare ? text : `[supervisord]\n${text}` });
  return join(directory, 'test.conf');
}

export function captureOutput(): { stdout: string[]; stderr: string[]; out: { stdout: (s: string) => void; stderr: (s: string) => void } } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: { stdout: (s) => void stdout.push(s), stderr: (s) => void stderr.push(s) } };
}
