// loadConfig: reads a supervisord-format config and its includes, resolves every
// section, and either returns the read-only ResolvedConfig with its warnings or
// throws one ConfigError listing every problem found.
import { hostname } from 'node:os';
import { checkDependencies } from './dependency-graph.ts';
import { ConfigError, Diagnostics } from './errors.ts';
import type { Expansions } from './expand.ts';
import { resolveGroups } from './groups.ts';
import { readConfigTree } from './include.ts';
import type { SectionFilter } from './include.ts';
import type { ConfigTree } from './include.ts';
import type { IniDocument } from './ini.ts';
import { anyKnownKey, closestKey, knownKeys, sectionKind } from './keys.ts';
import {
  resolveInetHttpServer, resolvePlugins, resolveSupervisorctl, resolveUnixHttpServer,
} from './servers.ts';
import type { ServerContext } from './servers.ts';
import { resolveSupervisord } from './supervisord-section.ts';
import type { InetHttpServerConfig, LoadResult, ResolvedConfig, SupervisordConfig, UnixHttpServerConfig } from './types.ts';
import { SectionReader } from './values.ts';
import { runAs } from './run-as.ts';
import { SUPERVISOR_STDOUT_HANDLER } from './events.ts';

// ENV_X for every variable of `env` (Options.__init__'s environ_expansions).
export function environmentNames(env: NodeJS.ProcessEnv | Readonly<Record<string, string>>): Record<string, string> {
  const names: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) names[`ENV_${key}`] = value;
  return names;
}

function warnUnknown(doc: IniDocument, diag: Diagnostics): void {
  for (const entry of doc.defaults.values()) {
    if (!anyKnownKey(entry.key)) diag.warn(entry, 'DEFAULT', entry.key, 'unknown key, ignored');
  }
  for (const section of doc.sections.values()) {
    const kind = sectionKind(section.name);
    if (kind === undefined) {
      diag.warn(section, section.name, '', 'unknown section, ignored (supervisord ignores it too)');
      continue;
    }
    const known = knownKeys(kind);
    if (known === undefined) continue;
    for (const entry of section.entries.values()) {
      const fromDefaults = doc.defaults.get(entry.key);
      if (fromDefaults !== undefined && fromDefaults.file === entry.file && fromDefaults.line === entry.line) continue;
      if (!known.includes(entry.key)) {
        const guess = closestKey(entry.key, known);
        const hint = guess === undefined ? `not a [${kind}] key` : `did you mean ${guess}?`;
        diag.warn(entry, section.name, entry.key, `unknown key, ignored; ${hint}`);
      }
    }
  }
}

// A program whose user= cannot be honoured under [supervisord] user= runs
// nowhere (supervisord fails it at spawn): say so at load, with file:line.
function warnRunAs(config: ResolvedConfig, diag: Diagnostics): void {
  for (const group of config.groups) {
    for (const process of group.processes) {
      const { refusal } = runAs(config.supervisord, process);
      if (refusal === null) continue;
      const section = `${process.kind}:${process.program_name}`;
      diag.warn(process.source, section, 'user', `${refusal}; this program will be FATAL, the others run`);
    }
  }
}

// The supervisor-stdout listener is not started (see SUPERVISOR_STDOUT_HANDLER).
function noteNativeListeners(config: ResolvedConfig, diag: Diagnostics): void {
  for (const group of config.groups) {
    if (group.eventlistener?.result_handler !== SUPERVISOR_STDOUT_HANDLER) continue;
    diag.notice(
      group.source,
      `eventlistener:${group.name}`,
      'result_handler',
      `${SUPERVISOR_STDOUT_HANDLER} (the supervisor-stdout plugin) only copies program output to supervisord's stdout, ` +
        'which vigil does itself: this listener is not started',
    );
  }
}

// The URL programs get as SUPERVISOR_SERVER_URL when they set none (ServerOptions.realize):
// the unix socket if any, else the inet server.
function fallbackServerUrl(unix: UnixHttpServerConfig | null, inet: InetHttpServerConfig | null): string | null {
  if (unix !== null) return `unix://${unix.file}`;
  if (inet !== null) return `http://${inet.host === '' ? 'localhost' : inet.host}:${inet.port}`;
  return null;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

// What every reader of a config needs before the sections it cares about: the
// files (includes read), the [supervisord] section, and the context the other
// sections are resolved in. Shared by loadConfig and `vigil ctl`'s reader
// (src/ctl/ctl-config.ts), which resolves only the server sections.
export interface ConfigHead {
  readonly tree: ConfigTree;
  readonly diag: Diagnostics;
  readonly hostNodeName: string;
  readonly supervisord: SupervisordConfig;
  readonly context: ServerContext;
}

// Throws ConfigError when the files cannot be read; every other problem is in
// `diag`. `warnUnknownKeys`: warn about keys and sections supervisord does not
// know (loadConfig; ctl skips it).
export function readConfigHead(path: string, env: NodeJS.ProcessEnv, warnUnknownKeys: boolean, only?: SectionFilter): ConfigHead {
  const diag = new Diagnostics();
  const hostNodeName = hostname();
  const osNames = environmentNames(env);
  const tree = readConfigTree(path, { ...osNames, host_node_name: hostNodeName }, diag, only);
  if (tree === undefined) throw new ConfigError(diag.problems);
  const { doc, here } = tree;
  if (warnUnknownKeys) warnUnknown(doc, diag);

  const supervisordSection = doc.sections.get('supervisord');
  if (supervisordSection === undefined) {
    diag.error({ file: tree.file, line: 0 }, 'supervisord', '', '', 'the config has no [supervisord] section (supervisord requires one; an empty one will do)');
  }
  const header = supervisordSection ?? { file: tree.file, line: 0 };
  const baseNames: Expansions = { ...osNames, here };
  const supervisord = resolveSupervisord(new SectionReader(doc, 'supervisord', diag, header), baseNames, hostNodeName, env);
  // From here on ENV_ names include [supervisord] environment (read_config extends
  // environ_expansions with it before reading any other section).
  const envNames = { ...osNames, ...environmentNames(supervisord.environment) };
  return { tree, diag, hostNodeName, supervisord, context: { doc, diag, env, envNames, here } };
}

// Reads and resolves the config at `path`; throws ConfigError with every problem.
export function loadConfig(path: string, env: NodeJS.ProcessEnv = process.env): LoadResult {
  const { tree, diag, hostNodeName, supervisord, context: serverContext } = readConfigHead(path, env, true);
  const { doc, here, envNames } = serverContext;
  const rpcinterfaces = resolvePlugins(serverContext, 'rpcinterface:');
  const groups = resolveGroups({ doc, diag, env, envNames, here, hostNodeName, supervisord }, { ...envNames, here });
  checkDependencies(groups, diag);
  const unixHttpServer = resolveUnixHttpServer(serverContext);
  const inetHttpServer = resolveInetHttpServer(serverContext);
  const config: ResolvedConfig = {
    file: tree.file,
    files: tree.files,
    here,
    supervisord,
    unix_http_server: unixHttpServer,
    inet_http_server: inetHttpServer,
    supervisorctl: resolveSupervisorctl(serverContext),
    serverurl: fallbackServerUrl(unixHttpServer, inetHttpServer),
    rpcinterfaces,
    ctlplugins: resolvePlugins(serverContext, 'ctlplugin:'),
    groups,
  };
  warnRunAs(config, diag);
  noteNativeListeners(config, diag);
  if (diag.problems.length > 0) throw new ConfigError(diag.problems, diag.warnings);
  return { config: deepFreeze(config), warnings: diag.warnings, notices: diag.notices };
}
