// [unix_http_server], [inet_http_server], [supervisorctl], [rpcinterface:x] and
// [ctlplugin:x], resolved as ServerOptions.server_configs_from_parser,
// ClientOptions.read_config and Options.get_plugins do. Of these only
// [unix_http_server] file= may use %(here)s; all may use %(ENV_X)s.
import { boolean, inetAddress, octal } from './converters.ts';
import type { Diagnostics } from './errors.ts';
import type { Expansions } from './expand.ts';
import type { IniDocument } from './ini.ts';
import { normalizePath } from './paths.ts';
import type {
  InetHttpServerConfig, PluginConfig, SupervisorctlConfig, UnixHttpServerConfig,
} from './types.ts';
import { userAndGroup } from './users.ts';
import { SectionReader } from './values.ts';

export interface ServerContext {
  readonly doc: IniDocument;
  readonly diag: Diagnostics;
  readonly env: NodeJS.ProcessEnv;
  readonly envNames: Expansions;
  readonly here: string;
}

function readers(ctx: ServerContext, prefix: string): SectionReader[] {
  return [...ctx.doc.sections.values()]
    .filter((section) => section.name.startsWith(prefix))
    .map((section) => new SectionReader(ctx.doc, section.name, ctx.diag, section));
}

// Both or neither: supervisord refuses half a credential.
function credentials(reader: SectionReader, names: Expansions): { username: string | null; password: string | null } {
  const username = reader.text('username', null, { names }) ?? null;
  const password = reader.text('password', null, { names }) ?? null;
  if ((username === null) !== (password === null)) {
    const missing = username === null ? 'username' : 'password';
    reader.error(missing, '', `[${reader.section}] sets only one of username and password; set both or neither`);
  }
  return { username, password };
}

// supervisord serves every such section; vigil serves one of each and warns about the rest.
function firstOnly<T>(items: T[], all: SectionReader[]): T | null {
  for (const extra of all.slice(1)) extra.warn('', `only the first [${all[0]?.section}] is used; this one is ignored`);
  return items[0] ?? null;
}

export function resolveUnixHttpServer(ctx: ServerContext): UnixHttpServerConfig | null {
  const all = readers(ctx, 'unix_http_server');
  const names = ctx.envNames;
  const configs: UnixHttpServerConfig[] = [];
  for (const reader of all) {
    const file = reader.text('file', null, { names: { ...names, here: ctx.here } });
    if (file === null) reader.error('file', '', `[${reader.section}] has no file= line; expected e.g. file=/run/vigil.sock`);
    const chmodText = reader.text('chmod', null, { names });
    const chownText = reader.text('chown', null, { names });
    const chmod = chmodText === null ? 0o700 : chmodText === undefined ? undefined : reader.convert('chmod', chmodText, octal);
    const chown = chownText === null ? { uid: -1, gid: -1 } : chownText === undefined ? undefined : reader.convert('chown', chownText, userAndGroup);
    const auth = credentials(reader, names);
    if (file === null || file === undefined || chmod === undefined || chown === undefined) continue;
    configs.push({ section: reader.section, file: normalizePath(file.trim(), ctx.env), chmod, chown, ...auth });
  }
  return firstOnly(configs, all);
}

export function resolveInetHttpServer(ctx: ServerContext): InetHttpServerConfig | null {
  const all = readers(ctx, 'inet_http_server');
  const configs: InetHttpServerConfig[] = [];
  for (const reader of all) {
    const auth = credentials(reader, ctx.envNames);
    const port = reader.text('port', null, { names: ctx.envNames });
    if (port === null) reader.error('port', '', `[${reader.section}] has no port= line; expected e.g. port=127.0.0.1:9001`);
    const address = typeof port === 'string' ? reader.convert('port', port, inetAddress) : undefined;
    const allowUnauthenticated = reader.get('allow_unauthenticated', false, boolean, { names: ctx.envNames }) ?? false;
    if (address !== undefined) {
      configs.push({ section: reader.section, ...address, ...auth, allow_unauthenticated: allowUnauthenticated });
    }
  }
  return firstOnly(configs, all);
}

export function resolveSupervisorctl(ctx: ServerContext): SupervisorctlConfig {
  const section = ctx.doc.sections.get('supervisorctl');
  const fallback: SupervisorctlConfig = { serverurl: null, username: null, password: null, prompt: 'supervisor', history_file: null };
  if (section === undefined) return fallback;
  const reader = new SectionReader(ctx.doc, 'supervisorctl', ctx.diag, section);
  const withHere = { names: { ...ctx.envNames, here: ctx.here } };
  let serverurl = reader.text('serverurl', null, withHere) ?? null;
  if (serverurl !== null && serverurl.startsWith('unix://')) {
    serverurl = `unix://${normalizePath(serverurl.slice('unix://'.length), ctx.env)}`;
  }
  const historyFile = reader.text('history_file', null, withHere) ?? null;
  return {
    serverurl,
    username: reader.text('username', null, { names: ctx.envNames }) ?? null,
    password: reader.text('password', null, { names: ctx.envNames }) ?? null,
    prompt: reader.text('prompt', 'supervisor', { names: ctx.envNames }) ?? 'supervisor',
    history_file: historyFile === null || historyFile === '' ? null : normalizePath(historyFile, ctx.env),
  };
}

// [rpcinterface:x] needs supervisor.rpcinterface_factory, [ctlplugin:x]
// supervisor.ctl_factory; every other key is an extra passed to the factory.
export function resolvePlugins(ctx: ServerContext, prefix: 'rpcinterface:' | 'ctlplugin:'): PluginConfig[] {
  const factoryKey = prefix === 'rpcinterface:' ? 'supervisor.rpcinterface_factory' : 'supervisor.ctl_factory';
  const plugins: PluginConfig[] = [];
  for (const reader of readers(ctx, prefix)) {
    const factory = reader.text(factoryKey, null, { names: ctx.envNames });
    if (factory === null) reader.error(factoryKey, '', `[${reader.section}] does not name a ${factoryKey}`);
    const extras: Record<string, string> = {};
    const keys = [...(ctx.doc.sections.get(reader.section)?.entries.keys() ?? []), ...ctx.doc.defaults.keys()];
    for (const key of new Set(keys)) {
      if (key === factoryKey) continue;
      const value = reader.text(key, null, { names: ctx.envNames });
      if (typeof value === 'string') extras[key] = value;
    }
    if (typeof factory === 'string') plugins.push({ name: reader.section.slice(prefix.length), factory, extras });
  }
  return plugins;
}
