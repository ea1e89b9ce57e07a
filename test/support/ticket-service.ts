import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A tiny ticketing service over real HTTP, for engine tests: it creates tickets (no idempotency of its own,
 * like Jira), finds them by label (how reconciliation asks "did my create land?"), lists them in pages and
 * closes them. Its own API (`tickets()`) is what tests assert on: a duplicate here is a duplicate ticket.
 *
 * `onCreate` runs after a ticket is stored and before the answer is sent, so a test can kill the client or
 * pull the kill switch at the most awkward instant.
 */
export interface Ticket {
  key: string;
  title: string;
  labels: string[];
  status: 'open' | 'closed';
}

export type CreateHook = (ticket: Ticket, count: number) => void | Promise<void>;

export interface TicketService {
  url: string;
  tickets(): Ticket[];
  /** How many create requests arrived (each stored a ticket). */
  creates(): number;
  onCreate(hook: CreateHook | undefined): void;
  close(): Promise<void>;
}

const PAGE_LIMIT = 2;

export async function startTicketService(): Promise<TicketService> {
  const tickets: Ticket[] = [];
  let creates = 0;
  let hook: CreateHook | undefined;
  const server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => send(res, 500, { error: String(err) }));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://tickets.test');
    const body = await readBody(req);
    if (req.method === 'POST' && url.pathname === '/tickets') {
      const input = JSON.parse(body || '{}') as { title?: string; labels?: string[] };
      if (!input.title) return send(res, 400, { error: 'title is required' });
      const ticket: Ticket = {
        key: `T-${tickets.length + 1}`,
        title: input.title,
        labels: input.labels ?? [],
        status: 'open',
      };
      tickets.push(ticket);
      creates += 1;
      await hook?.(ticket, creates);
      if (res.destroyed) return;
      return send(res, 201, { key: ticket.key });
    }
    if (req.method === 'GET' && url.pathname === '/tickets') {
      const label = url.searchParams.get('label');
      const matching = label ? tickets.filter((t) => t.labels.includes(label)) : tickets;
      const offset = Number(url.searchParams.get('after') ?? 0);
      const page = matching.slice(offset, offset + PAGE_LIMIT);
      const next = offset + PAGE_LIMIT < matching.length ? String(offset + PAGE_LIMIT) : undefined;
      return send(res, 200, { items: page, ...(next ? { next } : {}) });
    }
    const close = url.pathname.match(/^\/tickets\/([^/]+)\/close$/);
    if (req.method === 'POST' && close) {
      const ticket = tickets.find((t) => t.key === close[1]);
      if (!ticket) return send(res, 404, { error: 'no such ticket' });
      ticket.status = 'closed';
      return send(res, 200, { key: ticket.key, status: ticket.status });
    }
    send(res, 404, { error: 'not found' });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    tickets: () => tickets.map((t) => ({ ...t, labels: [...t.labels] })),
    creates: () => creates,
    onCreate: (next) => {
      hook = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
