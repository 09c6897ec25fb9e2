// Builds the process groups as ServerOptions.process_groups_from_parser does:
// [group:x] sections first (their programs leave the implicit per-program groups),
// then the remaining [program:x], then [eventlistener:x] pools; finally sorted by
// (priority, name). [fcgi-program:x] is refused: vigil does not open FastCGI sockets.
import { boolean, integer, listOfStrings, processOrGroupName } from './converters.ts';
import type { Expansions } from './expand.ts';
import { isEventName, RESULT_HANDLERS, SUPERVISOR_STDOUT_HANDLER } from './events.ts';
import type { EventName } from './events.ts';
import { resolveProcesses, sortByPriorityThenName } from './programs.ts';
import type { ProgramContext } from './programs.ts';
import type { EventListenerPoolSettings, ProcessConfig, ProcessGroupConfig } from './types.ts';
import { SectionReader } from './values.ts';

function refuseFcgi(ctx: ProgramContext, sectionName: string): void {
  const section = ctx.doc.sections.get(sectionName);
  if (section === undefined) return;
  ctx.diag.error(
    section,
    sectionName,
    '',
    sectionName,
    `[${sectionName}] is not supported: vigil does not manage FastCGI sockets; run the program as a [program:x] that opens its own socket`,
  );
}

function readPool(reader: SectionReader, names: Expansions): EventListenerPoolSettings | undefined {
  const options = { names };
  const bufferSize = reader.get('buffer_size', 10, integer, options);
  if (bufferSize !== undefined && bufferSize < 1) {
    reader.error('buffer_size', String(bufferSize), `buffer_size must be at least 1, got ${bufferSize}`);
  }
  const handler = reader.text('result_handler', RESULT_HANDLERS[0], options);
  const known = [...RESULT_HANDLERS, SUPERVISOR_STDOUT_HANDLER] as readonly string[];
  if (handler !== undefined && handler !== null && !known.includes(handler.trim())) {
    reader.error('result_handler', handler, `vigil cannot load Python result handlers; expected ${RESULT_HANDLERS.join(' or ')} (the default)`);
  }
  const eventsText = reader.text('events', '', options);
  const events: EventName[] = [];
  for (const name of listOfStrings(eventsText ?? '').map((item) => item.toUpperCase())) {
    if (!isEventName(name)) {
      reader.error('events', eventsText ?? '', `unknown event type ${name}; expected supervisord event names such as PROCESS_STATE, PROCESS_STATE_FATAL, TICK_60`);
    } else if (!events.includes(name)) events.push(name);
  }
  if (eventsText === '') reader.error('events', '', `[${reader.section}] needs an events= line, e.g. events=PROCESS_STATE`);
  if (reader.get('redirect_stderr', false, boolean, options) === true) {
    reader.error('redirect_stderr', reader.entry('redirect_stderr')?.value ?? '', 'cannot be true for an event listener: stderr mixed into stdout would break the event listener protocol');
  }
  if (bufferSize === undefined || handler === undefined || handler === null) return undefined;
  return { buffer_size: bufferSize, events, result_handler: handler.trim() };
}

// `names` holds here and ENV_* (what supervisord lets group-level keys use).
export function resolveGroups(ctx: ProgramContext, names: Expansions): ProcessGroupConfig[] {
  const sectionNames = [...ctx.doc.sections.keys()];
  const groups: ProcessGroupConfig[] = [];
  const claimed = new Set<string>();
  const reader = (name: string): SectionReader =>
    new SectionReader(ctx.doc, name, ctx.diag, ctx.doc.sections.get(name) as { file: string; line: number });

  for (const sectionName of sectionNames.filter((name) => name.startsWith('group:'))) {
    const groupReader = reader(sectionName);
    const groupName = groupReader.convert('', sectionName.slice('group:'.length), processOrGroupName);
    const programsText = groupReader.text('programs', '', { names });
    const priority = groupReader.get('priority', 999, integer, { names }) ?? 999;
    const processes: ProcessConfig[] = [];
    for (const program of listOfStrings(programsText ?? '')) {
      const programSection = `program:${program}`;
      const fcgiSection = `fcgi-program:${program}`;
      if (ctx.doc.sections.has(fcgiSection)) {
        claimed.add(fcgiSection);
        refuseFcgi(ctx, fcgiSection);
      } else if (!ctx.doc.sections.has(programSection)) {
        groupReader.error('programs', programsText ?? '', `names unknown program '${program}'; expected names of [program:x] sections`);
      } else if (groupName !== undefined) {
        claimed.add(programSection);
        processes.push(...resolveProcesses(ctx, programSection, groupName, 'program'));
      }
    }
    if (groupName === undefined) continue;
    const source = ctx.doc.sections.get(sectionName) as { file: string; line: number };
    groups.push({ name: groupName, priority, processes, eventlistener: null, source: { file: source.file, line: source.line } });
  }

  for (const sectionName of sectionNames.filter((name) => name.startsWith('program:') && !claimed.has(name))) {
    const programReader = reader(sectionName);
    const name = programReader.convert('', sectionName.slice('program:'.length), processOrGroupName);
    const priority = programReader.get('priority', 999, integer, { names }) ?? 999;
    if (name === undefined) continue;
    const source = ctx.doc.sections.get(sectionName) as { file: string; line: number };
    const processes = resolveProcesses(ctx, sectionName, name, 'program');
    groups.push({ name, priority, processes, eventlistener: null, source: { file: source.file, line: source.line } });
  }

  for (const sectionName of sectionNames.filter((name) => name.startsWith('eventlistener:'))) {
    const poolReader = reader(sectionName);
    const name = sectionName.slice('eventlistener:'.length);
    // Listeners default to priority -1: started first, stopped last.
    const priority = poolReader.get('priority', -1, integer, { names }) ?? -1;
    const pool = readPool(poolReader, names);
    const processes = resolveProcesses(ctx, sectionName, name, 'eventlistener');
    if (pool === undefined) continue;
    const source = ctx.doc.sections.get(sectionName) as { file: string; line: number };
    groups.push({ name, priority, processes, eventlistener: pool, source: { file: source.file, line: source.line } });
  }

  for (const sectionName of sectionNames.filter((name) => name.startsWith('fcgi-program:') && !claimed.has(name))) {
    refuseFcgi(ctx, sectionName);
  }

  const seen = new Map<string, ProcessGroupConfig>();
  for (const group of groups) {
    const earlier = seen.get(group.name);
    if (earlier !== undefined) {
      ctx.diag.warn(group.source, '', '', `group name '${group.name}' is also used at ${earlier.source.file}:${earlier.source.line}; supervisord runs only one group of a name; rename one`);
    } else seen.set(group.name, group);
  }
  return sortByPriorityThenName(groups);
}
