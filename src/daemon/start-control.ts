// Starts the control server with the config's [unix_http_server] and
// [inet_http_server]. vigil always listens on a unix socket, even without the
// section, so `docker exec app vigil ctl status` works with any config.
import type { InetHttpServerConfig, ResolvedConfig } from '../config/types.ts';
import { isLoopbackHost } from '../control/auth.ts';
import type { ControlApi } from '../control/api.ts';
import { defaultSocketPaths, pickWritableSocketPath } from '../control/socket-paths.ts';
import { startControlServer } from '../control/server.ts';
import type { ControlServer } from '../control/server.ts';
import type { Logger } from '../log/logger.ts';

export async function startControl(config: ResolvedConfig, api: ControlApi, logger: Logger): Promise<ControlServer> {
  const unixSection = config.unix_http_server;
  const path = unixSection?.file ?? pickWritableSocketPath(defaultSocketPaths(process.env, process.getuid?.() ?? 0));
  const chown = unixSection && (unixSection.chown.uid !== -1 || unixSection.chown.gid !== -1) ? unixSection.chown : undefined;
  const inet = config.inet_http_server === null ? null : inetAddressToServe(config.inet_http_server, logger);
  const server = await startControlServer({
    api,
    logger,
    unix: { path, chmod: unixSection?.chmod ?? 0o700, ...(chown ? { chown } : {}) },
    ...(inet
      ? {
          inet: {
            host: inet.host,
            port: inet.port,
            ...(inet.username !== null ? { username: inet.username } : {}),
            ...(inet.password !== null ? { password: inet.password } : {}),
            ...(inet.allow_unauthenticated ? { allowUnauthenticated: true } : {}),
          },
        }
      : {}),
  });
  logger.debug(`control socket listening on ${path}`);
  return server;
}

// supervisord serves `port=*:9001` without credentials and only warns; many
// images do that for the web page. vigil has no web page and its API runs
// commands, so it serves such a port on loopback only, says so once at CRIT,
// and starts everything else: credentials, or allow_unauthenticated=true,
// restore the configured address.
export function inetAddressToServe(inet: InetHttpServerConfig, logger: Logger): InetHttpServerConfig {
  const hasCredentials = inet.username !== null && inet.username !== '' && inet.password !== null && inet.password !== '';
  if (hasCredentials || inet.allow_unauthenticated || isLoopbackHost(inet.host)) return inet;
  const shown = inet.host === '' ? '*' : inet.host;
  logger.fatal(
    `[${inet.section}] port=${shown}:${inet.port} has no username/password: anyone who can reach it could run commands as vigil, ` +
      `so it is served on 127.0.0.1:${inet.port} only; set username and password in [${inet.section}] ` +
      '(or allow_unauthenticated=true) to serve the configured address',
  );
  return { ...inet, host: '127.0.0.1' };
}
