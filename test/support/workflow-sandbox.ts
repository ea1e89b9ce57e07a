import { arxConfigSchema } from '../../src/config/schema.js';
import { createRateGovernor } from '../../src/connectors/http/rate-governor.js';
import { VENDOR_RATE_LIMITS } from '../../src/connectors/http/rate-limits.js';
import { jiraConnector } from '../../src/connectors/jira/index.js';
import { createConnectorRuntime } from '../../src/connectors/kit/runtime.js';
import { pagerdutyConnector } from '../../src/connectors/pagerduty/index.js';
import { qualysConnector } from '../../src/connectors/qualys/index.js';
import { registerConnector } from '../../src/connectors/registry.js';
import { slackConnector } from '../../src/connectors/slack/index.js';
import { wizConnector } from '../../src/connectors/wiz/index.js';
import { Engine, type RunOutcome } from '../../src/engine/engine.js';
import { generateSigner } from '../../src/governance/audit/keys.js';
import { ConfigCredentialBroker } from '../../src/governance/credentials.js';
import { createGovernance } from '../../src/governance/open.js';
import { createLogger } from '../../src/log/logger.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/start.js';
import type { Store } from '../../src/store/open.js';
import { withBuiltinPolicy } from '../../src/workflows/library/index.js';
import { sandboxWorkflowOptions } from '../../src/workflows/library/shared/sandbox-options.js';
import type { Workflow } from '../../src/workflows/sdk/define.js';
import { resolveOptions } from '../../src/workflows/sdk/options.js';
import type { OpenTestStore } from './stores.js';

/**
 * A library workflow against the sandbox, as `arx run` wires it: the demo tenant's emulators over real
 * HTTP, the real gate (policy, audit) on a test store, every connector registered with the gate, and the
 * engine. Results are then checked through the emulators' own APIs (`jiraIssues`, `slackHistory`,
 * `pagerdutyIncidents`), never through Arx.
 */
const signer = generateSigner();

export interface WorkflowSandboxOptions {
  findings?: number;
  seed?: number;
  /** arx.yaml as an object (governance rules...), parsed with the real schema. */
  config?: Record<string, unknown>;
}

export async function openWorkflowSandbox(
  openTestStore: OpenTestStore,
  options: WorkflowSandboxOptions = {},
) {
  const sandbox = await startSandbox({ findings: options.findings ?? 150, seed: options.seed ?? 7 });
  const store = await openTestStore();
  // as the run host does: arx.yaml plus the rules the built-in workflows ship
  const config = withBuiltinPolicy(arxConfigSchema.parse(options.config ?? {}));
  const log = createLogger({ level: 'silent' });
  // PagerDuty's incident create is limited to ~1/s per account (api-contracts §4.2): realistic, and the
  // benchmarks measure it; here it would only make the suite slow, so these tests page at Jira's pace.
  const limits = {
    ...VENDOR_RATE_LIMITS,
    pagerduty: { default: { requests: 960, perSeconds: 60, burst: 100 } },
  };
  const runtime = createConnectorRuntime({
    clock: store.clock,
    log,
    governor: createRateGovernor({ clock: store.clock, limits }),
  });
  const governance = createGovernance({
    db: store.db,
    clock: store.clock,
    config,
    home: '/nonexistent',
    signer,
    broker: new ConfigCredentialBroker({}, sandbox.env),
    log,
  });
  for (const factory of [wizConnector, qualysConnector, jiraConnector, slackConnector, pagerdutyConnector]) {
    registerConnector(governance.gate, factory(runtime), runtime);
  }
  const engine = new Engine({
    store,
    gate: governance.gate,
    catalog: governance.catalog,
    callStats: runtime.stats,
    log,
  });
  return new WorkflowSandbox(sandbox, store, engine, governance, runtime.stats);
}

export class WorkflowSandbox {
  constructor(
    readonly sandbox: Sandbox,
    readonly store: Store,
    readonly engine: Engine,
    readonly governance: ReturnType<typeof createGovernance>,
    readonly stats: { calls(): Record<string, number> },
  ) {}

  /** The options `arx run` gives the workflow on this tenant, with `overrides` as arx.yaml would set them. */
  options(workflow: Workflow, overrides: Record<string, unknown> = {}): Record<string, unknown> {
    const configured = { ...sandboxWorkflowOptions(this.sandbox.tenant)[workflow.name], ...overrides };
    return resolveOptions(workflow, configured, {}) as Record<string, unknown>;
  }

  run(workflow: Workflow, overrides: Record<string, unknown> = {}, dryRun = false): Promise<RunOutcome> {
    return this.engine.run(workflow, { options: this.options(workflow, overrides), dryRun, fresh: true });
  }

  /** Moves the tenant to its next scan (some findings resolve, some come back, new ones arrive). */
  advance() {
    return this.sandbox.tenant.advance();
  }

  async audit(action?: string) {
    const entries = await this.governance.audit.entries();
    return action ? entries.filter((e) => e.action === action) : entries;
  }

