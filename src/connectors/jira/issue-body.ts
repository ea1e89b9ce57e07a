import { type AdfDoc, adf, type FindingDetails, findingDescription, textToAdf } from './adf.js';
import type { IssueCreateBody } from './client.js';
import { ARX_LABEL, type CreateIssueParams, findingLabel } from './operations.js';
import { priorityForSeverity } from './priority.js';

/**
 * Create params → Jira's create-issue body (pure). The finding key travels twice: as the label
 * `arx-<finding_key>`, which JQL can search (reconciliation), and as the issue property `arx`, which
 * survives someone editing the labels. The label `arx` beside it lets one query list every issue Arx filed.
 */
export const ARX_ISSUE_PROPERTY = 'arx';

export function issueCreateBody(
  params: Omit<CreateIssueParams, 'project'>,
  project: string,
): IssueCreateBody {
  const priority =
    params.priority ??
    (params.severity ? priorityForSeverity(params.severity, { blocker: params.blocker }) : undefined);
  const labels = [
    ...new Set([
      ...(params.labels ?? []),
      ...(params.findingKey ? [findingLabel(params.findingKey), ARX_LABEL] : []),
    ]),
  ];
  const description = richTextDoc(
    params.description,
    params.details && { findingKey: params.findingKey, ...params.details },
  );
  const fields: Record<string, unknown> = {
    project: { key: project },
    issuetype: { name: params.issueType ?? 'Bug' },
    summary: params.summary,
    ...(description ? { description } : {}),
    ...(priority ? { priority: { name: priority } } : {}),
    ...(labels.length ? { labels } : {}),
    ...(params.components?.length ? { components: params.components.map((name) => ({ name })) } : {}),
    ...(params.assignee ? { assignee: { accountId: params.assignee } } : {}),
    ...(params.dueDate ? { duedate: params.dueDate } : {}),
  };
  return {
    fields,
    ...(params.findingKey
      ? { properties: [{ key: ARX_ISSUE_PROPERTY, value: { findingKey: params.findingKey } }] }
      : {}),
  };
}

/** Text or ADF, followed by the rendered finding details; undefined when there is neither. */
export function richTextDoc(text: string | AdfDoc | undefined, details?: FindingDetails): AdfDoc | undefined {
  const lead = text === undefined ? undefined : typeof text === 'string' ? textToAdf(text) : text;
  const rendered = details ? findingDescription(details) : undefined;
  if (!lead) return rendered;
  if (!rendered) return lead;
  return adf.doc(...lead.content, adf.rule(), ...rendered.content);
}
