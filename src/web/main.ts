// vigil's web page: a live table of processes with their actions. Loaded as
// /app.js (the CSP allows no inline script). State arrives pushed over
// /events; the page never polls.
import type { ConfigChanges } from '../control/api.ts';
import { formatUptime } from '../control/describe.ts';
import { displayName } from '../control/names.ts';
import type { ChangesBody, ChangesEvent, StatusEvent, TailBody, VersionBody } from '../control/protocol.ts';
import { ApiError, failures, getJson, postJson } from './api.ts';
import { byId, el, setText } from './dom.ts';
import { ProcessTable } from './rows.ts';
import { TailPanel } from './tail.ts';

const message = byId<HTMLElement>('message');
const connection = byId<HTMLElement>('connection');
const groupSelect = byId<HTMLSelectElement>('group');
const tailPanel = new TailPanel();

function say(text: string, isError = false): void {
  message.textContent = text;
  message.classList.toggle('error', isError);
}

function describeError(error: unknown): string {
  if (error instanceof ApiError) return `${error.fault}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

type Verb = 'start' | 'stop' | 'restart';
const DONE: Record<Verb, string> = { start: 'started', stop: 'stopped', restart: 'restarted' };
const DOING: Record<Verb, string> = { start: 'starting', stop: 'stopping', restart: 'restarting' };

// One action on some names; the table itself changes through the stream.
async function act(verb: Verb, names: string[], label: string, busy?: HTMLElement): Promise<void> {
  busy?.setAttribute('aria-busy', 'true');
  say(`${label}: ${DOING[verb]}…`);
  try {
    const several = names.length > 1 || names.some((name) => name === 'all' || name.endsWith(':*'));
    const body = await postJson<Parameters<typeof failures>[0]>(verb, { names });
    const failed = failures(body, several);
    if (failed.length === 0) say(`${label}: ${DONE[verb]}`);
    else say(failed.map((f) => `${displayName(f.name)}: ${f.fault} ${f.message === f.name ? '' : f.message}`.trim()).join('; '), true);
  } catch (error) {
    say(`${label}: ${describeError(error)}`, true);
  } finally {
    busy?.removeAttribute('aria-busy');
  }
}

const table = new ProcessTable(byId<HTMLTableSectionElement>('rows'), {
  act: (verb, name, row) => void act(verb, [name], displayName(name), row),
  tail: (name) => tailPanel.open(name),
  stderr: async (name) => {
    const query = new URLSearchParams({ name, channel: 'stderr', bytes: '2048' });
    return (await getJson<TailBody>(`tail?${query}`)).data;
  },
});

function refreshCounts(): void {
  setText(byId('count'), `(${table.names().length})`);
  const groups = table.groups();
  const current = groupSelect.value;
  const options = [...groupSelect.options].map((option) => option.value);
  if (options.join('\n') === groups.join('\n')) return;
  groupSelect.replaceChildren(...groups.map((group) => el('option', { value: group }, group)));
  if (groups.includes(current)) groupSelect.value = current;
}

// The push stream. EventSource reconnects by itself; every (re)connect
// starts with the whole table, so nothing missed while away stays stale.
function connect(): void {
  const source = new EventSource('events');
  source.addEventListener('open', () => {
    connection.textContent = 'live';
    connection.className = 'connection live';
  });
  source.addEventListener('error', () => {
    connection.textContent = source.readyState === EventSource.CLOSED ? 'disconnected: reload the page' : 'reconnecting…';
    connection.className = 'connection down';
  });
  source.addEventListener('status', (event) => {
    table.replaceAll((JSON.parse((event as MessageEvent<string>).data) as StatusEvent).processes);
    refreshCounts();
  });
  source.addEventListener('changes', (event) => {
    const diff = JSON.parse((event as MessageEvent<string>).data) as ChangesEvent;
    table.apply(diff.changed, diff.removed);
    if (diff.removed.length > 0 || diff.changed.length > 0) refreshCounts();
    if (tailPanel.current !== undefined && diff.removed.includes(tailPanel.current)) tailPanel.close();
  });
}

// vigil's own version, pid and uptime (ticking with the table's clock).
let vigilStarted: number | undefined;
async function loadVersion(): Promise<void> {
  try {
    const body = await getJson<VersionBody>('version');
    setText(byId('version'), body.version);
    setText(byId('vigil-pid'), String(body.pid));
    vigilStarted = body.started;
  } catch (error) {
    say(`version: ${describeError(error)}`, true);
  }
}

function tick(): void {
  table.tick();
  if (vigilStarted !== undefined) setText(byId('vigil-uptime'), formatUptime(table.serverNow() - vigilStarted));
}

function onClick(id: string, handler: () => void): void {
  byId(id).addEventListener('click', handler);
}

function wireToolbar(): void {
  onClick('start-all', () => void act('start', ['all'], 'all'));
  onClick('stop-all', () => void act('stop', ['all'], 'all'));
  onClick('restart-all', () => void act('restart', ['all'], 'all'));
  const group = (verb: Verb) => () => {
    if (groupSelect.value) void act(verb, [`${groupSelect.value}:*`], `group ${groupSelect.value}`);
  };
  onClick('group-start', group('start'));
  onClick('group-stop', group('stop'));
  onClick('group-restart', group('restart'));
  byId<HTMLInputElement>('filter').addEventListener('input', (event) => table.filter((event.target as HTMLInputElement).value));
  onClick('send-signal', () => {
    const name = tailPanel.current;
    const signal = byId<HTMLSelectElement>('signal-name').value;
    if (name !== undefined) void simpleAction('signal', { signal, names: [name] }, `${displayName(name)}: signal ${signal}`);
  });
  onClick('clear-log', () => {
    const name = tailPanel.current;
    if (name === undefined) return;
    void simpleAction('clear', { names: [name] }, `${displayName(name)}: log cleared`).then(() => tailPanel.clearShown());
  });
  wireConfigChanges();
}

async function simpleAction(path: string, body: object, done: string): Promise<void> {
  try {
    const failed = failures(await postJson(path, body), false);
    if (failed.length === 0) say(done);
    else say(failed.map((f) => `${displayName(f.name)}: ${f.fault} ${f.message}`).join('; '), true);
  } catch (error) {
    say(describeError(error), true);
  }
}

// supervisorctl reread + update: show the diff, apply on request.
function wireConfigChanges(): void {
  const panel = byId<HTMLElement>('changes');
  const list = byId<HTMLUListElement>('changes-list');
  const show = (changes: ConfigChanges): void => {
    const items = (['added', 'changed', 'removed'] as const).flatMap((kind) => changes[kind].map((group) => el('li', {}, `${group}: ${kind}`)));
    list.replaceChildren(...(items.length > 0 ? items : [el('li', {}, 'No changes')]));
    byId<HTMLButtonElement>('apply-update').hidden = items.length === 0;
    panel.hidden = false;
  };
  onClick('reread', () => {
    postJson<ChangesBody>('reread')
      .then((body) => show(body.changes))
      .catch((error: unknown) => say(`reread: ${describeError(error)}`, true));
  });
  onClick('apply-update', () => {
    say('applying the configuration…');
    postJson<ChangesBody>('update', {})
      .then((body) => {
        const { added, changed, removed } = body.changes;
        say(`update: ${added.length} added, ${changed.length} changed, ${removed.length} removed`);
        panel.hidden = true;
      })
      .catch((error: unknown) => say(`update: ${describeError(error)}`, true));
  });
  onClick('changes-close', () => (panel.hidden = true));
}

wireToolbar();
connect();
void loadVersion();
setInterval(tick, 1000);