  /** Every issue of the Jira project, through Jira's own search API. */
  async jiraIssues(
    jql = `project = ${this.sandbox.tenant.jiraProjectKey} ORDER BY key ASC`,
  ): Promise<JiraIssue[]> {
    const { JIRA_URL, JIRA_USER_EMAIL, JIRA_API_TOKEN } = this.sandbox.env;
    const auth = `Basic ${Buffer.from(`${JIRA_USER_EMAIL}:${JIRA_API_TOKEN}`).toString('base64')}`;
    const issues: JiraIssue[] = [];
    let nextPageToken: string | undefined;
    do {
      const response = await fetch(`${JIRA_URL}/rest/api/3/search/jql`, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/json' },
        body: JSON.stringify({
          jql,
          maxResults: 100,
          fields: [
            'summary',
            'status',
            'labels',
            'priority',
            'components',
            'assignee',
            'description',
            'comment',
          ],
          ...(nextPageToken ? { nextPageToken } : {}),
        }),
      });
      if (!response.ok) throw new Error(`Jira search: HTTP ${response.status} ${await response.text()}`);
      const page = (await response.json()) as {
        issues: JiraIssue[];
        nextPageToken?: string;
        isLast?: boolean;
      };
      issues.push(...page.issues);
      nextPageToken = page.isLast ? undefined : page.nextPageToken;
    } while (nextPageToken);
    return issues;
  }

  /** Comments of one issue, through Jira's comment API (plain text of each). */
  async jiraComments(key: string): Promise<string[]> {
    const { JIRA_URL, JIRA_USER_EMAIL, JIRA_API_TOKEN } = this.sandbox.env;
    const auth = `Basic ${Buffer.from(`${JIRA_USER_EMAIL}:${JIRA_API_TOKEN}`).toString('base64')}`;
    const response = await fetch(`${JIRA_URL}/rest/api/3/issue/${key}/comment`, {
      headers: { authorization: auth },
    });
    const body = (await response.json()) as { comments: Array<{ body: unknown }> };
    return body.comments.map((c) => plainText(c.body));
  }

  /** Messages of a channel (by name), through Slack's own conversations.list + conversations.history. */
  async slackHistory(channel: string): Promise<SlackMessage[]> {
    const { SLACK_API_URL, SLACK_BOT_TOKEN } = this.sandbox.env;
    const call = async (method: string, args: Record<string, string>) => {
      const response = await fetch(`${SLACK_API_URL}${method}?${new URLSearchParams(args)}`, {
        headers: { authorization: `Bearer ${SLACK_BOT_TOKEN}` },
      });
      return (await response.json()) as Record<string, unknown>;
    };
    const list = await call('conversations.list', { types: 'public_channel,private_channel', limit: '200' });
    const found = (list.channels as Array<{ id: string; name: string }>).find(
      (c) => `#${c.name}` === channel,
    );
    if (!found) return [];
    const history = await call('conversations.history', { channel: found.id, limit: '200' });
    return history.messages as SlackMessage[];
  }

  /** Every incident, through PagerDuty's own REST list. */
  async pagerdutyIncidents(): Promise<PdIncident[]> {
    const { PAGERDUTY_API_URL, PAGERDUTY_API_KEY } = this.sandbox.env;
    const incidents: PdIncident[] = [];
    for (let offset = 0; ; offset += 100) {
      const response = await fetch(
        `${PAGERDUTY_API_URL}/incidents?limit=100&offset=${offset}&date_range=all`,
        {
          headers: {
            authorization: `Token token=${PAGERDUTY_API_KEY}`,
            accept: 'application/vnd.pagerduty+json;version=2',
          },
        },
      );
      const page = (await response.json()) as { incidents: PdIncident[]; more: boolean };
      incidents.push(...page.incidents);
      if (!page.more) return incidents;
    }
  }

  async close(): Promise<void> {
    await this.sandbox.close();
  }
}

export interface JiraIssue {
  key: string;
  fields: {
    summary: string;
    status: { name: string };
    labels: string[];
    priority?: { name: string };
    components?: Array<{ name: string }>;
    assignee?: { accountId: string; emailAddress?: string } | null;
    description?: unknown;
  };
}

export interface SlackMessage {
  ts: string;
  text: string;
  blocks?: unknown[];
}

export interface PdIncident {
  id: string;
  status: string;
  incident_key: string;
  title: string;
  urgency: string;
  service: { id: string };
  html_url: string;
}

/** The text of an ADF document. */
export function plainText(node: unknown): string {
  if (!node || typeof node !== 'object') return '';
  const n = node as { text?: string; content?: unknown[] };
  return (n.text ?? '') + (n.content ?? []).map(plainText).join(' ');
}

/** The `arx-<finding key>` labels of issues: each stands for one finding (or group) Arx ticketed. */
export function findingLabels(issues: readonly JiraIssue[]): string[] {
  return issues.flatMap((issue) => issue.fields.labels.filter((l) => /^arx-/.test(l)));
}
