/**
 * Loading arx.yaml: parse (keeping positions), interpolate `${ENV}`, validate against the schema and the
 * cross-field checks, register every secret, and either return the typed config or throw one ConfigError
 * that lists every problem with its path, line and fix. arx.yaml is optional: without one Arx runs on
 * built-in defaults (and the sandbox).
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Document, LineCounter, parseDocument } from 'yaml';
import { ConfigError, type ConfigIssue } from '../core/errors.js';
import { SECRET_KEY_PATTERN, secrets } from '../core/secrets.js';
import { type Env, interpolateDocument } from './interpolate.js';
import { compactIssue, type RawIssue, translateIssues } from './issues.js';
import { filePath, formatPath, positionOf } from './locate.js';
import { type ArxConfig, arxConfigSchema, defaultConfig } from './schema.js';
import { ADVISORIES, SEMANTIC_CHECKS } from './semantic.js';
import { isRecord, type PathSegment, secretValues } from './walk.js';

export const DEFAULT_CONFIG_FILE = 'arx.yaml';

export interface LoadOptions {
  /** Path to the file; default `$ARX_CONFIG`, else `./arx.yaml` when it exists, else built-in defaults. */
  file?: string;
  env?: Env;
  cwd?: string;
}

export interface LoadedConfig {
  config: ArxConfig;
  /** The file read, as the user named it; undefined when running on built-in defaults. */
  file: string | undefined;
  /** Allowed but probably unintended (a secret written in the file, a catch-all allow rule). */
  warnings: ConfigIssue[];
}

/** The typed configuration; throws ConfigError listing every problem. */
export function loadConfig(options: LoadOptions = {}): ArxConfig {
  return readConfig(options).config;
}

/** Like loadConfig, but also says which file was read and what looks unintended. */
export function readConfig(options: LoadOptions = {}): LoadedConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const named = options.file ?? env.ARX_CONFIG;
  if (!named) {
    if (!existsSync(resolve(cwd, DEFAULT_CONFIG_FILE)))
      return { config: defaultConfig(), file: undefined, warnings: [] };
    return parseConfigText(readFileSync(resolve(cwd, DEFAULT_CONFIG_FILE), 'utf8'), {
      file: DEFAULT_CONFIG_FILE,
      env,
    });
  }
  let text: string;
  try {
    text = readFileSync(resolve(cwd, named), 'utf8');
  } catch (err) {
    const reason =
      (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : 'cannot read the file';
    throw new ConfigError(named, [
      {
        path: '',
        message: reason,
        allowed: 'a path to an arx.yaml (start from examples/arx.yaml), or no --config for built-in defaults',
      },
    ]);
  }
  return parseConfigText(text, { file: named, env });
}

/** Parses arx.yaml text; `file` only names it in messages. */
export function parseConfigText(text: string, options: { file?: string; env?: Env } = {}): LoadedConfig {
  const file = options.file;
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, merge: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      file,
      doc.errors.map((error) => {
        const { line, col } = lines.linePos(error.pos[0]);
        return { path: '', message: `YAML ${error.code}: ${error.message}`, line, column: col };
      }),
    );
  }

  const interpolation = interpolateDocument(doc.contents, options.env ?? process.env);
  const raw = withoutNulls(doc.toJS({ maxAliasCount: 100 }) ?? {}, []);
  registerSecrets(raw, interpolation.references);

  const problems: RawIssue[] = interpolation.problems.map(({ path, message, allowed }) => ({
    path,
    message,
    allowed,
  }));
  if (!isRecord(raw)) {
    problems.push({
      path: [],
      message: 'expected a mapping of sections at the top level',
      allowed: topLevelKeys(),
    });
    throw new ConfigError(file, place(problems, doc, lines, raw));
  }
  const parsed = arxConfigSchema.safeParse(raw);
  const seen = new Set(problems.map((problem) => formatPath(problem.path)));
  const later = [
    ...(parsed.success ? [] : translateIssues(parsed.error.issues, arxConfigSchema, raw)),
    ...SEMANTIC_CHECKS.flatMap((check) => check(raw)),
  ];
  // an unresolved ${VAR} also fails the field's own check; the variable is the problem to report
  problems.push(...later.filter((problem) => !seen.has(formatPath(filePath(raw, problem.path)))));
  if (problems.length > 0 || !parsed.success) throw new ConfigError(file, place(problems, doc, lines, raw));

  const literalSecrets = literalSecretWarnings(raw, interpolation.references);
  const advisories = ADVISORIES.flatMap((check) => check(raw));
  return { config: parsed.data, file, warnings: place([...literalSecrets, ...advisories], doc, lines, raw) };
}

