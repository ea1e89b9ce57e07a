import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { action } from '../action.js';
import { out } from '../output.js';

const OPS_HELP = `
OPS.jsonl holds one call per line:
  {"operation": "jira:issues:create", "principal": "workflow:wiz-finding-distribution",
   "params": {"project": "SEC", "summary": "..."}, "resource": {"environment": "prod", "tags": {"data": "pii"}}}
Optional per line: "at" (ISO time, for time windows) and "recent_calls" (session frequency).
--json prints an array of {operation, verdict, rule, score, reasons} in input order.`;

/** Entries read per query while simulating. */
const BATCH = 5000;

/** `arx policy test` and `arx policy simulate`: try a policy before it governs anything. */
export function register(program: Command): void {
  const policy = program
    .command('policy')
    .description('try a policy: hypothetical calls, or replay of recorded ones');

  policy
    .command('test')
    .description('decide each call in OPS.jsonl as the gate would (no store needed)')
    .requiredOption('--ops <file>', 'calls to decide, one JSON object per line')
    .option('-c, --config <file>', 'the policy to test (default: $ARX_CONFIG, else ./arx.yaml)')
    .option('--at <time>', 'decide as of this ISO time (default: now)')
    .addHelpText('after', OPS_HELP)
    .action(
      action(
        async (
          options: { ops: string; config?: string; at?: string },
          command: Command,
        ): Promise<undefined> => {
          const { UsageError } = await import('../../core/errors.js');
          const { loadConfig } = await import('../../config/load.js');
          const { builtinCatalog } = await import('../../governance/operations/index.js');
          const { parseOpsJsonl, testPolicy } = await import('../../governance/policy-lab.js');
          const config = loadConfig({ file: options.config });
          let text: string;
          try {
            text = readFileSync(options.ops, 'utf8');
          } catch {
            throw new UsageError(`--ops: cannot read ${options.ops}`);
          }
          const now = options.at ? new Date(options.at) : new Date();
          if (Number.isNaN(now.getTime())) throw new UsageError(`--at: "${options.at}" is not an ISO time`);
          const results = testPolicy(
            { governance: config.governance, connectors: config.connectors },
            builtinCatalog(),
            parseOpsJsonl(text, options.ops),
            now,
          );
          if (command.optsWithGlobals().json) {
            out.json(results);
            return;
          }
          for (const r of results) {
            out.line(`${r.verdict.toUpperCase().padEnd(8)} ${r.operation}  rule ${r.rule}  risk ${r.score}`);
            for (const reason of r.reasons) out.line(`         ${reason}`);
          }
          const count = (v: string) => results.filter((r) => r.verdict === v).length;
          out.line(
            `\n${results.length} calls: ${count('allow')} allow, ${count('escalate')} escalate, ${count('deny')} deny`,
          );
        },
      ),
    );

  policy
    .command('simulate')
    .description(
      'decide the calls recorded in the audit trail again under a proposed policy; list what changes',
    )
    .requiredOption('-c, --config <file>', 'the proposed arx.yaml')
    .option('--since <when>', 'replay calls since a duration ago or a date', '30d')
    .action(
      action(async (options: { config: string; since: string }, command: Command): Promise<undefined> => {
        const { parseSince } = await import('../../governance/audit/export.js');
        const { builtinCatalog } = await import('../../governance/operations/index.js');
        const { simulatePolicy } = await import('../../governance/policy-lab.js');
        const { readAuditEntries } = await import('../../store/audit-repo.js');
        const { withStore } = await import('./governance-session.js');
        const { report, since } = await withStore(
          { config: options.config, owner: 'arx policy simulate' },
          async ({ store, config }) => {
            const since = parseSince(options.since, store.clock.now());
            const entries = [];
            for (let afterSeq = 0; ; ) {
              const batch = await readAuditEntries(store.db, { afterSeq, since, limit: BATCH });
              entries.push(...batch.filter((e) => e.kind === 'intent'));
              if (batch.length < BATCH) break;
              afterSeq = batch.at(-1)!.seq;
            }
            const settings = { governance: config.governance, connectors: config.connectors };
            return { report: simulatePolicy(settings, builtinCatalog(), entries), since };
          },
        );
        if (command.optsWithGlobals().json) {
          out.json({ since: since.toISOString(), ...report });
          return;
        }
        out.line(
          `replayed ${report.replayed} recorded calls since ${since.toISOString()} (${report.skipped} skipped: kill switch, invalid params, reconciles)`,
        );
        if (report.changed.length === 0) {
          out.line('✔ no call would be decided differently');
          return;
        }
        out.line(
          `${report.changed.length} would change: ${Object.entries(report.transitions)
            .map(([t, n]) => `${t} ${n}`)
            .join(', ')}`,
        );
        for (const c of report.changed) {
          out.line(
            `  #${c.seq} ${c.at} ${c.principal} ${c.operation}: ${c.before.verdict} (${c.before.rule}) → ${c.after.verdict} (${c.after.rule}, risk ${c.after.score})`,
          );
        }
      }),
    );
}
