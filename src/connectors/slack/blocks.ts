import { SEVERITIES, type Severity } from '../../core/finding/model.js';

/**
 * Block Kit builders for Slack messages Arx posts (pure). Slack refuses the whole message when one block
 * breaks a limit (api-contracts §3.2, Block Kit reference), so every limit is applied here: 50 blocks,
 * header text 150, section text 3000, 10 fields of 2000, 10 context elements.
 */
export interface TextObject {
  type: 'plain_text' | 'mrkdwn';
  text: string;
  emoji?: boolean;
}

export type Block =
  | { type: 'header'; text: TextObject }
  | { type: 'section'; text?: TextObject; fields?: TextObject[] }
  | { type: 'divider' }
  | { type: 'context'; elements: TextObject[] };

export const LIMITS = {
  blocks: 50,
  header: 150,
  section: 3000,
  field: 2000,
  fields: 10,
  context: 10,
} as const;

/** Escapes the three characters Slack's mrkdwn reserves (`&`, `<`, `>`). */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** `<url|text>`, only for http(s) URLs; anything else is shown as escaped text. */
export function link(url: string, text: string): string {
  const label = escapeMrkdwn(text).replace(/\|/g, '¦');
  return /^https?:\/\//i.test(url) ? `<${url.replace(/[<>|\s]/g, encodeURIComponent)}|${label}>` : label;
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

const SEVERITY_ORDER = (Object.keys(SEVERITIES) as Severity[]).sort((a, b) => SEVERITIES[b] - SEVERITIES[a]);
const SEVERITY_LABEL: Record<Severity, string> = {
  critical: ':red_circle: Critical',
  high: ':large_orange_circle: High',
  medium: ':large_yellow_circle: Medium',
  low: ':large_blue_circle: Low',
  informational: ':white_circle: Info',
};

export interface DigestTicket {
  key: string;
  url: string;
  title: string;
  severity?: Severity;
  /** `created`, `updated`, `reopened`, `closed`, ... */
  change?: string;
}

export interface TeamDigest {
  title: string;
  team?: string;
  /** e.g. `last 24 hours`, `run r-20260302-1`. */
  period?: string;
  counts: Partial<Record<Severity, number>>;
  tickets?: DigestTicket[];
  /** Tickets listed before "…and N more" (the rest are counted, not listed). */
  maxTickets?: number;
  footer?: string;
  link?: { text: string; url: string };
}

const DEFAULT_MAX_TICKETS = 20;

/** A team digest: counts per severity, the tickets (most severe first), a link and a footer. */
export function digestBlocks(digest: TeamDigest): Block[] {
  const blocks: Block[] = [
    {
      type: 'header',
      text: { type: 'plain_text', text: clip(headerText(digest), LIMITS.header), emoji: true },
    },
  ];
  const shown = SEVERITY_ORDER.filter((s) => (digest.counts[s] ?? 0) > 0);
  const total = shown.reduce((sum, s) => sum + (digest.counts[s] ?? 0), 0);
  blocks.push({
    type: 'section',
    text: {
      type: 'mrkdwn',
      text:
        total === 0
          ? 'No open findings. :white_check_mark:'
          : `*${total}* finding${total === 1 ? '' : 's'}${digest.period ? ` (${escapeMrkdwn(digest.period)})` : ''}`,
    },
    ...(shown.length
      ? {
          fields: shown
            .slice(0, LIMITS.fields)
            .map((s) => ({ type: 'mrkdwn' as const, text: `*${SEVERITY_LABEL[s]}*\n${digest.counts[s]}` })),
        }
      : {}),
  });
  const tickets = [...(digest.tickets ?? [])].sort(
    (a, b) => SEVERITIES[b.severity ?? 'informational'] - SEVERITIES[a.severity ?? 'informational'],
  );
  const max = digest.maxTickets ?? DEFAULT_MAX_TICKETS;
  if (tickets.length > 0) {
    blocks.push({ type: 'divider' });
    for (const text of ticketSections(tickets.slice(0, max)))
      blocks.push({ type: 'section', text: { type: 'mrkdwn', text } });
    if (tickets.length > max) {
      blocks.push({
        type: 'context',
        elements: [{ type: 'mrkdwn', text: `…and ${tickets.length - max} more` }],
      });
    }
  }
  const context = [
    digest.link ? link(digest.link.url, digest.link.text) : undefined,
    digest.footer ? escapeMrkdwn(clip(digest.footer, LIMITS.field)) : undefined,
  ].filter((t): t is string => Boolean(t));
  if (context.length)
    blocks.push({ type: 'context', elements: context.map((text) => ({ type: 'mrkdwn', text })) });
  // keep the last (context) block if the list had to be cut
  return blocks.length <= LIMITS.blocks ? blocks : [...blocks.slice(0, LIMITS.blocks - 1), blocks.at(-1)!];
}

/** The notification and accessibility text Slack shows where blocks are not rendered. */
export function digestText(digest: TeamDigest): string {
  const parts = SEVERITY_ORDER.filter((s) => (digest.counts[s] ?? 0) > 0).map(
    (s) => `${digest.counts[s]} ${s}`,
  );
  const tickets = digest.tickets?.length
    ? `; ${digest.tickets.length} ticket${digest.tickets.length === 1 ? '' : 's'}`
    : '';
  return `${headerText(digest)}: ${parts.length ? parts.join(', ') : 'no open findings'}${tickets}`;
}

function headerText(digest: TeamDigest): string {
  return digest.team ? `${digest.title}: ${digest.team}` : digest.title;
}

/** One line per ticket, packed into sections of at most 3000 characters. */
function ticketSections(tickets: DigestTicket[]): string[] {
  const lines = tickets.map((t) => {
    const severity = t.severity ? `${SEVERITY_LABEL[t.severity].split(' ')[0]} ` : '';
    const change = t.change ? ` _(${escapeMrkdwn(t.change)})_` : '';
    return clip(`${severity}${link(t.url, t.key)} ${escapeMrkdwn(t.title)}${change}`, 500);
  });
  const sections: string[] = [];
  let current = '';
  for (const line of lines) {
    if (current && current.length + 1 + line.length > LIMITS.section) {
      sections.push(current);
      current = line;
    } else current = current ? `${current}\n${line}` : line;
  }
  if (current) sections.push(current);
  return sections;
}
