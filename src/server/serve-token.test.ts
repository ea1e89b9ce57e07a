import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import { secrets } from '../core/secrets.js';
import { createServeToken, readServeToken } from './serve-token.js';

const homes: string[] = [];
const home = () => {
  const dir = mkdtempSync(join(tmpdir(), 'arx-serve-token-'));
  homes.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of homes.splice(0)) rmSync(dir, { recursive: true, force: true });
});

test('a fresh token per start, readable by this user only, scrubbed, and removed at stop', () => {
  const dir = home();
  const first = createServeToken(dir, {});
  assert.equal(readServeToken(dir), first.token);
  assert.equal(statSync(first.path).mode & 0o777, 0o600);
  assert.equal(secrets.scrub(`Bearer ${first.token}`), 'Bearer [REDACTED]');
  first.remove();
  assert.equal(readServeToken(dir), undefined);
  const second = createServeToken(dir, {});
  assert.notEqual(second.token, first.token);
  second.remove();
});

test('ARX_SERVE_TOKEN fixes the token (several serves behind one address); a weak one is refused by name', () => {
  const dir = home();
  const fixed = 'k3y-for-every-serve-0123456789';
  const token = createServeToken(dir, { ARX_SERVE_TOKEN: ` ${fixed} ` });
  assert.equal(token.token, fixed);
  assert.equal(readServeToken(dir), fixed);
  token.remove();
  assert.throws(() => createServeToken(dir, { ARX_SERVE_TOKEN: 'short' }), /ARX_SERVE_TOKEN is too short/);
  assert.throws(
    () => createServeToken(dir, { ARX_SERVE_TOKEN: 'has a space in it but long enough' }),
    /ARX_SERVE_TOKEN/,
  );
});

test('a stop does not remove a token a later serve wrote over it', () => {
  const dir = home();
  const older = createServeToken(dir, {});
  const newer = createServeToken(dir, {});
  older.remove();
  assert.equal(readServeToken(dir), newer.token);
  newer.remove();
});
