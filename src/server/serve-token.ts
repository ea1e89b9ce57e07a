import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { secrets } from '../core/secrets.js';

/**
 * The bearer token of a running `arx serve`: random per start, in `<ARX_HOME>/serve.token` (mode 0600) for
 * the people and commands that may use the API, removed when serve stops. The value is registered as a
 * secret, so it is scrubbed from anything Arx prints or logs.
 */
export const SERVE_TOKEN_FILE = 'serve.token';

export interface ServeToken {
  readonly token: string;
  readonly path: string;
  /** Deletes the file if it still holds this token (a later serve may have replaced it). Safe to call twice. */
  remove(): void;
}

export function serveTokenPath(home: string): string {
  return join(resolve(home), SERVE_TOKEN_FILE);
}

/** A fresh token, written readable by this user only; removed at stop, or at exit if stop never came. */
export function createServeToken(home: string): ServeToken {
  const token = randomBytes(32).toString('base64url');
  secrets.add(token);
  const path = serveTokenPath(home);
  mkdirSync(resolve(home), { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temp, `${token}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(temp, 0o600); // whatever the umask
  renameSync(temp, path);
  const remove = () => {
    process.off('exit', remove);
    if (readServeToken(home) !== token) return;
    try {
      unlinkSync(path);
    } catch {
      // already gone
    }
  };
  process.once('exit', remove);
  return { token, path, remove };
}

/** The token of the `arx serve` using this ARX_HOME, if there is one and this user may read it. */
export function readServeToken(home: string): string | undefined {
  try {
    const token = readFileSync(serveTokenPath(home), 'utf8').trim();
    if (!token) return undefined;
    secrets.add(token);
    return token;
  } catch {
    return undefined;
  }
}
