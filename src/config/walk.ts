/**
 * Walking the arx.yaml schema alongside a value: which schema governs a path (for "allowed" and "did you
 * mean"), and which values sit in secret-marked fields (to register them and to redact them).
 */
import { z } from 'zod';
import { REDACTED, SECRET_KEY_PATTERN } from '../core/secrets.js';
import { fieldMeta } from './fields.js';

export type PathSegment = string | number;

/** Peels optional/default/preprocess wrappers, noting whether any layer is marked secret. */
function unwrap(schema: z.ZodType): { inner: z.ZodType; secret: boolean } {
  let current = schema;
  let secret = Boolean(fieldMeta(current)?.secret);
  for (let depth = 0; depth < 16; depth++) {
    if (
      current instanceof z.ZodOptional ||
      current instanceof z.ZodDefault ||
      current instanceof z.ZodPrefault ||
      current instanceof z.ZodNullable
    ) {
      current = current.unwrap() as z.ZodType;
    } else if (current instanceof z.ZodPipe) {
      // a preprocess feeds `out`; a trailing .transform() has the real schema on `in`
      current = (current.out instanceof z.ZodTransform ? current.in : current.out) as z.ZodType;
    } else break;
    secret ||= Boolean(fieldMeta(current)?.secret);
  }
  return { inner: current, secret };
}

function child(schema: z.ZodType, segment: PathSegment): z.ZodType | undefined {
  const { inner } = unwrap(schema);
  if (inner instanceof z.ZodObject) return typeof segment === 'string' ? inner.shape[segment] : undefined;
  if (inner instanceof z.ZodArray) return inner.element as z.ZodType;
  if (inner instanceof z.ZodRecord) return inner.valueType as z.ZodType;
  return undefined;
}

/** The schema (unwrapped) that validates the value at `path`, if the path exists in the schema. */
export function schemaAt(root: z.ZodType, path: readonly PathSegment[]): z.ZodType | undefined {
  let current: z.ZodType | undefined = root;
  for (const segment of path) {
    if (!current) return undefined;
    current = child(current, segment);
  }
  return current ? unwrap(current).inner : undefined;
}

/** Keys a strict object at `path` accepts, for "did you mean" on an unknown key. */
export function knownKeysAt(root: z.ZodType, path: readonly PathSegment[]): string[] {
  const schema = schemaAt(root, path);
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

export interface SecretValue {
  path: PathSegment[];
  value: string;
}

/**
 * Every string in a secret-marked field, plus strings under secret-looking keys inside free-form maps
 * (a workflow option called `webhook_token` is a secret too). Works on the raw parsed YAML as well as the
 * typed config: a single item where the schema expects a list is walked as that list's only item.
 */
export function secretValues(root: z.ZodType, value: unknown): SecretValue[] {
  const found: SecretValue[] = [];
  const visit = (schema: z.ZodType | undefined, node: unknown, path: PathSegment[], keyed: boolean): void => {
    if (node === null || node === undefined) return;
    if (!schema) {
      visitFreeForm(node, path, keyed, found);
      return;
    }
    const { inner, secret } = unwrap(schema);
    if (secret && typeof node === 'string') {
      found.push({ path, value: node });
      return;
    }
    if (inner instanceof z.ZodObject && isRecord(node)) {
      for (const [key, member] of Object.entries(node)) {
        visit(
          inner.shape[key] as z.ZodType | undefined,
          member,
          [...path, key],
          SECRET_KEY_PATTERN.test(key),
        );
      }
    } else if (inner instanceof z.ZodArray) {
      const items = Array.isArray(node) ? node : [node];
      for (const [index, item] of items.entries())
        visit(inner.element as z.ZodType, item, [...path, index], false);
    } else if (inner instanceof z.ZodRecord && isRecord(node)) {
      for (const [key, member] of Object.entries(node)) {
        visit(inner.valueType as z.ZodType, member, [...path, key], SECRET_KEY_PATTERN.test(key));
      }
    } else if (inner instanceof z.ZodUnknown || inner instanceof z.ZodAny) {
      visitFreeForm(node, path, keyed, found);
    }
  };
  visit(root, value, [], false);
  return found;
}

function visitFreeForm(node: unknown, path: PathSegment[], keyed: boolean, found: SecretValue[]): void {
  if (typeof node === 'string') {
    if (keyed) found.push({ path, value: node });
  } else if (Array.isArray(node)) {
    for (const [index, item] of node.entries()) visitFreeForm(item, [...path, index], keyed, found);
  } else if (isRecord(node)) {
    for (const [key, member] of Object.entries(node)) {
      visitFreeForm(member, [...path, key], keyed || SECRET_KEY_PATTERN.test(key), found);
    }
  }
}

/** A deep copy of `value` with every secret value replaced by [REDACTED]. */
export function redactSecrets<T>(root: z.ZodType, value: T): T {
  const copy = structuredClone(value);
  for (const { path } of secretValues(root, copy)) setAt(copy, path, REDACTED);
  return copy;
}

function setAt(target: unknown, path: readonly PathSegment[], replacement: unknown): void {
  let node = target as Record<PathSegment, unknown>;
  for (const segment of path.slice(0, -1)) node = node[segment] as Record<PathSegment, unknown>;
  const last = path[path.length - 1];
  if (last !== undefined) node[last] = replacement;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
