import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from '../core/errors.js';
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

/** Shortest `ARX_SERVE_TOKEN` accepted: 128 bits of base64. */
const MIN_FIXED_TOKEN = 22;

/**
 * A fresh token (or `ARX_SERVE_TOKEN`, for several `arx serve` behind one address on a shared PostgreSQL:
 * API clients then need one token), written readable by this user only; removed at stop, or at exit if stop
 * never came.
 */
export function createServeToken(home: string, env: NodeJS.ProcessEnv = process.env): ServeToken {
  const token = fixedToken(env) ?? randomBytes(32).toString('base64url');
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

function fixedToken(env: NodeJS.ProcessEnv): string | undefined {
  const token = env.ARX_SERVE_TOKEN?.trim();
  if (!token) return undefined;
  if (token.length < MIN_FIXED_TOKEN || /\s/.test(token)) {
    throw new UsageError(
      `ARX_SERVE_TOKEN is too short or holds spaces: use at least ${MIN_FIXED_TOKEN} characters without spaces.`,
      { hint: 'for example: export ARX_SERVE_TOKEN=$(openssl rand -base64 32 | tr -d "=+/")' },
    );
  }
  return token;
}
