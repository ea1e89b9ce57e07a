/**
 * Atlassian Document Format builders. Jira Cloud v3 takes rich text (descriptions, comments) only as ADF and
 * rejects empty text nodes, unknown marks and misplaced nodes, so every document Arx sends is built here.
 * Pure functions; no I/O.
 */

export interface AdfMark {
  type: 'strong' | 'em' | 'code' | 'link';
  attrs?: Record<string, unknown>;
}

export interface AdfNode {
  type: string;
  attrs?: Record<string, unknown>;
  content?: AdfNode[];
  text?: string;
  marks?: AdfMark[];
}

export interface AdfDoc {
  type: 'doc';
  version: 1;
  content: AdfNode[];
}

/** Jira's limit for a rich-text field is 32,767 characters of storage; stay well below it. */
export const MAX_TEXT_CHARS = 20_000;

const SAFE_HREF = /^https?:\/\//i;

export const adf = {
  doc: (...blocks: Array<AdfNode | undefined>): AdfDoc => ({
    type: 'doc',
    version: 1,
    content: blocks.filter((b): b is AdfNode => b !== undefined),
  }),
  /** Empty text pieces are dropped: Jira refuses a text node without text. */
  paragraph: (...inline: Array<AdfNode | string | undefined>): AdfNode => ({
    type: 'paragraph',
    content: inline
      .map((piece) => (typeof piece === 'string' ? adf.text(piece) : piece))
      .filter((n): n is AdfNode => n !== undefined && (n.type !== 'text' || (n.text ?? '') !== '')),
  }),
  text: (text: string, marks?: AdfMark[]): AdfNode =>
    marks && marks.length > 0 ? { type: 'text', text, marks } : { type: 'text', text },
  strong: (text: string): AdfNode => adf.text(text, [{ type: 'strong' }]),
  code: (text: string): AdfNode => adf.text(text, [{ type: 'code' }]),
  /** A link mark only for http(s) targets; anything else is shown as text, never made clickable. */
  link: (text: string, href: string): AdfNode =>
    SAFE_HREF.test(href)
      ? adf.text(text || href, [{ type: 'link', attrs: { href } }])
      : adf.text(text || href),
  heading: (level: 1 | 2 | 3 | 4 | 5 | 6, text: string): AdfNode => ({
    type: 'heading',
    attrs: { level },
    content: [adf.text(text)],
  }),
  bulletList: (items: Array<AdfNode[] | string>): AdfNode | undefined => {
    const listItems = items
      .map((item) => (typeof item === 'string' ? [adf.text(item)] : item))
      .filter((inline) => inline.some((n) => n.type !== 'text' || n.text))
      .map((inline) => ({ type: 'listItem', content: [adf.paragraph(...inline)] }));
    return listItems.length > 0 ? { type: 'bulletList', content: listItems } : undefined;
  },
  codeBlock: (text: string, language?: string): AdfNode | undefined =>
    text
      ? {
          type: 'codeBlock',
          ...(language ? { attrs: { language } } : {}),
          content: [adf.text(clip(text))],
        }
      : undefined,
  rule: (): AdfNode => ({ type: 'rule' }),
};

/** Plain text as paragraphs: blank lines separate paragraphs, single newlines become hard breaks. */
export function textToAdf(text: string): AdfDoc {
  return adf.doc(...textBlocks(text));
}

function textBlocks(text: string): AdfNode[] {
  return clip(text)
    .split(/\n\s*\n/)
    .map((para) => para.trim())
    .filter(Boolean)
    .map((para) => {
      const lines = para.split('\n');
      const inline: AdfNode[] = [];
      lines.forEach((line, i) => {
        if (i > 0) inline.push({ type: 'hardBreak' });
        if (line) inline.push(adf.text(line));
      });
      return { type: 'paragraph', content: inline };
    });
}

function clip(text: string): string {
  return text.length > MAX_TEXT_CHARS ? `${text.slice(0, MAX_TEXT_CHARS)}…` : text;
}

