import type { Command } from 'commander';
import type { ApprovalRecord } from '../../store/approvals-repo.js';
import { action } from '../action.js';
import { out } from '../output.js';
import { CONFIG_OPTION, operatorName, withGovernance } from './governance-session.js';

const STATUSES = ['pending', 'approved', 'denied', 'expired', 'all'] as const;

/** `arx approvals list|show|approve|deny`: people deciding on escalated calls. */
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
        const list = await withGovernance(
          { config: options.config, owner: 'arx approvals list' },
          ({ gate }) => gate.approvals.list(status),
        );
        if (command.optsWithGlobals().json) {
          out.json(list.map(summary));
          return;
        }
        if (list.length === 0) {
          out.line(`no ${options.status === 'all' ? '' : `${options.status} `}approval requests`);
          return;
        }
        for (const a of list) {
          out.line(
            `${a.id}  ${a.status.padEnd(8)}  ${a.operation}  by ${a.principal}  ${approvalsOf(a)}/${a.required}  expires ${a.expiresAt.toISOString()}`,
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
        const approval = await withGovernance(
          { config: options.config, owner: 'arx approvals show' },
          ({ gate }) => gate.approvals.get(id),
        );
        if (command.optsWithGlobals().json) {
          out.json(detail(approval));
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
            const decided = await withGovernance(
              { config: options.config, owner: `arx approvals ${verb}` },
              ({ gate }) => gate.approvals[verb](id, { as, note: options.note }),
            );
            if (command.optsWithGlobals().json) {
              out.json(detail(decided));
              return;
            }
            out.line(
              `✔ ${as} ${verb === 'approve' ? 'approved' : 'denied'} ${id}: now ${decided.status} (${approvalsOf(decided)}/${decided.required} approvals)`,
            );
          },
        ),
      );
  }
}

function approvalsOf(a: ApprovalRecord): number {
  return a.decisions.filter((d) => d.decision === 'approve').length;
}

function summary(a: ApprovalRecord) {
  return {
    id: a.id,
    status: a.status,
    operation: a.operation,
    principal: a.principal,
    run_id: a.runId,
    params_hash: a.paramsHash,
    approvals: approvalsOf(a),
    required: a.required,
    requested_at: a.requestedAt.toISOString(),
    expires_at: a.expiresAt.toISOString(),
  };
}

function detail(a: ApprovalRecord) {
  return {
    ...summary(a),
    idempotency_key: a.idempotencyKey,
    params: a.params,
    context: a.context,
    approvers: a.approvers,
    decided_at: a.decidedAt?.toISOString() ?? null,
    decisions: a.decisions.map((d) => ({ ...d, at: d.at.toISOString() })),
  };
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
  out.line(`  approvers   ${approvalsOf(a)} of ${a.required} needed from ${who}`);
  out.line(`  expires     ${a.expiresAt.toISOString()}`);
  for (const d of a.decisions) {
    out.line(
      `  ${d.decision === 'approve' ? '✔' : '✖'} ${d.approver} at ${d.at.toISOString()}${d.note ? `: ${d.note}` : ''}`,
    );
  }
}
