/**
 * Turns schema issues into ConfigIssues a person can act on: the path, what is wrong, what is allowed and,
 * for a typo, what was probably meant. Values are never echoed for secret fields.
 */
import { z } from 'zod';
import type { ConfigIssue } from '../core/errors.js';
import { rawValueAt } from './locate.js';
import { closest } from './suggest.js';
import { knownKeysAt, type PathSegment, schemaAt } from './walk.js';

/** A problem before it is placed in the file: `path` is the schema's path. */
export interface RawIssue {
  path: PathSegment[];
  message: string;
  allowed?: string;
  suggestion?: string;
  /** Point at the key rather than its value (unknown keys). */
  atKey?: boolean;
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  object: 'a mapping (key: value)',
  array: 'a list',
};

function describeValues(values: readonly unknown[]): string {
  return values.map((value) => JSON.stringify(value)).join(' | ');
}

/** The allowed range of the number schema at `path`, e.g. "an integer from 0 to 100". */
function numberRange(root: z.ZodType, path: readonly PathSegment[]): string | undefined {
  const schema = schemaAt(root, path);
  if (!(schema instanceof z.ZodNumber)) return undefined;
  const kind = schema.isInt ? 'an integer' : 'a number';
  const { minValue: min, maxValue: max } = schema;
  const finite = (n: number | null): n is number => n !== null && Number.isFinite(n) && Math.abs(n) < 2 ** 52;
  if (finite(min) && finite(max)) return `${kind} from ${min} to ${max}`;
  if (finite(min)) return `${kind} ≥ ${min}`;
  if (finite(max)) return `${kind} ≤ ${max}`;
  return kind;
}

type Translate = (issue: z.core.$ZodIssue, root: z.ZodType, raw: unknown) => RawIssue[];

const TRANSLATORS: Partial<Record<z.core.$ZodIssue['code'], Translate>> = {
  unrecognized_keys: (issue, root) => {
    const { keys } = issue as z.core.$ZodIssueUnrecognizedKeys;
    const path = issue.path as PathSegment[];
    const known = knownKeysAt(root, path);
    return keys.map((key) => ({
      path: [...path, key],
      message: `unknown key "${key}"`,
      allowed: known.length > 0 ? known.join(', ') : undefined,
      suggestion: closest(key, known),
      atKey: true,
    }));
  },
  invalid_value: (issue, _root, raw) => {
    const { values } = issue as z.core.$ZodIssueInvalidValue;
    const path = issue.path as PathSegment[];
    const given = rawValueAt(raw, path);
    const candidates = values.filter((value): value is string => typeof value === 'string');
    return [
      {
        path,
        message: given === undefined ? 'is required' : `${JSON.stringify(given)} is not allowed here`,
        allowed: describeValues(values),
        suggestion: typeof given === 'string' ? closest(given, candidates) : undefined,
      },
    ];
  },
  invalid_type: (issue, root, raw) => {
    const { expected } = issue as z.core.$ZodIssueInvalidType;
    const path = issue.path as PathSegment[];
    const missing = rawValueAt(raw, path) === undefined;
    const custom = !issue.message.startsWith('Invalid input');
    const allowed = numberRange(root, path) ?? TYPE_NAMES[expected] ?? expected;
    const message = missing ? 'is required' : custom ? issue.message : `expected ${allowed}`;
    return [{ path, message, allowed }];
  },
  too_small: (issue, root) => {
    const { origin, minimum } = issue as z.core.$ZodIssueTooSmall;
    const path = issue.path as PathSegment[];
    if (origin === 'array') {
      return [{ path, message: `needs at least ${minimum} item${minimum === 1 ? '' : 's'}` }];
    }
    if (origin === 'string') return [{ path, message: issue.message }];
    return [{ path, message: `must be at least ${minimum}`, allowed: numberRange(root, path) }];
  },
  too_big: (issue, root) => {
    const { origin, maximum } = issue as z.core.$ZodIssueTooBig;
    const path = issue.path as PathSegment[];
    if (origin === 'array') return [{ path, message: `allows at most ${maximum} items` }];
    if (origin === 'string') return [{ path, message: `must be at most ${maximum} characters` }];
    return [{ path, message: `must be at most ${maximum}`, allowed: numberRange(root, path) }];
  },
  invalid_key: (issue) => {
    const inner = (issue as z.core.$ZodIssueInvalidKey).issues[0];
    const params = (inner as { params?: { allowed?: string } } | undefined)?.params;
    const key = issue.path[issue.path.length - 1];
    return [
      {
        path: issue.path as PathSegment[],
        message: `key ${JSON.stringify(key)}: ${inner?.message ?? 'not allowed'}`,
        allowed: params?.allowed,
        atKey: true,
      },
    ];
  },
  custom: (issue) => {
    const params = (issue as z.core.$ZodIssueCustom).params as
      | { allowed?: string; suggestion?: string }
      | undefined;
    return [
      {
        path: issue.path as PathSegment[],
        message: issue.message,
        allowed: params?.allowed,
        suggestion: params?.suggestion,
      },
    ];
  },
};

/** Schema issues in a person's terms; `raw` is the parsed file (to tell "missing" from "wrong"). */
export function translateIssues(
  issues: readonly z.core.$ZodIssue[],
  root: z.ZodType,
  raw: unknown,
): RawIssue[] {
  return issues.flatMap((issue) => {
    const translate = TRANSLATORS[issue.code];
    if (translate) return translate(issue, root, raw);
    return [{ path: issue.path as PathSegment[], message: issue.message }];
  });
}

/** Drops undefined fields so printed and JSON issues stay tidy. */
export function compactIssue(issue: ConfigIssue): ConfigIssue {
  return Object.fromEntries(Object.entries(issue).filter(([, value]) => value !== undefined)) as ConfigIssue;
}
