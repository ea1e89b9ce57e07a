import type { z } from 'zod';
import { closest } from '../../config/suggest.js';
import { ConfigError, type ConfigIssue } from '../../core/errors.js';
import { SECRET_KEY_PATTERN, secrets } from '../../core/secrets.js';
import { envVariableOf, type OptionsSchema, type Workflow } from './define.js';

/**
 * A workflow's options, from (highest first) arx.yaml `workflows.<name>`, the option's environment variable
 * (`fromEnv`), the schema default. Every problem is reported at once, each naming the arx.yaml path or the
 * variable it came from, so a README's `export JIRA_PROJECT_KEY=...` set-up works with no arx.yaml at all.
 *
 * @example
 * const options = resolveOptions(workflow, config.workflows[workflow.name], process.env);
 */
export function resolveOptions<S extends OptionsSchema>(
  workflow: Workflow<S>,
  configured: Record<string, unknown> | undefined,
  env: NodeJS.ProcessEnv = process.env,
): z.output<S> {
  const shape = workflow.options.shape as Record<string, z.ZodType>;
  const base = `workflows.${workflow.name}`;
  const issues: ConfigIssue[] = [];
  const input: Record<string, unknown> = {};
  const fromVariable = new Map<string, string>();

  for (const [key, value] of Object.entries(configured ?? {})) {
    if (key in shape) {
      input[key] = value;
      continue;
    }
    const suggestion = closest(key, Object.keys(shape));
    issues.push({
      path: `${base}.${key}`,
      message: `"${key}" is not an option of ${workflow.name}`,
      allowed: Object.keys(shape).join(', ') || '(this workflow has no options)',
      ...(suggestion ? { suggestion } : {}),
    });
  }
  for (const [key, schema] of Object.entries(shape)) {
    const variable = envVariableOf(schema);
    const raw = variable ? env[variable]?.trim() : undefined;
    if (key in input || !variable || !raw) continue;
    if (SECRET_KEY_PATTERN.test(variable)) secrets.add(raw);
    input[key] = fromText(schema, raw);
    fromVariable.set(key, variable);
  }

  const parsed = workflow.options.safeParse(input);
  if (parsed.success && issues.length === 0) return parsed.data as z.output<S>;
  for (const issue of parsed.success ? [] : parsed.error.issues) {
    const key = String(issue.path[0] ?? '');
    const variable = fromVariable.get(key);
    const where = issue.path.length > 0 ? `${base}.${issue.path.join('.')}` : base;
    issues.push({
      path: where,
      message: variable ? `${issue.message} (read from $${variable})` : issue.message,
      ...(variable ? { allowed: `fix $${variable}, or set ${base}.${key} in arx.yaml` } : {}),
    });
  }
  throw new ConfigError(undefined, issues);
}

/**
 * An environment variable is text; the option may want a number, a boolean, a list or a map. The first
 * reading the schema accepts wins; if none does, the text itself is validated so the error names it.
 */
function fromText(schema: z.ZodType, raw: string): unknown {
  const candidates: unknown[] = [raw];
  if (/^-?\d+(\.\d+)?$/.test(raw)) candidates.push(Number(raw));
  if (/^(true|false|yes|no|1|0)$/i.test(raw)) candidates.push(/^(true|yes|1)$/i.test(raw));
  if (/^[[{"]/.test(raw)) {
    try {
      candidates.push(JSON.parse(raw));
    } catch {
      // not JSON after all
    }
  }
  candidates.push(
    raw
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean),
  );
  if (raw.includes('=')) candidates.push(keyValues(raw));
  return candidates.find((candidate) => schema.safeParse(candidate).success) ?? raw;
}

/** `platform=#platform-sec,data=#data-sec` → `{ platform: '#platform-sec', data: '#data-sec' }` */
function keyValues(raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of raw.split(',')) {
    const at = pair.indexOf('=');
    if (at > 0) out[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
  }
  return out;
}
