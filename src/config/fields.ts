/**
 * Field types shared by the arx.yaml schema sections. Each carries the message a user needs when the value
 * is wrong; `params.allowed` / `params.suggestion` on custom issues feed the `allowed:` and "did you mean"
 * lines of `arx validate`.
 */
import { z } from 'zod';
import { DURATION_HINT, isDuration } from './duration.js';
import { closest } from './suggest.js';

/** Metadata Arx reads from schema nodes (via zod's global registry). */
export interface FieldMeta {
  /** The value is a credential: registered with `secrets.add()` on load and redacted in every output. */
  secret?: boolean;
  description?: string;
}

/**
 * Marks a field as secret. Loading registers its value with the process secret registry, and
 * `arx config show` prints it as [REDACTED].
 * @example const token = secret(z.string()).optional();
 */
export function secret<T extends z.ZodType>(schema: T, description?: string): T {
  return schema.meta({ secret: true, ...(description ? { description } : {}) }) as T;
}

export function fieldMeta(schema: z.ZodType): FieldMeta | undefined {
  return z.globalRegistry.get(schema) as FieldMeta | undefined;
}

/**
 * A value written either as one item or as a list; the typed config always holds a list, so consumers
 * never branch on the shape.
 */
export function oneOrMany<T extends z.ZodType>(
  item: T,
  what: string,
  options: { allowEmpty?: boolean } = {},
) {
  const list = z.array(item, { error: `expected ${what} or a list of them` });
  return z.preprocess(
    (value) => (Array.isArray(value) || value === undefined || value === null ? value : [value]),
    options.allowEmpty ? list : list.min(1, `give at least one ${what}`),
  );
}

/** A string that must match `pattern`; the error says what it is not and what is allowed. */
export function matching(pattern: RegExp, what: string, allowed: string) {
  return z
    .string({ error: `expected ${what}: ${allowed}` })
    .refine((value) => pattern.test(value), { message: `not ${what}`, params: { allowed } });
}

const SEGMENT = '[A-Za-z0-9_.?*-]+';
const OPERATION_GLOB = new RegExp(`^${SEGMENT}(:${SEGMENT}){0,2}$`);
export const OPERATION_GLOB_HINT =
  'an operation id or glob: "jira:issues:create", "jira:*:create", "wiz:*", "*"';

/** An operation id (`jira:issues:create`) or a glob over ids (`jira:*:create`, `*:*:delete`). */
export const operationGlob = matching(OPERATION_GLOB, 'an operation glob', OPERATION_GLOB_HINT);

export const duration = z
  .string({ error: `expected ${DURATION_HINT}` })
  .refine(isDuration, { message: 'not a duration', params: { allowed: DURATION_HINT } });

export const clockTime = matching(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day', '"HH:MM", 00:00–23:59');

/** Risk points: the score is 0–100, so every weight lives in that range. */
export const points = z.number().int().min(0).max(100);

export const nonEmpty = z.string().min(1, 'must not be empty');

export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** An IANA time zone ("UTC", "Europe/Berlin"), checked against the runtime's tz database. */
export const timeZone = z
  .string({ error: 'expected an IANA time zone such as "UTC" or "Europe/Berlin"' })
  .superRefine((value, ctx) => {
    if (isTimeZone(value)) return;
    const suggestion = closest(value, Intl.supportedValuesOf('timeZone'));
    ctx.addIssue({
      code: 'custom',
      message: `unknown time zone "${value}"`,
      params: { allowed: 'an IANA time zone such as "UTC", "Europe/Berlin", "America/New_York"', suggestion },
    });
  });

export const httpUrl = z
  .string({ error: 'expected an http(s) URL' })
  .refine((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol), {
    message: 'not an http(s) URL',
    params: { allowed: 'a URL such as "https://your-org.atlassian.net"' },
  });
