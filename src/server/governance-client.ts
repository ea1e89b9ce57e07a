import type { CredentialCheck } from '../connectors/kit/credentials.js';
import { ArxError } from '../core/errors.js';
import type { GovernanceAccess } from '../governance/access.js';
import { principalRef } from '../governance/principal.js';
import {
  type ApprovalJson,
  approvalFromJson,
  type KillSwitchEntryJson,
  killSwitchEntryFromJson,
} from '../governance/records-json.js';

/**
 * Approvals, the kill switch and connector checks of a running `arx serve`, over its API: the same interface as the gate's
 * (`gateAccess`), so a command prints the same whichever carried it out. A refusal the server explains
 * (4xx `{code, message, hint}`) is thrown as the same caller's mistake the gate would have thrown.
 *
 * @example
 * const { approvals } = governanceOverHttp('http://127.0.0.1:8787', token);
 * await approvals.approve('apr_1a2b', { as: 'carol' });
 */
export function governanceOverHttp(url: string, token: string): GovernanceAccess {
  const call = async <T>(
    method: 'GET' | 'POST',
    path: string,
    body?: Record<string, unknown>,
  ): Promise<T> => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const answer = (await res.json().catch(() => undefined)) as unknown;
    if (!res.ok) throw refusal(url, res.status, answer);
    return answer as T;
  };
  const approval = async (path: string, body?: Record<string, unknown>) =>
    approvalFromJson(await call<ApprovalJson>(body ? 'POST' : 'GET', path, body));
  const changed = async (path: string, body: Record<string, unknown>) =>
    (await call<{ changed: boolean }>('POST', path, body)).changed;
  const at = (id: string) => `/approvals/${encodeURIComponent(id)}`;
  return {
    approvals: {
      list: async (status) =>
        (
          await call<{ approvals: ApprovalJson[] }>('GET', `/approvals?status=${status ?? 'all'}`)
        ).approvals.map(approvalFromJson),
      get: (id) => approval(at(id)),
      approve: (id, input) => approval(`${at(id)}/approve`, { as: input.as, comment: input.note }),
      deny: (id, input) => approval(`${at(id)}/deny`, { as: input.as, reason: input.note }),
    },
    killSwitch: {
      status: async () =>
        (await call<{ entries: KillSwitchEntryJson[] }>('GET', '/killswitch')).entries.map(
          killSwitchEntryFromJson,
        ),
      freeze: (change) => changed('/killswitch/freeze', { ...change }),
      suspend: (principal, change) =>
        changed('/killswitch/suspend', { ...change, principal: principalRef(principal) }),
      resume: (principal, change) =>
        changed('/killswitch/resume', { ...change, principal: principal && principalRef(principal) }),
    },
    connectors: {
      test: (connector, as) =>
        call<CredentialCheck>('POST', `/connectors/${encodeURIComponent(connector)}/test`, { as }),
    },
  };
}

/** Whether anything answers HTTP at `url` (any status), within a short wait. */
export async function serveAnswers(url: string, timeoutMs = PROBE_TIMEOUT_MS): Promise<boolean> {
  try {
    await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(timeoutMs) });
    return true;
  } catch {
    return false;
  }
}

const REQUEST_TIMEOUT_MS = 30_000;
const PROBE_TIMEOUT_MS = 3_000;

function refusal(url: string, status: number, answer: unknown): ArxError {
  const { code, message, hint } = (answer ?? {}) as { code?: string; message?: string; hint?: string };
  const said = message ?? `HTTP ${status}`;
  if (status === 401) {
    return new ArxError('unauthorized', `arx serve at ${url} refused the token: ${said}`, {
      fault: 'caller',
      hint: 'serve.token in ARX_HOME belongs to another arx serve; restart this one, or stop it and run the command again',
    });
  }
  if (status < 500) return new ArxError(code ?? 'refused', said, { fault: 'caller', hint });
  return new ArxError(code ?? 'serve_failed', `arx serve at ${url}: ${said}`, {
    retryable: status === 503,
    hint,
  });
}
