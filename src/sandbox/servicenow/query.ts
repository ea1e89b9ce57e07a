/**
 * ServiceNow encoded queries (`sysparm_query`): `^` joins conditions with AND, `^OR` joins the next condition
 * to the previous with OR, `^NQ` starts another query whose rows are added, and `ORDERBY` / `ORDERBYDESC`
 * sort. Conditions on unknown fields are "invalid": ServiceNow drops them by default (so a typo widens the
 * result!), which the emulator reproduces unless told otherwise.
 */

export type Operator =
  | '='
  | '!='
  | '>'
  | '>='
  | '<'
  | '<='
  | 'LIKE'
  | 'NOT LIKE'
  | 'STARTSWITH'
  | 'ENDSWITH'
  | 'IN'
  | 'NOT IN'
  | 'ISEMPTY'
  | 'ISNOTEMPTY'
  | 'ANYTHING';

export interface Condition {
  field: string;
  operator: Operator;
  value: string;
}

export interface EncodedQuery {
  /** OR of groups; each group is an AND of alternatives; each alternative an OR of conditions. */
  groups: Condition[][][];
  orderBy: Array<{ field: string; descending: boolean }>;
  /** Conditions that did not parse or name unknown fields. */
  invalid: string[];
}

const CONDITION =
  /^([a-z_][a-z0-9_]*)(ISNOTEMPTY|ISEMPTY|ANYTHING|NOT LIKE|NOTLIKE|NOT IN|STARTSWITH|ENDSWITH|LIKE|IN|!=|>=|<=|=|>|<)(.*)$/s;

export function parseEncodedQuery(query: string, knownFields: ReadonlySet<string>): EncodedQuery {
  const result: EncodedQuery = { groups: [], orderBy: [], invalid: [] };
  if (!query.trim()) return result;
  for (const groupText of query.split('^NQ')) {
    const group: Condition[][] = [];
    for (const part of groupText.split('^')) {
      if (part === '') continue;
      if (part.startsWith('ORDERBY')) {
        const descending = part.startsWith('ORDERBYDESC');
        result.orderBy.push({ field: part.slice(descending ? 11 : 7), descending });
        continue;
      }
      const isOr = part.startsWith('OR') && group.length > 0;
      const text = isOr ? part.slice(2) : part;
      const match = CONDITION.exec(text);
      if (!match || !knownFields.has(match[1]!)) {
        result.invalid.push(text);
        continue;
      }
      const operator = (match[2] === 'NOTLIKE' ? 'NOT LIKE' : match[2]) as Operator;
      const condition: Condition = { field: match[1]!, operator, value: match[3]! };
      if (isOr) group[group.length - 1]!.push(condition);
      else group.push([condition]);
    }
    result.groups.push(group);
  }
  return result;
}

export function matchesQuery(record: Record<string, string>, query: EncodedQuery): boolean {
  const groups = query.groups.filter((g) => g.length > 0);
  if (groups.length === 0) return true;
  return groups.some((group) => group.every((alternatives) => alternatives.some((c) => matches(record, c))));
}

function matches(record: Record<string, string>, { field, operator, value }: Condition): boolean {
  const actual = record[field] ?? '';
  const lower = actual.toLowerCase();
  const wanted = value.toLowerCase();
  const list = value.split(',').map((v) => v.trim());
  switch (operator) {
    case '=':
      return actual === value;
    case '!=':
      return actual !== value;
    case 'LIKE':
      return lower.includes(wanted);
    case 'NOT LIKE':
      return !lower.includes(wanted);
    case 'STARTSWITH':
      return lower.startsWith(wanted);
    case 'ENDSWITH':
      return lower.endsWith(wanted);
    case 'IN':
      return list.includes(actual);
    case 'NOT IN':
      return !list.includes(actual);
    case 'ISEMPTY':
      return actual === '';
    case 'ISNOTEMPTY':
      return actual !== '';
    case 'ANYTHING':
      return true;
    default:
      return compare(actual, value, operator);
  }
}

/** Numbers compare as numbers; everything else (including `YYYY-MM-DD HH:mm:ss` dates) as text. */
function compare(actual: string, value: string, operator: '>' | '>=' | '<' | '<='): boolean {
  const numeric =
    actual !== '' && value !== '' && !Number.isNaN(Number(actual)) && !Number.isNaN(Number(value));
  const order = numeric ? Number(actual) - Number(value) : actual < value ? -1 : actual > value ? 1 : 0;
  return { '>': order > 0, '>=': order >= 0, '<': order < 0, '<=': order <= 0 }[operator];
}

export function sortRecords<T extends Record<string, string>>(
  records: T[],
  orderBy: EncodedQuery['orderBy'],
): T[] {
  if (orderBy.length === 0) return records;
  return [...records].sort((a, b) => {
    for (const { field, descending } of orderBy) {
      const x = a[field] ?? '';
      const y = b[field] ?? '';
      if (x !== y) return (x < y ? -1 : 1) * (descending ? -1 : 1);
    }
    return 0;
  });
}
