import type { Command } from 'commander';
import { action } from '../action.js';
import { EXIT } from '../exit-codes.js';
import { out } from '../output.js';
import { parseWhole, runServiceProcess, serveHttp } from './service-support.js';

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
          await runServiceProcess({
            role: 'worker',
            configFile: options.config,
            concurrency,
            asJson,
            listen: async (opened) =>
              port === undefined ? undefined : serveHttp(opened, port, options.host),
            announce(opened, server) {
              if (asJson) {
                out.jsonLine({
                  event: 'working',
                  pid: process.pid,
                  store: opened.store.location,
                  url: server?.url ?? null,
                });
                return;
              }
              out.line(
                `✔ arx worker (pid ${process.pid}) executing runs from ${opened.store.location}, ${concurrency} at a time`,
              );
              if (server) out.line(`  health: ${server.url}/healthz`);
            },
          });
          return EXIT.ok;
        },
      ),
    );
}
