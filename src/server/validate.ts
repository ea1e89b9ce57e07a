import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { z } from 'zod';

/**
 * The request's JSON body checked against `schema`, or a 400 `{code: 'invalid_request', message, issues}`
 * whose message names each bad field and shows an example of a good body.
 * @example const { as } = await jsonBody(c, decision, '{"as": "alice"}');
 */
export async function jsonBody<S extends z.ZodType>(
  c: Context,
  schema: S,
  example: string,
): Promise<z.infer<S>> {
  return checked(c, schema, await c.req.json().catch(() => undefined), `a JSON body like ${example}`);
}

/** The query string checked against `schema`, or the same 400. */
export function queryParams<S extends z.ZodType>(c: Context, schema: S, example: string): z.infer<S> {
  return checked(c, schema, c.req.query(), `a query like ${example}`);
}

function checked<S extends z.ZodType>(c: Context, schema: S, value: unknown, expected: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
  const named = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
  throw new HTTPException(400, {
    res: c.json({ code: 'invalid_request', message: `expected ${expected} (${named})`, issues }, 400),
  });
}
