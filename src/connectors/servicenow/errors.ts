import type { ClassifyResponse } from '../http/index.js';
import { scrubSnippet } from '../http/index.js';

/**
 * ServiceNow's error body, read once: `{"error": {"message", "detail"}, "status": "failure"}` (api-contracts
 * §6). A 403 is either an ACL (a missing role) or a data policy naming mandatory fields; they need different
 * fixes, so they get different codes.
 */
export const classifyServiceNowResponse: ClassifyResponse = ({ status, text }) => {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  const error = (body as { error?: { message?: unknown; detail?: unknown } } | null)?.error;
  if (!error || typeof error !== 'object') return undefined;
  const message = String(error.message ?? 'error');
  const detail = typeof error.detail === 'string' ? error.detail : '';
  const said = `ServiceNow said: ${scrubSnippet([message, detail].filter(Boolean).join(': '))}`;
  if (status === 401) {
    return { code: 'unauthorized', message: said, hint: 'check SERVICENOW_USERNAME and SERVICENOW_PASSWORD' };
  }
  if (status === 403 && /Data Policy Exception/i.test(detail)) {
    const fields = /mandatory:\s*([\w, ]+)/i.exec(detail)?.[1]?.trim();
    return {
      code: 'data_policy',
      fault: 'caller',
      retryable: false,
      message: said,
      hint: `the instance's data policy requires ${fields ?? 'more fields'} for this change (a resolve or close needs close_code and close_notes)`,
    };
  }
  if (status === 403) {
    return { message: said, hint: 'the integration user needs the itil role (or table ACLs for incident)' };
  }
  return { message: said };
};
