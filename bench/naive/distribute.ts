import { send, sendJson } from './http.js';
import { wizIssues, wizToken } from './wiz.js';

/**
 * The naive baseline: how a hand-written script usually distributes Wiz findings, with plain fetch against
 * the same emulators Arx talks to. For each open critical/high issue that Wiz does not already link to a
 * ticket: search Jira for the issue's label, create the ticket if the search finds none, then post one
 * Slack message to the owning team's channel. One finding at a time, no batching, no digest. It honours
 * Retry-After on 429 (see http.ts) so a rate-limited run is slower, not lossy.
 */
export interface NaiveOptions {
  env: Record<string, string>;
  severities: readonly string[];
  /** Cloud account → team, team → channel, and where the rest go (the same routing Arx is given). */
  accountOwners: Record<string, string>;
  teamChannels: Record<string, string>;
  defaultChannel: string;
  /** Wiz page size: 500, what Wiz's own integrations use. */
  pageSize?: number;
}

export interface NaiveResult {
  tickets: number;
  messages: number;
  messagesPerChannel: Record<string, number>;
}

export async function distributeNaively(options: NaiveOptions): Promise<NaiveResult> {
  const { env } = options;
  const jiraAuth = `Basic ${Buffer.from(`${env.JIRA_USER_EMAIL}:${env.JIRA_API_TOKEN}`).toString('base64')}`;
  const jiraHeaders = { authorization: jiraAuth, 'content-type': 'application/json' };
  const slackHeaders = {
    authorization: `Bearer ${env.SLACK_BOT_TOKEN}`,
    'content-type': 'application/json; charset=utf-8',
  };
  const project = env.JIRA_PROJECT_KEY ?? 'SEC';
  const result: NaiveResult = { tickets: 0, messages: 0, messagesPerChannel: {} };
  const token = await wizToken(env);
  const filter = { severity: [...options.severities], status: ['OPEN', 'IN_PROGRESS'] };

  for await (const issue of wizIssues(env, token, filter, options.pageSize ?? 500)) {
    if ((issue.serviceTickets ?? []).length > 0) continue;
    const label = `wiz-issue-${issue.id}`;
    const found = await sendJson<{ issues: unknown[] }>(`${env.JIRA_URL}/rest/api/3/search/jql`, {
      method: 'POST',
      headers: jiraHeaders,
      body: JSON.stringify({
        jql: `project = ${project} AND labels = "${label}"`,
        maxResults: 1,
        fields: ['key'],
      }),
    });
    if (found.issues.length > 0) continue;
    const title = `[${issue.severity}] ${issue.sourceRule?.name ?? 'Wiz issue'} on ${issue.entitySnapshot?.name ?? 'a resource'}`;
    const created = await sendJson<{ key: string }>(`${env.JIRA_URL}/rest/api/3/issue`, {
      method: 'POST',
      headers: jiraHeaders,
      body: JSON.stringify({
        fields: { project: { key: project }, issuetype: { name: 'Bug' }, summary: title, labels: [label] },
      }),
    });
    result.tickets++;
    const team = options.accountOwners[issue.entitySnapshot?.subscriptionExternalId ?? ''];
    const channel = (team && options.teamChannels[team]) || options.defaultChannel;
    const posted = await send(`${env.SLACK_API_URL}chat.postMessage`, {
      method: 'POST',
      headers: slackHeaders,
      body: JSON.stringify({ channel, text: `New ${issue.severity} finding: ${title} → ${created.key}` }),
    });
    const answer = (await posted.json()) as { ok: boolean; error?: string };
    if (!answer.ok) throw new Error(`Slack chat.postMessage to ${channel}: ${answer.error}`);
    result.messages++;
    result.messagesPerChannel[channel] = (result.messagesPerChannel[channel] ?? 0) + 1;
  }
  return result;
}
