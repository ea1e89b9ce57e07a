import { richTextDoc } from './issue-body.js';
import type { UpdateIssueParams } from './operations.js';

/** Update params → Jira's edit body: `fields` to set, `update.labels` add/remove operations (pure). */
export function updateBody(params: UpdateIssueParams): {
  fields?: Record<string, unknown>;
  update?: Record<string, unknown>;
} {
  const description = params.description === undefined ? undefined : richTextDoc(params.description);
  const fields = {
    ...params.fields,
    ...(description ? { description } : {}),
    ...(params.priority ? { priority: { name: params.priority } } : {}),
  };
  const labels = [
    ...(params.addLabels ?? []).map((add) => ({ add })),
    ...(params.removeLabels ?? []).map((remove) => ({ remove })),
  ];
  return {
    ...(Object.keys(fields).length ? { fields } : {}),
    ...(labels.length ? { update: { labels } } : {}),
  };
}
