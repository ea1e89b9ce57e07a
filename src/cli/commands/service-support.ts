import { UsageError } from '../../core/errors.js';
import type { OpenedService } from '../../engine/scheduler/open-service.js';
import { out } from '../output.js';

/** A whole-number flag in [min, max], or a usage error naming the flag. */
export function parseWhole(flag: string, raw: string, min: number, max: number): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || value < min || value > max) {
    throw new UsageError(`${flag} must be a whole number from ${min} to ${max} (got "${raw}")`);
  }
  return value;
}

/**
 * Resolves on the first SIGINT or SIGTERM. A second signal while stopping exits at once (the runs in flight
 * are left as a kill would leave them: resumable).
 */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.once('SIGINT', () => process.exit(130));
      process.once('SIGTERM', () => process.exit(143));
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

type HttpServer = { url: string; close(): Promise<void> };

export interface ServiceProcessOptions<S extends HttpServer | undefined> {
  role: 'serve' | 'worker';
  /** `--config`; absent: $ARX_CONFIG, else ./arx.yaml. */
  configFile: string | undefined;
  concurrency: number;
  asJson: boolean;
  /** After the service has started: the HTTP server, if this process serves one (closed on stop). */
  listen(opened: OpenedService): Promise<S>;
  /** Says what is running, once listening. */
  announce(opened: OpenedService, server: S): Promise<void> | void;
}

/**
 * The life of `arx serve` and `arx worker`: open the run service for the role, start it, listen, announce,
 * then run until SIGINT/SIGTERM; runs in flight stop at their next call and stay resumable.
 */
export async function runServiceProcess<S extends HttpServer | undefined>(
  options: ServiceProcessOptions<S>,
): Promise<void> {
  const { asJson } = options;
  const [{ readConfig }, { openRunService }, { createLogger }] = await Promise.all([
    import('../../config/load.js'),
    import('../../engine/scheduler/open-service.js'),
    import('../../log/logger.js'),
  ]);
  const loaded = readConfig({ file: options.configFile });
  const log = createLogger({ level: process.env.ARX_LOG_LEVEL ?? 'info' });
  const opened = await openRunService({
    role: options.role,
    config: loaded.config,
    env: process.env,
    concurrency: options.concurrency,
    log,
  });
  let server: S | undefined;
  try {
    await opened.service.start();
    server = await options.listen(opened);
    await options.announce(opened, server);
    const signal = await untilSignal();
    if (!asJson) out.line(`… ${signal}: stopping (runs in flight stop at their next call)`);
  } finally {
    await server?.close();
    await opened.close();
  }
  if (asJson) out.jsonLine({ event: 'stopped', pid: process.pid });
  else out.line('✔ stopped');
}

/** A listening API and where its bearer token is (never the token itself: it is not printed). */
export type ServedHttp = HttpServer & { tokenFile: string };

/**
 * The API over the run service and its gate, loaded only by the processes that serve it: a fresh bearer
 * token in `<ARX_HOME>/serve.token` (on PostgreSQL too: the file is how a person on this machine gets it),
 * written before the URL is advertised and removed when the server closes.
 */
export async function serveHttp(opened: OpenedService, port: number, host: string): Promise<ServedHttp> {
  const [{ createApp }, { listen }, { serviceApi }, { createServeToken }, { storeOptionsFromEnv }] =
    await Promise.all([
      import('../../server/app.js'),
      import('../../server/listen.js'),
      import('../../server/service-api.js'),
      import('../../server/serve-token.js'),
      import('../../store/options.js'),
    ]);
  const token = createServeToken(storeOptionsFromEnv(process.env).home!);
  try {
    const app = createApp(serviceApi(opened.service, opened.governance), { token: token.token });
    const server = await listen(app, port, host);
    return {
      url: server.url,
      tokenFile: token.path,
      close: async () => {
        try {
          await server.close();
        } finally {
          token.remove();
        }
      },
    };
  } catch (err) {
    token.remove();
    throw err;
  }
}