/** Parses an in-memory config object (tests, API payloads) with the same checks as a file. */
export function parseConfig(value: unknown): ArxConfig {
  const raw = withoutNulls(value ?? {}, []);
  registerSecrets(raw, []);
  const parsed = arxConfigSchema.safeParse(raw);
  const problems = [
    ...(parsed.success ? [] : translateIssues(parsed.error.issues, arxConfigSchema, raw)),
    ...(isRecord(raw) ? SEMANTIC_CHECKS.flatMap((check) => check(raw)) : []),
  ];
  if (problems.length > 0 || !parsed.success) {
    throw new ConfigError(
      undefined,
      problems.map(({ path, message, allowed, suggestion }) =>
        compactIssue({ path: formatPath(filePath(raw, path)), message, allowed, suggestion }),
      ),
    );
  }
  return parsed.data;
}

function topLevelKeys(): string {
  return Object.keys(arxConfigSchema.shape).join(', ');
}

/** From schema paths to file positions, sorted the way the file reads. */
function place(problems: RawIssue[], doc: Document, lines: LineCounter, raw: unknown): ConfigIssue[] {
  return problems
    .map((problem) => {
      const path = filePath(raw, problem.path);
      const position = positionOf(doc, lines, path, problem.atKey ? 'key' : 'value');
      return compactIssue({
        path: formatPath(path),
        message: problem.message,
        line: position?.line,
        column: position?.column,
        allowed: problem.allowed,
        suggestion: problem.suggestion,
      });
    })
    .sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}

/**
 * An empty value (`api_token:` or `${VAR:-}`) means "not set". Workflow sections are the exception: a bare
 * `wiz-finding-distribution:` means "this workflow, default options".
 */
function withoutNulls(value: unknown, path: PathSegment[]): unknown {
  if (Array.isArray(value)) return value.map((item, index) => withoutNulls(item, [...path, index]));
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) {
    if (member === null || member === undefined) {
      if (path.length === 1 && path[0] === 'workflows') out[key] = {};
      continue;
    }
    out[key] = withoutNulls(member, [...path, key]);
  }
  return out;
}

type References = ReturnType<typeof interpolateDocument>['references'];

/** Secret-marked fields, and values read from secret-looking variables anywhere (WEBHOOK_TOKEN in options). */
function registerSecrets(raw: unknown, references: References): void {
  for (const { value } of secretValues(arxConfigSchema, raw)) secrets.add(value);
  for (const { variables, value } of references) {
    if (variables.some((name) => SECRET_KEY_PATTERN.test(name))) secrets.add(value);
  }
}

function literalSecretWarnings(raw: unknown, references: References): RawIssue[] {
  const fromEnv = new Set(references.map((reference) => formatPath(reference.path)));
  return secretValues(arxConfigSchema, raw)
    .filter(({ path }) => !fromEnv.has(formatPath(filePath(raw, path))))
    .map(({ path }) => ({
      path,
      message: 'a secret is written in the file; anyone who can read arx.yaml can use it',
      allowed: `a reference to the environment, e.g. \${JIRA_API_TOKEN}`,
    }));
}
