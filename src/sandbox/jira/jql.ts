/**
 * The JQL subset the emulator understands: enough for Arx's workflows (dedupe by label, reconcile by key,
 * open-ticket sweeps), answered with Jira's own error wording. Anything outside the subset is a 400 that says
 * what is supported, so a connector never silently gets a wrong result set.
 *
 *   query   := [or] [ORDER BY sort (, sort)*]
 *   or      := and (OR and)*
 *   and     := unary (AND unary)*
 *   unary   := NOT unary | '(' or ')' | clause
 *   clause  := field (= | != | > | >= | < | <= | ~ | IN | NOT IN | IS [NOT]) value
 */

export type JqlOperator = '=' | '!=' | '>' | '>=' | '<' | '<=' | '~' | 'in' | 'not in' | 'is' | 'is not';

export type JqlNode =
  | { kind: 'and'; parts: JqlNode[] }
  | { kind: 'or'; parts: JqlNode[] }
  | { kind: 'not'; part: JqlNode }
  | { kind: 'clause'; field: string; operator: JqlOperator; values: string[] };

export interface JqlSort {
  field: string;
  direction: 'asc' | 'desc';
}

export interface JqlQuery {
  where: JqlNode | undefined;
  orderBy: JqlSort[];
}

/** A JQL problem, worded as Jira words it; the route answers 400 `{errorMessages: [message]}`. */
export class JqlError extends Error {}

/** Field name (and aliases) -> the operators the emulator supports for it. */
const FIELDS: Record<string, readonly JqlOperator[]> = {
  project: ['=', '!=', 'in', 'not in'],
  key: ['=', '!=', 'in', 'not in', '>', '>=', '<', '<='],
  labels: ['=', '!=', 'in', 'not in', 'is', 'is not'],
  status: ['=', '!=', 'in', 'not in'],
  statuscategory: ['=', '!=', 'in', 'not in'],
  priority: ['=', '!=', 'in', 'not in'],
  issuetype: ['=', '!=', 'in', 'not in'],
  assignee: ['=', '!=', 'in', 'not in', 'is', 'is not'],
  resolution: ['=', '!=', 'in', 'not in', 'is', 'is not'],
  summary: ['~'],
  text: ['~'],
  created: ['>', '>=', '<', '<=', '=', '!='],
  updated: ['>', '>=', '<', '<=', '=', '!='],
};
const ALIASES: Record<string, string> = {
  issuekey: 'key',
  id: 'key',
  type: 'issuetype',
  statuscat: 'statuscategory',
};
const SORTABLE = new Set(['created', 'updated', 'key', 'priority', 'status', 'summary']);
export const SUPPORTED_JQL =
  'fields project, key, labels, status, statusCategory, priority, issuetype, assignee, resolution, summary ~, ' +
  'created, updated; operators = != IN NOT IN IS [NOT] EMPTY and date comparisons; AND, OR, NOT, parentheses; ' +
  'ORDER BY created, updated, key, priority, status';

type Token = { type: 'word' | 'string' | 'op' | 'paren' | 'comma'; text: string; at: number };

const UNBOUNDED =
  'Unbounded JQL queries are not allowed here. Please add a search restriction to your query.';

