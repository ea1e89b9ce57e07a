import type { AddressInfo } from 'node:net';
import type { Hono } from 'hono';
import { ArxError } from '../core/errors.js';

export interface Listening {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Serves `app` on host:port (port 0 picks a free one); a port in use is a caller's mistake with the fix. */
export async function listen(app: Hono, port: number, host: string): Promise<Listening> {
  const { serve } = await import('@hono/node-server');
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname: host }, (info: AddressInfo) => {
      const shownHost = host.includes(':') ? `[${host}]` : host;
      resolve({
        url: `http://${shownHost}:${info.port}`,
        port: info.port,
        close: () =>
          new Promise<void>((done) => {
            (server as { closeAllConnections?: () => void }).closeAllConnections?.();
            server.close(() => done());
          }),
      });
    });
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(
        err.code === 'EADDRINUSE'
          ? new ArxError('port_in_use', `port ${port} on ${host} is already in use`, {
              fault: 'caller',
              hint: 'choose another with --port, or stop the process using it',
            })
          : err,
      );
    });
  });
}
