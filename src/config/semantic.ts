/**
 * Checks that span fields: duplicate names, thresholds in the wrong order, `max_risk` on a rule that is not
 * an allow, operation globs that match no operation in the catalog, more approvals required than approvers.
 * They read the raw file defensively, so they run even when the schema found problems and every mistake is
 * reported in one pass.
 */
import { matchesGlob } from '../governance/glob.js';
import { builtinCatalog } from '../governance/operations/index.js';
import { VERDICTS } from './governance.js';
import type { RawIssue } from './issues.js';
import { closest } from './suggest.js';
import { isRecord, type PathSegment } from './walk.js';

export type SemanticCheck = (raw: Record<string, unknown>) => RawIssue[];

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const record = (value: unknown): Record<string, unknown> => (isRecord(value) ? value : {});
/** A field that may hold one item or a list, with each item's path. */
const items = (value: unknown, path: PathSegment[]): Array<[unknown, PathSegment[]]> =>
  Array.isArray(value)
    ? value.map((item, i) => [item, [...path, i]])
    : value === undefined
      ? []
      : [[value, path]];

/** A glob that matches no known operation is a typo that would silently never apply. */
function checkOperationGlob(glob: unknown, path: PathSegment[], connector?: string): RawIssue[] {
  if (typeof glob !== 'string') return [];
  const catalog = builtinCatalog();
  // an unknown connector name is reported by the schema; checking against it would only add noise
  if (connector && !catalog.connectors().includes(connector)) return [];
  const pool = catalog.list().filter((op) => !connector || op.connector === connector);
  if (pool.some((op) => matchesGlob(op.id, glob))) return [];
  const prefixed = connector && !glob.startsWith(`${connector}:`) ? `${connector}:${glob}` : undefined;
  const suggestion =
    (prefixed && pool.some((op) => matchesGlob(op.id, prefixed)) ? prefixed : undefined) ??
    closest(
      glob,
      pool.map((op) => op.id),
    );
  // the allowed list names the operations of the connector the glob starts with, when it names one
  const head = glob.split(':')[0] ?? '';
  const ids = (
    catalog.connectors().includes(head) ? catalog.list().filter((op) => op.connector === head) : pool
  ).map((op) => op.id);
  return [
    {
      path,
      message: connector
        ? `"${glob}" matches no ${connector} operation`
        : `"${glob}" matches no operation in the catalog`,
      allowed: ids.length <= 12 ? ids.join(', ') : `${ids.slice(0, 12).join(', ')}, … (arx connectors list)`,
      suggestion,
    },
  ];
}

function duplicates(entries: unknown[], path: PathSegment[], key: string, what: string): RawIssue[] {
  const seen = new Map<string, number>();
  const issues: RawIssue[] = [];
  entries.forEach((entry, index) => {
    const name = record(entry)[key];
    if (typeof name !== 'string') return;
    const first = seen.get(name);
    if (first === undefined) seen.set(name, index);
    else {
      issues.push({
        path: [...path, index, key],
        message: `${what} "${name}" is already used by ${path.join('.')}[${first}]`,
        allowed: `a unique ${what}`,
      });
    }
  });
  return issues;
}

const thresholdsInOrder: SemanticCheck = (raw) => {
  const governance = record(raw.governance);
  const { risk_threshold: escalate, deny_threshold: deny } = governance;
  if (typeof escalate !== 'number' || typeof deny !== 'number' || deny >= escalate) return [];
  return [
    {
      path: ['governance', 'deny_threshold'],
      message: `deny_threshold (${deny}) is below risk_threshold (${escalate}): every escalation would be denied`,
      allowed: `a value ≥ risk_threshold (${escalate})`,
    },
  ];
};

const rules: SemanticCheck = (raw) => {
  const path: PathSegment[] = ['governance', 'rules'];
  const entries = list(record(raw.governance).rules);
  const issues = duplicates(entries, path, 'name', 'rule name');
  entries.forEach((entry, index) => {
    const rule = record(entry);
    const at = [...path, index];
    const verdictKnown = (VERDICTS as readonly unknown[]).includes(rule.verdict);
    if (rule.max_risk !== undefined && verdictKnown && rule.verdict !== 'allow') {
      issues.push({
        path: [...at, 'max_risk'],
        message: `max_risk applies only to allow rules; this rule's verdict is "${rule.verdict}"`,
        allowed: 'remove max_risk, or set verdict: allow',
      });
    }
    const match = record(rule.match);
    const connectors = items(match.connector, [...at, 'match', 'connector'])
      .map(([name]) => name)
      .filter((name): name is string => typeof name === 'string');
    for (const [glob, globPath] of items(match.operation, [...at, 'match', 'operation'])) {
      // with one connector named, the operation must be one of its own
      issues.push(...checkOperationGlob(glob, globPath, connectors.length === 1 ? connectors[0] : undefined));
    }
  });
  return issues;
};

const connectorOperations: SemanticCheck = (raw) =>
  Object.entries(record(raw.connectors)).flatMap(([name, settings]) =>
    list(record(settings).operations).flatMap((glob, index) =>
      checkOperationGlob(glob, ['connectors', name, 'operations', index], name),
    ),
  );

const approvals: SemanticCheck = (raw) => {
  const approvalsConfig = record(record(raw.governance).approvals);
  const groups = record(record(approvalsConfig.approvers).groups);
  const issues: RawIssue[] = [];
  list(approvalsConfig.rules).forEach((entry, index) => {
    const rule = record(entry);
    const at: PathSegment[] = ['governance', 'approvals', 'rules', index];
    issues.push(...checkOperationGlob(rule.operation, [...at, 'operation']));
    const people = new Set<string>();
    for (const [name] of items(rule.from, [...at, 'from'])) {
      if (typeof name !== 'string') continue;
      const members = groups[name];
      if (Array.isArray(members)) for (const member of members) people.add(String(member));
      else people.add(name);
    }
    const required = typeof rule.required === 'number' ? rule.required : 1;
    if (people.size > 0 && required > people.size) {
      issues.push({
        path: [...at, 'required'],
        message: `requires ${required} approvals but "from" names only ${people.size} approver${people.size === 1 ? '' : 's'}`,
        allowed: `at most ${people.size}, or more people in "from" / approvers.groups`,
      });
    }
  });
  return issues;
};

const drift: SemanticCheck = (raw) => {
  const path: PathSegment[] = ['governance', 'drift'];
  const entries = list(record(raw.governance).drift);
  const issues = duplicates(entries, path, 'principal', 'principal');
  entries.forEach((entry, index) => {
    list(record(entry).operations).forEach((glob, opIndex) => {
      issues.push(...checkOperationGlob(glob, [...path, index, 'operations', opIndex]));
    });
  });
  return issues;
};

/** Every cross-field check, in the order their findings are reported. */
export const SEMANTIC_CHECKS: readonly SemanticCheck[] = [
  thresholdsInOrder,
  rules,
  connectorOperations,
  approvals,
  drift,
];

/** Things that are allowed but probably not meant; reported by `arx validate`, never fatal. */
export type Advisory = SemanticCheck;

const catchAllAllow: Advisory = (raw) =>
  list(record(raw.governance).rules).flatMap((entry, index) => {
    const rule = record(entry);
    const open = Object.keys(record(rule.match)).length === 0;
    return rule.verdict === 'allow' && open
      ? [
          {
            path: ['governance', 'rules', index],
            message: 'this allow rule matches every operation: no call is denied by its risk score any more',
            allowed: 'match criteria (operation, connector, environment, …) that say what it is for',
          },
        ]
      : [];
  });

export const ADVISORIES: readonly Advisory[] = [catchAllAllow];
