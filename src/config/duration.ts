/**
 * Durations in arx.yaml are written the way people say them: "90s", "15m", "1h", "1h30m", "7d".
 * They stay strings in the typed config (so `arx config show` prints what the user wrote); consumers
 * turn them into milliseconds with `parseDuration`.
 */
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

const PART = /(\d+)(ms|s|m|h|d|w)/g;
export const DURATION_PATTERN = /^(\d+(ms|s|m|h|d|w))+$/;
export const DURATION_HINT = 'a duration such as "90s", "15m", "1h", "1h30m", "7d"';

export function isDuration(text: string): boolean {
  return DURATION_PATTERN.test(text);
}

/**
 * Milliseconds in a duration string; throws on anything `isDuration` rejects.
 * @example parseDuration('1h30m') // 5_400_000
 */
export function parseDuration(text: string): number {
  if (!isDuration(text)) throw new RangeError(`not ${DURATION_HINT}: "${text}"`);
  let total = 0;
  for (const [, amount, unit] of text.matchAll(PART)) {
    total += Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
  }
  return total;
}
