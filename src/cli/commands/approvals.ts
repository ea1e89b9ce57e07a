import type { Command } from 'commander';
import { approvalCount, approvalJson, approvalSummaryJson } from '../../governance/records-json.js';
import type { ApprovalRecord } from '../../store/approvals-repo.js';
import { action } from '../action.js';
import { out } from '../output.js';
import { withGovernanceAccess } from './governance-access.js';
import { CONFIG_OPTION, operatorName } from './governance-session.js';

const STATUSES = ['pending', 'approved', 'denied', 'expired', 'all'] as const;

/**
 * `arx approvals list|show|approve|deny`: people deciding on escalated calls; through `arx serve` while it
 * holds the embedded store.
 */
export function register(program: Command): void {
  const approvals = program.command('approvals').description('approval requests for escalated calls');

  approvals
    .command('list')
    .description('list approval requests (newest first)')
    .option('--status <status>', `one of ${STATUSES.join(', ')}`, 'pending')
    .option(...CONFIG_OPTION)
    .action(
      action(async (options: { status: string; config?: string }, command: Command): Promise<undefined> => {
        const { UsageError } = await import('../../core/errors.js');
        if (!(STATUSES as readonly string[]).includes(options.status)) {
          throw new UsageError(`--status: "${options.status}" is not one of ${STATUSES.join(', ')}`);
        }
        const status = options.status === 'all' ? undefined : (options.status as ApprovalRecord['status']);
        const list = await withGovernanceAccess(
          { config: options.config, owner: 'arx approvals list' },
          ({ approvals }) => approvals.list(status),
        );
        if (command.optsWithGlobals().json) {
          out.json(list.map(approvalSummaryJson));
          return;
        }
        if (list.length === 0) {
          out.line(`no ${options.status === 'all' ? '' : `${options.status} `}approval requests`);
          return;
        }
        for (const a of list) {
          out.line(
            `${a.id}  ${a.status.padEnd(8)}  ${a.operation}  by ${a.principal}  ${approvalCount(a)}/${a.required}  expires ${a.expiresAt.toISOString()}`,
          );
        }
      }),
    );

  approvals
    .command('show')
    .description('one request: the call, why it was escalated, who may decide, the decisions so far')
    .argument('<id>', 'approval id (apr_...)')
    .option(...CONFIG_OPTION)
    .action(
      action(async (id: string, options: { config?: string }, command: Command): Promise<undefined> => {
        const approval = await withGovernanceAccess(
          { config: options.config, owner: 'arx approvals show' },
          ({ approvals }) => approvals.get(id),
        );
        if (command.optsWithGlobals().json) {
          out.json(approvalJson(approval));
          return;
        }
        printDetail(approval);
      }),
    );

  for (const verb of ['approve', 'deny'] as const) {
    approvals
      .command(verb)
      .description(
        verb === 'approve' ? 'approve a request (counts toward N of M)' : 'deny a request (ends it)',
      )
      .argument('<id>', 'approval id (apr_...)')
      .option('--as <name>', 'who decides (default: $ARX_USER, else your OS user)')
      .option('--note <text>', 'why, recorded in the audit trail')
      .option(...CONFIG_OPTION)
      .action(
        action(
          async (
            id: string,
            options: { as?: string; note?: string; config?: string },
            command: Command,
          ): Promise<undefined> => {
            const as = operatorName(options.as);
            const decided = await withGovernanceAccess(
              { config: options.config, owner: `arx approvals ${verb}` },
              ({ approvals }) => approvals[verb](id, { as, note: options.note }),
            );
            if (command.optsWithGlobals().json) {
              out.json(approvalJson(decided));
              return;
            }
            out.line(
              `✔ ${as} ${verb === 'approve' ? 'approved' : 'denied'} ${id}: now ${decided.status} (${approvalCount(decided)}/${decided.required} approvals)`,
            );
          },
        ),
      );
  }
}

function printDetail(a: ApprovalRecord): void {
  out.line(`${a.id}  ${a.status}`);
  out.line(`  operation   ${a.operation}`);
  out.line(`  principal   ${a.principal}${a.runId ? `  (run ${a.runId})` : ''}`);
  out.line(`  params      ${JSON.stringify(a.params)}`);
  out.line(`  params hash ${a.paramsHash}`);
  const reasons = Array.isArray(a.context.reasons) ? (a.context.reasons as string[]) : [];
  out.line(`  escalated   risk ${String(a.context.score ?? '?')} by ${String(a.context.rule ?? '?')}`);
  for (const reason of reasons) out.line(`              ${reason}`);
  const who = a.approvers.anyone
    ? 'anyone but the requester'
    : `${a.approvers.from.join(', ')} (${a.approvers.members.join(', ')})`;
  out.line(`  approvers   ${approvalCount(a)} of ${a.required} needed from ${who}`);
  out.line(`  expires     ${a.expiresAt.toISOString()}`);
  for (const d of a.decisions) {
    out.line(
      `  ${d.decision === 'approve' ? '✔' : '✖'} ${d.approver} at ${d.at.toISOString()}${d.note ? `: ${d.note}` : ''}`,
    );
  }
}
