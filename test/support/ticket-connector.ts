import { z } from 'zod';
import {
  type CallStats,
  createHttpClient,
  type HttpClient,
  RETRY_NONE,
} from '../../src/connectors/http/index.js';
import type { Clock } from '../../src/core/clock.js';
import { defineOperations } from '../../src/governance/catalog.js';
import type { Gate } from '../../src/governance/gate.js';

/**
 * A connector written for engine tests, for the ticket service in `ticket-service.ts`: catalog entries,
 * handlers over the real HTTP seam (so calls are counted per tool), and a reconcile for its create (search
 * by the finding label). It is registered with the real gate like any connector; nothing of Arx is mocked.
 */
export const ticketOperations = defineOperations('tickets', [
  {
    name: 'issues:create',
    verb: 'write',
    risk: 'MEDIUM',
    description: 'Create a ticket for a finding',
    params: z.looseObject({ findingKey: z.string().min(1), title: z.string().min(1) }),
    idempotencyKey: (p) => `tickets:create:${p.findingKey}`,
  },
  {
    name: 'issues:close',
    verb: 'write',
    risk: 'MEDIUM',
    description: 'Close a ticket',
    params: z.looseObject({ key: z.string().min(1) }),
    idempotencyKey: (p) => `tickets:close:${p.key}`,
  },
  {
    name: 'issues:search',
    verb: 'read',
    risk: 'LOW',
    description: 'Find tickets by label',
    params: z.looseObject({ label: z.string().min(1) }),
  },
  {
    name: 'issues:list',
    verb: 'read',
    risk: 'LOW',
    description: 'List tickets, one page per call',
    params: z.looseObject({ after: z.string().optional() }),
  },
]);

export interface TicketRef {
  key: string;
}

/** Tickets carry their finding key as a label, which is how a lost create is found again. */
export const findingLabel = (findingKey: string) => `arx-${findingKey}`;

interface Credentials {
  url: string;
}

export function registerTicketConnector(gate: Gate, deps: { stats: CallStats; clock: Clock }): void {
  const clients = new Map<string, HttpClient>();
  const client = (credentials: Credentials) => {
    let found = clients.get(credentials.url);
    if (!found) {
      found = createHttpClient({
        tool: 'tickets',
        baseUrl: credentials.url,
        stats: deps.stats,
        clock: deps.clock,
        retry: RETRY_NONE,
      });
      clients.set(credentials.url, found);
    }
    return found;
  };
  gate.register('tickets:issues:create', async (params: { findingKey: string; title: string }, ctx) => {
    const response = await client(ctx.credentials as Credentials).request<TicketRef>({
      method: 'POST',
      path: '/tickets',
      endpoint: 'create',
      json: { title: params.title, labels: [findingLabel(params.findingKey)] },
      signal: ctx.signal,
    });
    return { key: response.body.key };
  });
  gate.registerReconciler('tickets:issues:create', async (params: { findingKey: string }, ctx) => {
    const response = await client(ctx.credentials as Credentials).request<{ items: TicketRef[] }>({
      path: '/tickets',
      endpoint: 'search',
      query: { label: findingLabel(params.findingKey) },
      signal: ctx.signal,
    });
    const first = response.body.items[0];
    return first ? { key: first.key } : undefined;
  });
  gate.register('tickets:issues:close', async (params: { key: string }, ctx) => {
    const response = await client(ctx.credentials as Credentials).request<{ key: string; status: string }>({
      method: 'POST',
      path: `/tickets/${params.key}/close`,
      endpoint: 'close',
      signal: ctx.signal,
    });
    return response.body;
  });
  gate.register('tickets:issues:search', async (params: { label: string }, ctx) => {
    const response = await client(ctx.credentials as Credentials).request<{ items: TicketRef[] }>({
      path: '/tickets',
      endpoint: 'search',
      query: { label: params.label },
      signal: ctx.signal,
    });
    return response.body;
  });
  gate.register('tickets:issues:list', async (params: { after?: string }, ctx) => {
    const response = await client(ctx.credentials as Credentials).request<{
      items: TicketRef[];
      next?: string;
    }>({
      path: '/tickets',
      endpoint: 'list',
      query: { after: params.after },
      signal: ctx.signal,
    });
    return response.body;
  });
}
