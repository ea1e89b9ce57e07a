import { ConfigError, isArxError } from '../core/errors.js';
import { secrets } from '../core/secrets.js';
import { EXIT, type ExitCode } from './exit-codes.js';

/** Everything a command prints goes through here so secrets are scrubbed and `--json` stays parseable. */
export const out = {
  line(text = ''): void {
    process.stdout.write(`${secrets.scrub(text)}\n`);
  },
  json(value: unknown): void {
    process.stdout.write(`${JSON.stringify(secrets.scrubValue(value), null, 2)}\n`);
  },
  /** One JSON object per line, for streams (audit tail, NDJSON exports). */
  jsonLine(value: unknown): void {
    process.stdout.write(`${JSON.stringify(secrets.scrubValue(value))}\n`);
  },
  err(text: string): void {
    process.stderr.write(`${secrets.scrub(text)}\n`);
  },
};

/** Turns any error into a message for a person (or a JSON object) and the exit code it deserves. */
export function reportError(err: unknown, asJson: boolean): ExitCode {
  if (err instanceof ConfigError) {
    if (asJson) out.json({ ok: false, error: { code: err.code, file: err.file, issues: err.issues } });
    else {
      out.err(`✖ ${err.message}`);
      for (const issue of err.issues) {
        const at = issue.line
          ? `${err.file ?? ''}:${issue.line}${issue.column ? `:${issue.column}` : ''} `
          : '';
        out.err(`  ${at}${issue.path || '(root)'}: ${issue.message}`);
        if (issue.allowed) out.err(`      allowed: ${issue.allowed}`);
        if (issue.suggestion) out.err(`      did you mean "${issue.suggestion}"?`);
      }
    }
    return EXIT.usage;
  }
  if (isArxError(err)) {
    const code = err.fault === 'caller' ? EXIT.usage : EXIT.failure;
    if (asJson) {
      out.json({
        ok: false,
        error: { code: err.code, message: err.message, hint: err.hint, fault: err.fault },
      });
    } else {
      out.err(`✖ ${err.message}`);
      if (err.hint) out.err(`  ${err.hint}`);
      if (process.env.ARX_DEBUG && err.stack) out.err(err.stack);
    }
    return code;
  }
  // An unexpected error is our bug: say so, keep the stack for ARX_DEBUG.
  const message = err instanceof Error ? err.message : String(err);
  if (asJson) out.json({ ok: false, error: { code: 'internal', message } });
  else {
    out.err(`✖ internal error: ${message}`);
    if (process.env.ARX_DEBUG && err instanceof Error && err.stack) out.err(err.stack);
    else out.err('  run again with ARX_DEBUG=1 for details, and please report it');
  }
  return EXIT.failure;
}
