import type { z } from 'zod';
import { ArxError } from '../../core/errors.js';
import type { Credentials } from '../../governance/credentials.js';
import type { HandlerContext } from '../../governance/gate.js';
import type { HttpClient } from '../http/index.js';
import type { CredentialField } from './credentials.js';

export type { HandlerContext };

/**
 * The broker hands a handler `connectors.<tool>` of arx.yaml (with the environment filled in) keyed by the
 * config names (`api_token`); a connector reads it through its declared fields into its own typed
 * credentials (`apiToken`), applying field defaults. A missing field is reported by name, never as an
 * `undefined` header.
 */
export function credentialsFrom<S extends z.ZodType>(
  connector: string,
  fields: readonly CredentialField[],
  schema: S,
  record: Credentials | Record<string, unknown>,
): z.infer<S> {
  const values: Record<string, unknown> = {};
  for (const field of fields) {
    const raw =
      (record as Record<string, unknown>)[field.config] ?? (record as Record<string, unknown>)[field.name];
    const value = typeof raw === 'string' && raw.trim() !== '' ? raw.trim() : field.default;
    if (value !== undefined) values[field.name] = value;
  }
  const parsed = schema.safeParse(values);
  if (parsed.success) return parsed.data;
  const missing = parsed.error.issues.map((issue) => {
    const field = fields.find((f) => f.name === issue.path[0]);
    if (!field) return issue.path.join('.');
    const setting = `connectors.${connector}.${field.config}`;
    return field.env ? `${field.env} (${setting})` : setting;
  });
  throw new ArxError(
    'credentials_missing',
    `${connector}: credentials incomplete or invalid: ${[...new Set(missing)].join(', ')}`,
    {
      fault: 'caller',
      hint: `set them in the environment or arx.yaml, then run: arx connectors test ${connector}`,
    },
  );
}

/** The same client, with this call's abort signal on every request. */
export function withSignal(http: HttpClient, signal: AbortSignal | undefined): HttpClient {
  if (!signal) return http;
  return {
    tool: http.tool,
    stats: http.stats,
    calls: () => http.calls(),
    request: (req) =>
      http.request({ ...req, signal: req.signal ? AbortSignal.any([req.signal, signal]) : signal }),
  };
}
