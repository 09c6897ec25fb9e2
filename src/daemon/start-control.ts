// Starts the control server with the config's [unix_http_server] and
// [inet_http_server]. vigil always listens on a unix socket, even without the
// section, so `docker exec app vigil ctl status` works with any config.
import type { ResolvedConfig } from '../config/types.ts';
import type { ControlApi } from '../control/api.ts';
import { defaultSocketPaths, pickWritableSocketPath } from '../control/socket-paths.ts';
import { startControlServer } from '../control/server.ts';
import type { ControlServer } from '../control/server.ts';
import type { Logger } from '../log/logger.ts';

export async function startControl(config: ResolvedConfig, api: ControlApi, logger: Logger): Promise<ControlServer> {
  const unixSection = config.unix_http_server;
  const path = unixSection?.file ?? pickWritableSocketPath(defaultSocketPaths(process.env, process.getuid?.() ?? 0));
  const chown = unixSection && (unixSection.chown.uid !== -1 || unixSection.chown.gid !== -1) ? unixSection.chown : undefined;
  const inet = config.inet_http_server;
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
          },
        }
      : {}),
  });
  logger.debug(`control socket listening on ${path}`);
  return server;
}
