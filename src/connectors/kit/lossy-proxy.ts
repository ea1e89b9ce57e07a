import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Test support (production code never imports it): a loopback proxy in front of an emulator that forwards
 * every request, and for the ones `lose` picks, lets the tool act but answers the client 502 instead of the
 * tool's answer. That is the failure exactly-once writes must survive: the effect happened, the response
 * was lost.
 */
export interface LossyProxy {
  url: string;
  /** Requests whose response was replaced, as `METHOD /path`. */
  lost: string[];
  close(): Promise<void>;
}

export async function startLossyProxy(
  target: string,
  lose: (req: { method: string; path: string; count: number }) => boolean,
): Promise<LossyProxy> {
  const lost: string[] = [];
  const seen = new Map<string, number>();
  const server = createServer(async (req, res) => {
    const body = await readAll(req);
    const method = req.method ?? 'GET';
    const path = new URL(req.url ?? '/', 'http://proxy').pathname;
    const key = `${method} ${path}`;
    const count = (seen.get(key) ?? 0) + 1;
    seen.set(key, count);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === 'string' && name !== 'host' && name !== 'content-length') headers.set(name, value);
    }
    const upstream = await fetch(`${target}${req.url}`, {
      method,
      headers,
      ...(body.length > 0 ? { body } : {}),
    });
    const text = await upstream.text();
    if (lose({ method, path, count })) {
      lost.push(key);
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('Bad gateway (response lost by the test proxy)');
      return;
    }
    const out: Record<string, string> = {};
    upstream.headers.forEach((value, name) => {
      if (name !== 'content-length' && name !== 'content-encoding' && name !== 'transfer-encoding')
        out[name] = value;
    });
    res.writeHead(upstream.status, out);
    res.end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    lost,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
