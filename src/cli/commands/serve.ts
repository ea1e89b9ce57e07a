import type { Command } from 'commander';
import { action } from '../action.js';
import { EXIT } from '../exit-codes.js';
import { out } from '../output.js';
import { parseWhole, runServiceProcess, serveHttp } from './service-support.js';

/**
 * `arx serve`: owns the store, fires registered schedules, executes runs from the queue, resumes runs that
 * were interrupted, and serves the API: /healthz (open), and with the bearer token in <ARX_HOME>/serve.token
 * POST /runs, approvals and the kill switch (which the governance commands use while serve holds the embedded
 * store). Stops gracefully on SIGINT/SIGTERM: runs in flight stop at their next call and stay resumable by the
 * next `arx serve`.
 */
export function register(program: Command): void {
  program
    .command('serve')
    .description('fire registered schedules, execute queued runs, resume interrupted ones; the API on --port')
    .option('-c, --config <file>', 'configuration file (default: $ARX_CONFIG, else ./arx.yaml)')
    .option(
      '-p, --port <port>',
      'HTTP port for the API: /healthz, runs, approvals, kill switch (0: any free port)',
      '8787',
    )
    .option(
      '--host <host>',
      'address to listen on (plain HTTP: keep it local or put TLS in front; every route but /healthz needs the token in <ARX_HOME>/serve.token)',
      '127.0.0.1',
    )
    .option('--concurrency <n>', 'runs executed at once by this process', '2')
    .action(
      action(
        async (options: { config?: string; port: string; host: string; concurrency: string }, command) => {
          const asJson = Boolean(command.optsWithGlobals().json);
          const port = parseWhole('--port', options.port, 0, 65_535);
          const concurrency = parseWhole('--concurrency', options.concurrency, 1, 64);
          await runServiceProcess({
            role: 'serve',
            configFile: options.config,
            concurrency,
            asJson,
            listen: (opened) => serveHttp(opened, port, options.host),
            async announce(opened, server) {
              const { url, tokenFile } = server;
              opened.store.lock?.advertise(url);
              const health = await opened.service.health();
              const schedules = health.scheduler?.schedules ?? [];
              if (asJson) {
                out.jsonLine({
                  event: 'serving',
                  url,
                  pid: process.pid,
                  store: opened.store.location,
                  auth: { scheme: 'Bearer', file: tokenFile }, // where the token is (a key named *token* is redacted)
                  schedules,
                });
                return;
              }
              out.line(`✔ arx serve on ${url} (pid ${process.pid}), store ${opened.store.location}`);
              out.line(`  health: ${url}/healthz; every other route needs the token in ${tokenFile}`);
              out.line(
                `  manual run: curl -X POST ${url}/runs -H "Authorization: Bearer $(cat ${tokenFile})" -d '{"workflow":"NAME"}'`,
              );
              if (opened.store.lock)
                out.line('  arx approvals, freeze, suspend, resume and killswitch go through it meanwhile');
              if (schedules.length === 0)
                out.line('  no schedules registered yet: arx register --config arx.yaml');
              for (const s of schedules) {
                out.line(
                  `  ${s.name}: "${s.cron}" ${s.timezone}, next ${s.nextFireAt ?? (s.enabled ? 'never' : 'disabled')}`,
                );
              }
              out.line('  Ctrl-C stops it; runs in flight stay resumable.');
            },
          });
          return EXIT.ok;
        },
      ),
    );
}