/** Everything a ticket about one finding says, as structured input (workflows pass data, not markup). */
export interface FindingDetails {
  findingKey?: string;
  /** One or two sentences on what is wrong. */
  summary?: string;
  severity?: string;
  priority?: { label: string; score?: number };
  resource?: {
    uid: string;
    type?: string;
    name?: string;
    region?: string;
    account?: string;
    environment?: string;
  };
  vulnerability?: {
    cve: string;
    cvss?: number;
    epss?: number;
    kev?: boolean;
    fixedVersion?: string;
  };
  control?: { id: string; name?: string };
  /** How to fix it; plain text, paragraphs separated by blank lines. */
  remediation?: string;
  /** Each source record the finding came from, with a link back when the source has one. */
  sources?: Array<{ vendor: string; id: string; url?: string }>;
  links?: Array<{ text: string; href: string }>;
}

/** The description of a finding's ticket: facts, remediation guidance, sources, links and the finding key. */
export function findingDescription(details: FindingDetails): AdfDoc {
  const facts: AdfNode[][] = [];
  const fact = (label: string, ...value: AdfNode[]) => facts.push([adf.strong(`${label}: `), ...value]);
  if (details.severity) fact('Severity', adf.text(details.severity.toUpperCase()));
  if (details.priority) {
    const score =
      details.priority.score === undefined ? '' : ` (score ${Math.round(details.priority.score)})`;
    fact('Priority', adf.text(`${details.priority.label}${score}`));
  }
  const r = details.resource;
  if (r) {
    fact('Resource', adf.code(r.uid), ...(r.type ? [adf.text(` (${r.type})`)] : []));
    if (r.name && r.name !== r.uid) fact('Name', adf.text(r.name));
    if (r.account) fact('Account', adf.text(r.account));
    if (r.region) fact('Region', adf.text(r.region));
    if (r.environment) fact('Environment', adf.text(r.environment));
  }
  const v = details.vulnerability;
  if (v) {
    const extra = [
      v.cvss === undefined ? undefined : `CVSS ${v.cvss}`,
      v.epss === undefined ? undefined : `EPSS ${v.epss}`,
      v.kev ? 'in CISA KEV' : undefined,
      v.fixedVersion ? `fixed in ${v.fixedVersion}` : undefined,
    ].filter(Boolean);
    fact(
      'CVE',
      adf.link(v.cve, `https://nvd.nist.gov/vuln/detail/${encodeURIComponent(v.cve)}`),
      ...(extra.length ? [adf.text(` (${extra.join(', ')})`)] : []),
    );
  }
  if (details.control) {
    fact(
      'Control',
      adf.code(details.control.id),
      ...(details.control.name ? [adf.text(` ${details.control.name}`)] : []),
    );
  }
  const sources = (details.sources ?? []).map((s) => [
    adf.text(`${s.vendor} `),
    s.url ? adf.link(s.id, s.url) : adf.code(s.id),
  ]);
  const links = (details.links ?? []).map((l) => [adf.link(l.text, l.href)]);
  return adf.doc(
    details.summary ? adf.paragraph(details.summary) : undefined,
    adf.bulletList(facts),
    ...(details.remediation ? [adf.heading(3, 'Remediation'), ...textBlocks(details.remediation)] : []),
    ...(sources.length ? [adf.heading(3, 'Sources'), adf.bulletList(sources)] : []),
    ...(links.length ? [adf.heading(3, 'Links'), adf.bulletList(links)] : []),
    details.findingKey ? adf.paragraph('Arx finding key: ', adf.code(details.findingKey)) : undefined,
  );
}

/** The text of a document (comparing a comment with what Arx meant to post). */
export function adfPlainText(node: AdfNode | AdfDoc | undefined): string {
  if (!node) return '';
  if (node.type === 'hardBreak') return '\n';
  const own = 'text' in node && typeof node.text === 'string' ? node.text : '';
  const children = (node.content ?? []).map(adfPlainText);
  const separator = node.type === 'doc' || node.type === 'bulletList' ? '\n' : '';
  return own + children.join(separator);
}

export function isAdfDoc(value: unknown): value is AdfDoc {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { type?: unknown }).type === 'doc' &&
    (value as { version?: unknown }).version === 1 &&
    Array.isArray((value as { content?: unknown }).content)
  );
}
