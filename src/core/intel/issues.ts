import type { z } from 'zod';
import { ConfigError, type ConfigIssue } from '../errors.js';

/** Enough problems to see the pattern; a feed with thousands of bad rows is the wrong file. */
const MAX_ISSUES = 20;

/** Collects what is wrong with a feed, then fails once with every problem named by field and line. */
export class FeedIssues {
  private readonly issues: ConfigIssue[] = [];
  private dropped = 0;

  constructor(private readonly source: string) {}

  add(issue: ConfigIssue): void {
    if (this.issues.length < MAX_ISSUES) this.issues.push(issue);
    else this.dropped++;
  }

  /** Zod issues of one record, with paths under `prefix` (`vulnerabilities[3]`) or on a CSV line. */
  addZod(error: z.ZodError, where: { prefix?: string; line?: number }): void {
    for (const issue of error.issues) {
      const field = issue.path.map(String).join('.');
      const path = where.prefix ? (field ? `${where.prefix}.${field}` : where.prefix) : field;
      this.add({ path, message: issue.message, ...(where.line ? { line: where.line } : {}) });
    }
  }

  throwIfAny(): void {
    if (this.issues.length === 0) return;
    if (this.dropped > 0) this.issues.push({ path: '', message: `and ${this.dropped} more problems` });
    throw new ConfigError(this.source, this.issues);
  }
}

/**
 * A JSON feed checked against its top-level shape, with the collector for the problems of its records:
 * text that is not JSON, or a body of the wrong shape, fails at once.
 */
export function parseFeedJson<S extends z.ZodType>(
  text: string,
  source: string,
  schema: S,
): { body: z.output<S>; issues: FeedIssues } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(source, [{ path: '', message: `not valid JSON: ${(err as Error).message}` }]);
  }
  const issues = new FeedIssues(source);
  const body = schema.safeParse(raw);
  if (!body.success) {
    issues.addZod(body.error, {});
    issues.throwIfAny();
  }
  return { body: body.data as z.output<S>, issues };
}
