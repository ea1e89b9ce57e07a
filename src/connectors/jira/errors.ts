import type { ClassifyResponse, HttpErrorClass } from '../http/index.js';
import { scrubSnippet } from '../http/index.js';

/**
 * Jira's error bodies, read once: `{"errorMessages": [...], "errors": {"<field>": "<message>"}}` on 400, 403
 * and 404 (api-contracts §2.6); a 401 for bad Basic credentials has a text, HTML or empty body. What Jira
 * says is kept in the message (scrubbed), with a hint where the fix is known.
 */
export interface JiraErrorBody {
  errorMessages?: string[];
  errors?: Record<string, string>;
}

/** `errorMessages` and `field: message` pairs, joined; undefined when the body is not Jira's error shape. */
export function jiraErrorText(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { errorMessages, errors } = body as JiraErrorBody;
  const parts = [
    ...(Array.isArray(errorMessages) ? errorMessages.filter((m) => typeof m === 'string') : []),
    ...Object.entries(errors && typeof errors === 'object' ? errors : {}).map(([f, m]) => `${f}: ${m}`),
  ];
  return parts.length > 0 ? parts.join('; ') : undefined;
}

/** Known Jira answers → a sharper code or hint than the HTTP status alone gives. */
const KNOWN: Array<{ match: RegExp; cls: Partial<HttpErrorClass> }> = [
  {
    match: /Unbounded JQL/i,
    cls: { code: 'jql_unbounded', hint: 'add a restriction such as `project = KEY` to the JQL' },
  },
  {
    match: /Error in the JQL Query|does not exist for the field|not supported by/i,
    cls: { code: 'jql_invalid', hint: 'fix the JQL; Jira names the position of the problem' },
  },
  {
    match: /Transition id '.*' is not valid/i,
    cls: {
      code: 'transition_invalid',
      hint: 'the issue is not in a status from which that transition is offered',
    },
  },
  {
    match: /Issue does not exist or you do not have permission/i,
    cls: {
      code: 'issue_not_found',
      hint: 'check the issue key, and that the API token owner can browse the project',
    },
  },
  {
    match: /valid project is required|Specify a valid project/i,
    cls: {
      code: 'project_not_found',
      hint: "check JIRA_PROJECT_KEY (or the project param) and the token owner's access",
    },
  },
];

export const classifyJiraResponse: ClassifyResponse = ({ status, headers, text }) => {
  if (status === 401) {
    const reason = headers.get('x-seraph-loginreason');
    return {
      code: 'unauthorized',
      message: `Jira rejected the credentials${reason ? ` (${reason})` : ''}`,
      hint: 'check JIRA_USER_EMAIL and JIRA_API_TOKEN (create a token at id.atlassian.com → Security → API tokens)',
    };
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  const said = jiraErrorText(body);
  if (!said) return undefined;
  const known = KNOWN.find((k) => k.match.test(said));
  return { ...known?.cls, message: `Jira said: ${scrubSnippet(said)}` };
};
