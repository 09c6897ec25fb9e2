// The tail panel: a process's recent output, then its live output (the
// server's follow stream), stdout or stderr; plus the actions that belong to
// one process beyond the row's buttons (signal, clear log).
import { displayName } from '../control/names.ts';
import { byId } from './dom.ts';

const BACKLOG_BYTES = 8192; // what the panel starts with
const KEEP_CHARS = 64 * 1024; // what it keeps: memory stays bounded

export class TailPanel {
  readonly section = byId<HTMLElement>('tail');
  private readonly title = byId<HTMLElement>('tail-title');
  private readonly output = byId<HTMLPreElement>('tail-output');
  readonly channel = byId<HTMLSelectElement>('tail-channel');
  private abort: AbortController | undefined;
  current: string | undefined; // group:name

  constructor() {
    this.channel.addEventListener('change', () => {
      if (this.current !== undefined) this.open(this.current);
    });
    byId('tail-close').addEventListener('click', () => this.close());
    this.section.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') this.close();
    });
  }

  open(name: string): void {
    this.stop();
    this.current = name;
    const channel = this.channel.value === 'stderr' ? 'stderr' : 'stdout';
    this.title.textContent = `Tail of ${displayName(name)} (${channel})`;
    this.output.textContent = '';
    this.section.hidden = false;
    this.section.scrollIntoView({ block: 'nearest' });
    this.output.focus();
    const abort = new AbortController();
    this.abort = abort;
    const query = new URLSearchParams({ name, channel, follow: '1', bytes: String(BACKLOG_BYTES) });
    void this.follow(`tail?${query}`, abort.signal);
  }

  close(): void {
    this.stop();
    this.current = undefined;
    this.section.hidden = true;
  }

  clearShown(): void {
    this.output.textContent = '';
  }

  private stop(): void {
    this.abort?.abort();
    this.abort = undefined;
  }

  private async follow(url: string, signal: AbortSignal): Promise<void> {
    try {
      const response = await fetch(url, { signal, cache: 'no-store' });
      if (!response.ok || !response.body) {
        const text = await response.text();
        this.append(`[tail failed: HTTP ${response.status} ${text.trim()}]\n`);
        return;
      }
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        this.append(decoder.decode(value, { stream: true }));
      }
      this.append('\n[end of stream]\n');
    } catch (error) {
      if (!signal.aborted) this.append(`\n[tail stopped: ${(error as Error).message}]\n`);
    }
  }

  private append(text: string): void {
    const pinned = this.output.scrollTop + this.output.clientHeight >= this.output.scrollHeight - 4;
    const next = (this.output.textContent ?? '') + text;
    this.output.textContent = next.length > KEEP_CHARS ? next.slice(next.length - KEEP_CHARS) : next;
    if (pinned) this.output.scrollTop = this.output.scrollHeight;
  }
}
