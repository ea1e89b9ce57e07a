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
