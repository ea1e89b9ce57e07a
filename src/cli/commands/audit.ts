import { createWriteStream } from 'node:fs';
import type { Command } from 'commander';
import type { AuditEntry } from '../../store/audit-repo.js';
import { action } from '../action.js';
import { EXIT } from '../exit-codes.js';
import { out } from '../output.js';
import { CONFIG_OPTION, withStore } from './governance-session.js';

/** Entries fetched per query while exporting or following. */
const BATCH = 2000;
/** How often `tail --follow` looks for new entries. */
const FOLLOW_POLL_MS = 1000;

/** `arx audit verify|export|tail`: the tamper-evident trail every gate decision is written to. */
export function register(program: Command): void {
  const audit = program.command('audit').description('the hash-chained audit trail');

  audit
    .command('verify')
    .description('re-walk the chain and the signed checkpoints; name the first bad entry (exit 1 if any)')
    .option('--public-key <file>', "verify checkpoints with this Ed25519 public key (an auditor's copy)")
    .option(...CONFIG_OPTION)
    .action(
      action(async (options: { publicKey?: string; config?: string }, command: Command) => {
        const { loadVerifier } = await import('../../governance/audit/keys.js');
        const { verifyStoredTrail } = await import('../../governance/audit/trail.js');
        const report = await withStore(
          { config: options.config, owner: 'arx audit verify' },
          ({ store, config, home }) =>
            verifyStoredTrail(
              store.db,
              loadVerifier({
                home,
                signingKeyPath: config.governance.audit.signing_key_path,
                publicKeyPath: options.publicKey,
              }),
            ),
        );
        if (command.optsWithGlobals().json) {
          out.json(report);
        } else if (report.ok) {
          out.line(
            `✔ audit trail intact: ${report.entries} entries, ${report.checkpoints} signed checkpoints (signed through entry ${report.signedThrough})`,
          );
        } else {
          out.line(
            `✖ audit trail NOT intact: first bad entry ${report.firstBad!.seq}: ${report.firstBad!.message}`,
          );
          for (const problem of report.problems.slice(1, 20))
            out.line(`  entry ${problem.seq}: ${problem.message}`);
          if (report.problems.length > 20) out.line(`  … and ${report.problems.length - 20} more`);
        }
        return report.ok ? EXIT.ok : EXIT.failure;
      }),
    );

  audit
    .command('export')
    .description('write the trail as JSON Lines or CSV')
    .requiredOption('--format <format>', 'jsonl or csv')
    .option('--since <when>', 'only entries since a duration ago (24h, 30d) or a date (2026-03-01)')
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .option(...CONFIG_OPTION)
    .action(
      action(
        async (options: {
          format: string;
          since?: string;
          output?: string;
          config?: string;
        }): Promise<undefined> => {
          const { UsageError } = await import('../../core/errors.js');
          const { EXPORT_FORMATS, csvHeader, csvLine, jsonlLine, parseSince } = await import(
            '../../governance/audit/export.js'
          );
          const { readAuditEntries } = await import('../../store/audit-repo.js');
          if (!(EXPORT_FORMATS as readonly string[]).includes(options.format)) {
            throw new UsageError(`--format: "${options.format}" is not one of ${EXPORT_FORMATS.join(', ')}`);
          }
          const line = options.format === 'csv' ? csvLine : jsonlLine;
          const sink = options.output ? createWriteStream(options.output) : undefined;
          const write = (text: string) =>
            sink ? sink.write(`${text}\n`) : process.stdout.write(`${text}\n`);
          const count = await withStore(
            { config: options.config, owner: 'arx audit export' },
            async ({ store }) => {
              const since = options.since ? parseSince(options.since, store.clock.now()) : undefined;
              if (options.format === 'csv') write(csvHeader());
              let written = 0;
              for (let afterSeq = 0; ; ) {
                const batch = await readAuditEntries(store.db, { afterSeq, since, limit: BATCH });
                for (const entry of batch) write(line(entry));
                written += batch.length;
                if (batch.length < BATCH) return written;
                afterSeq = batch.at(-1)!.seq;
              }
            },
          );
          if (sink) {
            await new Promise<void>((resolve, reject) =>
              sink.end((err?: Error | null) => (err ? reject(err) : resolve())),
            );
            out.err(`✔ ${count} entries written to ${options.output}`);
          }
        },
      ),
    );

  audit
    .command('tail')
    .description('the latest entries; --follow keeps printing new ones')
    .option('-n, --lines <n>', 'how many', '20')
    .option('-f, --follow', 'keep watching for new entries (Ctrl-C to stop)')
    .option(...CONFIG_OPTION)
    .action(
      action(
        async (
          options: { lines: string; follow?: boolean; config?: string },
          command: Command,
        ): Promise<undefined> => {
          const { UsageError } = await import('../../core/errors.js');
          const { readAuditEntries } = await import('../../store/audit-repo.js');
          const count = Number(options.lines);
          if (!Number.isInteger(count) || count < 0)
            throw new UsageError(`-n: "${options.lines}" is not a whole number`);
          const asJson = Boolean(command.optsWithGlobals().json);
          const print = (entry: AuditEntry) =>
            asJson ? out.jsonLine(entry) : out.line(describeEntry(entry));
          const stop = new AbortController();
          const onSignal = () => stop.abort();
          process.once('SIGINT', onSignal);
          try {
            await withStore({ config: options.config, owner: 'arx audit tail' }, async ({ store }) => {
              const latest = (
                await readAuditEntries(store.db, { newestFirst: true, limit: count })
              ).reverse();
              latest.forEach(print);
              let afterSeq =
                latest.at(-1)?.seq ??
                (await readAuditEntries(store.db, { newestFirst: true, limit: 1 }))[0]?.seq ??
                0;
              while (options.follow && !stop.signal.aborted) {
                await store.clock.sleep(FOLLOW_POLL_MS, stop.signal).catch(() => {});
                for (const entry of await readAuditEntries(store.db, { afterSeq, limit: BATCH })) {
                  print(entry);
                  afterSeq = entry.seq;
                }
              }
            });
          } finally {
            process.off('SIGINT', onSignal);
          }
        },
      ),
    );
}

/** One line per entry: `#12 2026-03-02T12:00:00.000Z intent workflow:x jira:issues:create allow risk 55`. */
export function describeEntry(entry: AuditEntry): string {
  const parts = [`#${entry.seq}`, entry.at, entry.kind.padEnd(8), entry.actor, entry.action];
  if (entry.verdict) parts.push(entry.verdict);
  if (entry.risk !== null) parts.push(`risk ${entry.risk}`);
  const payload = entry.payload;
  if (entry.kind === 'intent' && payload.rule) parts.push(`rule ${String(payload.rule)}`);
  if (entry.kind === 'result' && payload.status) parts.push(String(payload.status));
  return parts.join('  ');
}
