import type { Command } from 'commander';
import { action } from '../action.js';
import { EXIT } from '../exit-codes.js';
import { out } from '../output.js';
import { parseWhole, untilSignal } from './service-support.js';

/**
 * `arx worker`: an extra worker on another machine (or process) sharing one PostgreSQL with `arx serve`. It
 * executes queued runs and resumes interrupted ones; it fires no schedules (serve does). Refused on the
 * embedded store, which belongs to a single process.
 */
export function register(program: Command): void {
  program
    .command('worker')
    .description('execute queued runs from a shared PostgreSQL (scale-out next to arx serve)')
    .option('-c, --config <file>', 'configuration file (default: $ARX_CONFIG, else ./arx.yaml)')
    .option('--concurrency <n>', 'runs executed at once by this worker', '2')
    .option('-p, --port <port>', 'also serve /healthz on this port')
    .option('--host <host>', 'address for --port', '127.0.0.1')
    .action(
      action(
        async (options: { config?: string; concurrency: string; port?: string; host: string }, command) => {
          const asJson = Boolean(command.optsWithGlobals().json);
          const concurrency = parseWhole('--concurrency', options.concurrency, 1, 64);
          const port = options.port === undefined ? undefined : parseWhole('--port', options.port, 0, 65_535);
          const [{ readConfig }, { openRunService }, { createLogger }] = await Promise.all([
            import('../../config/load.js'),
            import('../../engine/scheduler/open-service.js'),
            import('../../log/logger.js'),
          ]);
          const loaded = readConfig({ file: options.config });
          const log = createLogger({ level: process.env.ARX_LOG_LEVEL ?? 'info' });
          const opened = await openRunService({
            role: 'worker',
            config: loaded.config,
            env: process.env,
            concurrency,
            log,
          });
          let server: { url: string; close(): Promise<void> } | undefined;
          try {
            await opened.service.start();
            if (port !== undefined) {
              const [{ createApp }, { listen }] = await Promise.all([
                import('../../server/app.js'),
                import('../../server/listen.js'),
              ]);
              server = await listen(createApp(opened.service), port, options.host);
            }
            if (asJson)
              out.jsonLine({
                event: 'working',
                pid: process.pid,
                store: opened.store.location,
                url: server?.url ?? null,
              });
            else {
              out.line(
                `✔ arx worker (pid ${process.pid}) executing runs from ${opened.store.location}, ${concurrency} at a time`,
              );
              if (server) out.line(`  health: ${server.url}/healthz`);
            }
            const signal = await untilSignal();
            if (!asJson) out.line(`… ${signal}: stopping (runs in flight stop at their next call)`);
          } finally {
            await server?.close();
            await opened.close();
          }
          if (asJson) out.jsonLine({ event: 'stopped', pid: process.pid });
          else out.line('✔ stopped');
          return EXIT.ok;
        },
      ),
    );
}
