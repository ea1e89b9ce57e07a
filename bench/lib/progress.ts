/**
 * Progress for people, on stderr: stdout is kept for the result (the JSON object with `--json`), so
 * `npm run bench -- --json > bench.json` captures figures only.
 */
const started = performance.now();

export function note(message: string): void {
  const seconds = ((performance.now() - started) / 1000).toFixed(1).padStart(6);
  process.stderr.write(`[${seconds}s] ${message}\n`);
}

/** Seconds since `from` (a `performance.now()` reading), to 0.1 s. */
export function secondsSince(from: number): number {
  return round((performance.now() - from) / 1000, 1);
}

export function round(value: number, digits = 0): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** `10000` → `10k`, `1000000` → `1M`: sizes in labels. */
export function sizeLabel(n: number): string {
  if (n >= 1_000_000 && n % 1_000_000 === 0) return `${n / 1_000_000}M`;
  if (n >= 1000 && n % 1000 === 0) return `${n / 1000}k`;
  return String(n);
}
