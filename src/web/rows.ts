// The process table: one <tr> per process, keyed by group:name, updated in
// place from the event stream (no re-render of the whole table), uptimes
// ticking from the server's clock.
import type { ProcessInfo } from '../control/api.ts';
import { describeProcess } from '../control/describe.ts';
import { displayName, fullName } from '../control/names.ts';
import { button, el, setText } from './dom.ts';
import { lastLines, reasonKey, reasonLine } from './why.ts';

export interface RowActions {
  act(verb: 'start' | 'stop' | 'restart', name: string, row: HTMLTableRowElement): void;
  tail(name: string): void;
  // The last bytes of stderr, for the reason a process is down.
  stderr(name: string): Promise<string>;
}

interface Row {
  info: ProcessInfo;
  tr: HTMLTableRowElement;
  state: HTMLElement;
  description: HTMLElement;
  why: HTMLElement;
  reason: string | undefined; // reasonKey of what `why` shows
}

export class ProcessTable {
  private readonly rows = new Map<string, Row>();
  // Server clock minus ours (ms), so uptimes agree with `vigil ctl status`.
  private skewMs = 0;
  private filterText = '';

  constructor(
    private readonly body: HTMLTableSectionElement,
    private readonly actions: RowActions,
  ) {}

  names(): string[] {
    return [...this.rows.keys()];
  }

  groups(): string[] {
    return [...new Set([...this.rows.values()].map((row) => row.info.group))].sort();
  }

  // The whole table (stream start or reconnect): rows no longer listed go.
  replaceAll(processes: readonly ProcessInfo[]): void {
    const listed = new Set(processes.map(fullName));
    this.apply(processes, [...this.rows.keys()].filter((name) => !listed.has(name)));
  }

  apply(changed: readonly ProcessInfo[], removed: readonly string[]): void {
    for (const name of removed) {
      this.rows.get(name)?.tr.remove();
      this.rows.delete(name);
    }
    let added = false;
    for (const info of changed) {
      this.skewMs = info.now * 1000 - Date.now();
      const name = fullName(info);
      const existing = this.rows.get(name);
      if (existing) this.update(existing, info);
      else {
        const row = this.create(info);
        this.rows.set(name, row);
        this.update(row, info);
        added = true;
      }
    }
    if (added) this.sort();
  }

  // Every second: running rows' uptimes, computed as the server would.
  tick(): void {
    const now = Math.floor((Date.now() + this.skewMs) / 1000);
    for (const row of this.rows.values()) {
      if (row.info.statename === 'RUNNING') setText(row.description, describeProcess({ ...row.info, now }));
    }
  }

  filter(text: string): void {
    this.filterText = text.trim().toLowerCase();
    for (const row of this.rows.values()) this.applyFilter(row);
  }

  serverNow(): number {
    return (Date.now() + this.skewMs) / 1000;
  }

  private applyFilter(row: Row): void {
    const haystack = `${displayName(fullName(row.info))} ${row.info.statename}`.toLowerCase();
    row.tr.hidden = this.filterText !== '' && !haystack.includes(this.filterText);
  }

  private sort(): void {
    const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
    const sorted = [...this.rows.values()].sort((a, b) => byName(a.info.group, b.info.group) || byName(a.info.name, b.info.name));
    for (const row of sorted) this.body.append(row.tr);
  }

  private create(info: ProcessInfo): Row {
    const name = fullName(info);
    const shown = displayName(name);
    const tr = el('tr', { role: 'row', 'data-name': name });
    const nameCell = el('th', { scope: 'row', role: 'rowheader' }, shown);
    const state = el('span', { class: 'state' });
    const stateCell = el('td', { role: 'cell' });
    stateCell.append(state);
    const description = el('span', { class: 'description' });
    const why = el('div', { class: 'why', hidden: '' });
    const descriptionCell = el('td', { role: 'cell' });
    descriptionCell.append(description, ' ', why);
    const actions = el('td', { class: 'actions', role: 'cell' });
    // Accessible names are the bare verbs; the row header names the process.
    actions.append(
      button('Start', () => this.actions.act('start', name, tr)),
      ' ',
      button('Stop', () => this.actions.act('stop', name, tr)),
      ' ',
      button('Restart', () => this.actions.act('restart', name, tr)),
      ' ',
      button('Tail', () => this.actions.tail(name)),
    );
    // Spaces between the cells: the row's text reads "web RUNNING pid 42, ..."
    // for anything that reads textContent (copy-paste, tests, extensions).
    tr.append(nameCell, ' ', stateCell, ' ', descriptionCell, ' ', actions);
    return { info, tr, state, description, why, reason: undefined };
  }

  private update(row: Row, info: ProcessInfo): void {
    row.info = info;
    setText(row.state, info.statename);
    row.state.className = `state state-${info.statename}`;
    setText(row.description, info.description);
    this.applyFilter(row);
    const key = reasonKey(info);
    if (key === row.reason) return;
    row.reason = key;
    if (key === undefined) {
      row.why.hidden = true;
      row.why.replaceChildren();
      return;
    }
    this.explain(row, info, key);
  }

  // Fetched once per new failure, not polled.
  private explain(row: Row, info: ProcessInfo, key: string): void {
    const line = reasonLine(info);
    row.why.replaceChildren(el('span', {}, line), ' ');
    row.why.hidden = line === '';
    this.actions
      .stderr(fullName(info))
      .then((text) => {
        if (row.reason !== key) return; // superseded meanwhile
        const lines = lastLines(text, 6);
        if (lines.length === 0) return;
        row.why.append(el('pre', { 'aria-label': `last stderr lines of ${displayName(fullName(info))}` }, lines.join('\n')));
        row.why.hidden = false;
      })
      .catch(() => undefined); // the reason line alone will do
  }
}
