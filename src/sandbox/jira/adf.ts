/**
 * Atlassian Document Format checks. Jira v3 rejects a plain string where a rich-text field expects ADF, and
 * rejects documents with unknown nodes or misplaced content; the emulator does the same so a connector that
 * sends bad ADF fails in tests, not in a customer's Jira.
 */

export type AdfNode = {
  type: string;
  content?: AdfNode[];
  text?: string;
  attrs?: Record<string, unknown>;
  marks?: Array<{ type: string; attrs?: Record<string, unknown> }>;
  version?: number;
};

/** Jira's own message when a rich-text field gets something that is not a document. */
export const NOT_A_DOCUMENT =
  'Operation value must be an Atlassian Document (see the Atlassian Document Format)';

/** Jira's (deliberately vague) message for a document with invalid content. */
export const UNSUPPORTED_CONTENT =
  "We can't create this issue for you right now, it could be due to unsupported content you've entered into one or more of the issue fields. If this situation persists, contact your administrator as they'll be able to access more specific information in their log file.";

type Role = 'block' | 'inline' | 'listItem' | 'tableRow' | 'tableCell' | 'media';

/** Node type -> where it may appear and what its content must be. */
const NODES: Record<string, { role: Role; content?: Role; leaf?: boolean }> = {
  paragraph: { role: 'block', content: 'inline' },
  heading: { role: 'block', content: 'inline' },
  blockquote: { role: 'block', content: 'block' },
  bulletList: { role: 'block', content: 'listItem' },
  orderedList: { role: 'block', content: 'listItem' },
  listItem: { role: 'listItem', content: 'block' },
  codeBlock: { role: 'block', content: 'inline' },
  panel: { role: 'block', content: 'block' },
  expand: { role: 'block', content: 'block' },
  rule: { role: 'block', leaf: true },
  table: { role: 'block', content: 'tableRow' },
  tableRow: { role: 'tableRow', content: 'tableCell' },
  tableHeader: { role: 'tableCell', content: 'block' },
  tableCell: { role: 'tableCell', content: 'block' },
  mediaSingle: { role: 'block', content: 'media' },
  mediaGroup: { role: 'block', content: 'media' },
  media: { role: 'media', leaf: true },
  blockCard: { role: 'block', leaf: true },
  text: { role: 'inline', leaf: true },
  hardBreak: { role: 'inline', leaf: true },
  mention: { role: 'inline', leaf: true },
  emoji: { role: 'inline', leaf: true },
  date: { role: 'inline', leaf: true },
  status: { role: 'inline', leaf: true },
  inlineCard: { role: 'inline', leaf: true },
};
const MARKS = new Set([
  'strong',
  'em',
  'code',
  'strike',
  'underline',
  'link',
  'textColor',
  'backgroundColor',
  'subsup',
]);

export type AdfCheck = { ok: true; doc: AdfNode } | { ok: false; notADocument: boolean; reason: string };

/** Checks a value sent for a rich-text field; `reason` names the offending path for the sandbox header. */
export function checkAdf(value: unknown): AdfCheck {
  if (!isObject(value) || value.type !== 'doc') {
    return { ok: false, notADocument: true, reason: 'value is not an ADF document ({"type":"doc",...})' };
  }
  if (value.version !== 1) return { ok: false, notADocument: false, reason: 'doc.version must be 1' };
  if (!Array.isArray(value.content))
    return { ok: false, notADocument: false, reason: 'doc.content must be an array' };
  const reason = checkChildren(value.content, 'block', 'doc.content');
  return reason ? { ok: false, notADocument: false, reason } : { ok: true, doc: value as AdfNode };
}

function checkChildren(children: unknown[], expected: Role, path: string): string | undefined {
  for (const [i, child] of children.entries()) {
    const reason = checkNode(child, expected, `${path}[${i}]`);
    if (reason) return reason;
  }
  return undefined;
}

function checkNode(node: unknown, expected: Role, path: string): string | undefined {
  if (!isObject(node) || typeof node.type !== 'string') return `${path}: a node needs a string "type"`;
  const spec = NODES[node.type];
  if (!spec) return `${path}: unknown node type "${node.type}"`;
  if (spec.role !== expected)
    return `${path}: "${node.type}" cannot appear here (expected a ${expected} node)`;
  if (node.type === 'text') return checkText(node, path);
  if (node.type === 'heading') {
    const level = isObject(node.attrs) ? node.attrs.level : undefined;
    if (typeof level !== 'number' || level < 1 || level > 6) return `${path}: heading needs attrs.level 1-6`;
  }
  if (spec.leaf) return node.content === undefined ? undefined : `${path}: "${node.type}" takes no content`;
  if (node.content === undefined) return undefined;
  if (!Array.isArray(node.content)) return `${path}.content must be an array`;
  if (node.type === 'codeBlock' && node.content.some((c) => isObject(c) && c.marks !== undefined)) {
    return `${path}: codeBlock text cannot carry marks`;
  }
  return checkChildren(node.content, spec.content!, `${path}.content`);
}

function checkText(node: Record<string, unknown>, path: string): string | undefined {
  if (typeof node.text !== 'string' || node.text.length === 0)
    return `${path}: text node needs non-empty "text"`;
  if (node.marks === undefined) return undefined;
  if (!Array.isArray(node.marks)) return `${path}.marks must be an array`;
  for (const mark of node.marks) {
    if (!isObject(mark) || typeof mark.type !== 'string' || !MARKS.has(mark.type)) {
      return `${path}: unknown mark ${JSON.stringify(isObject(mark) ? mark.type : mark)}`;
    }
    if (mark.type === 'link' && !(isObject(mark.attrs) && typeof mark.attrs.href === 'string')) {
      return `${path}: link mark needs attrs.href`;
    }
  }
  return undefined;
}

/** Wraps plain text into a one-paragraph document (what jira.js does for strings); used for seeded issues. */
export function adfFromText(text: string): AdfNode {
  return {
    type: 'doc',
    version: 1,
    content: text ? [{ type: 'paragraph', content: [{ type: 'text', text }] }] : [],
  };
}

/** All text of a document, for `text ~` searches. */
export function adfText(node: AdfNode | undefined): string {
  if (!node) return '';
  return (node.text ?? '') + (node.content ?? []).map(adfText).join(' ');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
