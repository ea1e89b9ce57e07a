import type { z } from 'zod';
import { type Finding, type FindingInput, findingSchema } from '../../core/finding/model.js';

/**
 * What a normaliser returns for one vendor record: a finding, or a quarantined record that says which field
 * was wrong and why. A record is never dropped silently: a bad one is kept (with its raw payload) for review.
 */
export type NormaliseResult =
  | { ok: true; finding: Finding }
  | {
      ok: false;
      /** What is wrong, naming the field and the value: `severity "SEVERE" is not one of CRITICAL, HIGH, …`. */
      reason: string;
      /** Where inside the record (`entitySnapshot.providerId`). */
      path: string;
      raw: unknown;
    };

export type Quarantined = Extract<NormaliseResult, { ok: false }>;

export function quarantine(reason: string, path: string, raw: unknown): Quarantined {
  return { ok: false, reason, path, raw };
}

/** Formats a zod issue path (`['nodes', 3, 'id']`) as `nodes[3].id`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

/** The first problem of a failed parse, as a quarantine: the reason names the field and what was found. */
export function quarantineFromZod(
  error: z.ZodError,
  raw: unknown,
  options: { prefix?: string; checked?: unknown } = {},
): Quarantined {
  const issue = error.issues[0];
  const path = formatPath([...(options.prefix ? [options.prefix] : []), ...(issue?.path ?? [])]);
  const found = issue ? valueAt(options.checked ?? raw, issue.path) : undefined;
  const shown = found === undefined ? 'missing' : `got ${JSON.stringify(found)?.slice(0, 80)}`;
  return quarantine(`${path || 'record'}: ${issue?.message ?? 'invalid'} (${shown})`, path, raw);
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** The last gate: whatever a normaliser built must be a valid Finding, or the record is quarantined. */
export function accept(finding: FindingInput, raw: unknown): NormaliseResult {
  const parsed = findingSchema.safeParse(finding);
  if (parsed.success) return { ok: true, finding: parsed.data };
  return quarantineFromZod(parsed.error, raw, { prefix: 'finding', checked: finding });
}