export function parseJql(jql: string): JqlQuery {
  const tokens = tokenize(jql);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const isWord = (t: Token | undefined, ...words: string[]) =>
    t?.type === 'word' && words.includes(t.text.toLowerCase());
  const fail = (message: string, t: Token | undefined = peek()): never => {
    const where = t ? ` (line 1, character ${t.at + 1})` : '';
    throw new JqlError(`Error in the JQL Query: ${message}${where}`);
  };

  const parseValue = (): string => {
    const t = peek();
    if (!t || (t.type !== 'word' && t.type !== 'string'))
      return fail('Expecting either a value or a function');
    pos++;
    if (t.type === 'word' && peek()?.type === 'paren' && peek()?.text === '(') {
      throw new JqlError(
        `JQL functions such as '${t.text}()' are not supported by the sandbox Jira emulator. Supported: ${SUPPORTED_JQL}.`,
      );
    }
    return t.text;
  };

  const parseClause = (): JqlNode => {
    const t = peek();
    if (!t || (t.type !== 'word' && t.type !== 'string')) return fail('Expecting a field name');
    pos++;
    const raw = t.text.toLowerCase();
    const field = ALIASES[raw] ?? raw;
    const allowed = FIELDS[field];
    if (!allowed) {
      if (/^(cf\[\d+\]|customfield_\d+|issue\.property)/.test(raw)) {
        throw new JqlError(
          `Field '${t.text}' is not supported by the sandbox Jira emulator. Supported: ${SUPPORTED_JQL}.`,
        );
      }
      throw new JqlError(`Field '${t.text}' does not exist or you do not have permission to view it.`);
    }
    const operator = parseOperator();
    if (!allowed.includes(operator)) {
      throw new JqlError(
        `The operator '${operator.toUpperCase()}' is not supported by the '${t.text}' field in the sandbox Jira emulator. Supported: ${allowed.join(', ').toUpperCase()}.`,
      );
    }
    if (operator === 'is' || operator === 'is not') {
      if (!isWord(peek(), 'empty', 'null')) fail("Expecting 'EMPTY' or 'NULL' after IS");
      pos++;
      return { kind: 'clause', field, operator, values: [] };
    }
    if (operator === 'in' || operator === 'not in') {
      if (peek()?.text !== '(') fail("Expecting '(' after IN");
      pos++;
      const values = [parseValue()];
      while (peek()?.type === 'comma') {
        pos++;
        values.push(parseValue());
      }
      if (peek()?.text !== ')') fail("Expecting ',' or ')'");
      pos++;
      return { kind: 'clause', field, operator, values };
    }
    return { kind: 'clause', field, operator, values: [parseValue()] };
  };

  const parseOperator = (): JqlOperator => {
    const t = peek();
    if (t?.type === 'op') {
      pos++;
      return t.text as JqlOperator;
    }
    if (isWord(t, 'in')) {
      pos++;
      return 'in';
    }
    if (isWord(t, 'is')) {
      pos++;
      if (isWord(peek(), 'not')) {
        pos++;
        return 'is not';
      }
      return 'is';
    }
    if (isWord(t, 'not') && isWord(tokens[pos + 1], 'in')) {
      pos += 2;
      return 'not in';
    }
    if (isWord(t, 'was', 'changed')) {
      throw new JqlError(`History operators (WAS, CHANGED) are not supported by the sandbox Jira emulator.`);
    }
    return fail('Expecting operator');
  };

  const parseUnary = (): JqlNode => {
    if (isWord(peek(), 'not')) {
      pos++;
      return { kind: 'not', part: parseUnary() };
    }
    if (peek()?.text === '(') {
      pos++;
      const inner = parseOr();
      if (peek()?.text !== ')') fail("Expecting ')'");
      pos++;
      return inner;
    }
    return parseClause();
  };

  const parseJoined = (word: 'and' | 'or', next: () => JqlNode): JqlNode => {
    const parts = [next()];
    while (isWord(peek(), word)) {
      pos++;
      parts.push(next());
    }
    return parts.length === 1 ? parts[0]! : { kind: word, parts };
  };
  const parseAnd = (): JqlNode => parseJoined('and', parseUnary);
  const parseOr = (): JqlNode => parseJoined('or', parseAnd);

  const where = peek() && !isWord(peek(), 'order') ? parseOr() : undefined;
  const orderBy: JqlSort[] = [];
  if (isWord(peek(), 'order')) {
    pos++;
    if (!isWord(peek(), 'by')) fail("Expecting 'by' after 'order'");
    pos++;
    do {
      if (peek()?.type === 'comma') pos++;
      const t = peek();
      if (t?.type !== 'word') fail('Expecting a field name to order by');
      pos++;
      const field = ALIASES[t!.text.toLowerCase()] ?? t!.text.toLowerCase();
      if (!SORTABLE.has(field)) {
        throw new JqlError(
          `ORDER BY ${t!.text} is not supported by the sandbox Jira emulator. Supported: ${[...SORTABLE].join(', ')}.`,
        );
      }
      let direction: 'asc' | 'desc' = field === 'created' || field === 'updated' ? 'desc' : 'asc';
      if (isWord(peek(), 'asc', 'desc')) {
        direction = peek()!.text.toLowerCase() as 'asc' | 'desc';
        pos++;
      }
      orderBy.push({ field, direction });
    } while (peek()?.type === 'comma');
  }
  if (pos < tokens.length) fail(`Unexpected '${peek()!.text}'`);
  if (!where) throw new JqlError(UNBOUNDED);
  return { where, orderBy };
}

function tokenize(jql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < jql.length) {
    const ch = jql[i]!;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '"' || ch === "'") {
      let text = '';
      let j = i + 1;
      while (j < jql.length && jql[j] !== ch) {
        if (jql[j] === '\\' && j + 1 < jql.length) j++;
        text += jql[j];
        j++;
      }
      if (j >= jql.length)
        throw new JqlError(`Error in the JQL Query: The quoted string has not been completed.`);
      tokens.push({ type: 'string', text, at: i });
      i = j + 1;
    } else if (ch === '(' || ch === ')') {
      tokens.push({ type: 'paren', text: ch, at: i++ });
    } else if (ch === ',') {
      tokens.push({ type: 'comma', text: ch, at: i++ });
    } else if ('=!<>~'.includes(ch)) {
      const two = jql.slice(i, i + 2);
      const text = ['!=', '>=', '<=', '!~'].includes(two) ? two : ch;
      if (text === '!~') throw new JqlError('The operator !~ is not supported by the sandbox Jira emulator.');
      if (text === '!')
        throw new JqlError(`Error in the JQL Query: Expecting operator (line 1, character ${i + 1})`);
      tokens.push({ type: 'op', text, at: i });
      i += text.length;
    } else {
      const match = /^[^\s=!<>~(),"']+/.exec(jql.slice(i));
      tokens.push({ type: 'word', text: match![0], at: i });
      i += match![0].length;
    }
  }
  return tokens;
}
