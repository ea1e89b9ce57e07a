/**
 * `${VAR}` and `${VAR:-default}` in arx.yaml string values, so credentials stay in the environment (with the
 * variable names of the workflow READMEs). `$${` writes a literal `${`. A value that is exactly one reference
 * and resolves to nothing counts as "not set", which lets one file serve both the sandbox and real tools:
 * `api_token: ${JIRA_API_TOKEN:-}`.
 */
import { isMap, isScalar, isSeq, type Node, type Scalar } from 'yaml';
import type { PathSegment } from './walk.js';

export type Env = Readonly<Record<string, string | undefined>>;

// the last alternative catches a `${` that is never closed
const REFERENCE = /\$\$\{|\$\{([^}]*)\}|\$\{/g;
const VARIABLE = /^([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?$/s;

// biome-ignore lint/suspicious/noTemplateCurlyInString: the reference syntax itself, shown to users
export const REFERENCE_SYNTAX = '${VAR} or ${VAR:-default}';

export type Interpolated =
  | { ok: true; value: string; references: string[]; whole: boolean }
  | { ok: false; problem: string; allowed: string };

/**
 * Resolves the references in one string.
 * @example interpolate('${HOST:-localhost}:5432', {}) // { ok: true, value: 'localhost:5432', … }
 */
export function interpolate(text: string, env: Env): Interpolated {
  const references: string[] = [];
  let problem: Interpolated | undefined;
  const value = text.replace(REFERENCE, (match, inner: string | undefined) => {
    if (match === '$${') return '${';
    if (inner === undefined) {
      problem ??= { ok: false, problem: 'unterminated "${"', allowed: REFERENCE_SYNTAX };
      return match;
    }
    const parsed = VARIABLE.exec(inner);
    if (!parsed) {
      problem ??= {
        ok: false,
        problem: `malformed reference "${match}"`,
        allowed: `${REFERENCE_SYNTAX}, VAR being letters, digits and "_" (write $\${ for a literal \${)`,
      };
      return match;
    }
    const [, name, fallback] = parsed as unknown as [string, string, string | undefined];
    references.push(name);
    const current = env[name];
    if (current !== undefined && (current !== '' || fallback === undefined)) return current;
    if (fallback !== undefined) return fallback;
    problem ??= {
      ok: false,
      problem: `environment variable ${name} is not set`,
      allowed: `export ${name}=…, or give a default: \${${name}:-value} (\${${name}:-} for "not set")`,
    };
    return match;
  });
  if (problem) return problem;
  const whole = references.length === 1 && /^\$\{[^}]*\}$/.test(text);
  return { ok: true, value, references, whole };
}

export interface InterpolationProblem {
  path: PathSegment[];
  node: Node;
  message: string;
  allowed: string;
}

export interface InterpolationResult {
  problems: InterpolationProblem[];
  /** Every variable read, by config path; the loader registers the secret-looking ones. */
  references: Array<{ path: PathSegment[]; variables: string[]; value: string }>;
}

/**
 * Interpolates every string value of a parsed YAML document in place (keys are left alone). A plain
 * (unquoted) value that is exactly one reference takes the type of what it resolves to, so
 * `enabled: ${QUALYS_ENABLED:-false}` is a boolean; a quoted one stays a string.
 */
export function interpolateDocument(root: Node | null, env: Env): InterpolationResult {
  const result: InterpolationResult = { problems: [], references: [] };
  const visit = (node: unknown, path: PathSegment[]): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        visit(pair.value, [...path, key]);
      }
    } else if (isSeq(node)) {
      for (const [index, item] of node.items.entries()) visit(item, [...path, index]);
    } else if (isScalar(node) && typeof node.value === 'string' && node.value.includes('$')) {
      resolveScalar(node, path, env, result);
    }
  };
  visit(root, []);
  return result;
}

function resolveScalar(node: Scalar, path: PathSegment[], env: Env, result: InterpolationResult): void {
  const outcome = interpolate(node.value as string, env);
  if (!outcome.ok) {
    result.problems.push({ path, node, message: outcome.problem, allowed: outcome.allowed });
    return;
  }
  if (outcome.references.length > 0) {
    result.references.push({ path, variables: outcome.references, value: outcome.value });
  }
  if (outcome.whole && outcome.value === '') node.value = null;
  else if (outcome.whole && node.type === 'PLAIN') node.value = typedScalar(outcome.value);
  else node.value = outcome.value;
}

/** YAML 1.2 core-schema typing of a resolved plain value: booleans and numbers; everything else a string. */
function typedScalar(text: string): string | number | boolean {
  if (/^(true|True|TRUE)$/.test(text)) return true;
  if (/^(false|False|FALSE)$/.test(text)) return false;
  if (/^[-+]?(\d+|\d*\.\d+|\d+\.\d*)([eE][-+]?\d+)?$/.test(text)) return Number(text);
  return text;
}
