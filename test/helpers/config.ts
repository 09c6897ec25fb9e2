// Temporary directories with a config file for one test; removed afterwards.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

export function tempDir(prefix = 'vigil-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

// Writes `body` as vigil.conf in a fresh directory, with a control socket of
// its own so tests never share /run/vigil.sock. Returns the config path.
export function writeConfig(body: string, dir = tempDir()): string {
  const path = join(dir, 'vigil.conf');
  let text = body.includes('[unix_http_server]') ? body : `[unix_http_server]\nfile=${join(dir, 'vigil.sock')}\n\n${body}`;
  // supervisord refuses a config without [supervisord]; so does vigil.
  if (!text.includes('[supervisord]')) text = `[supervisord]\n${text}`;
  writeFileSync(path, text);
  return path;
}
