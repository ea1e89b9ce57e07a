/** Qualys v2 parameters: from the query string and, for POST, the form body; lists and ranges parsed. */
export type Params = Record<string, string>;

export class ParamError extends Error {}

export function mergedParams(url: string, body: unknown): Params {
  const params: Params = Object.fromEntries(new URL(url).searchParams);
  if (body && typeof body === 'object') {
    for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
      if (typeof value === 'string') params[key] = value;
    }
  }
  return params;
}

export function rejectUnknown(params: Params, allowed: readonly string[]): void {
  for (const key of Object.keys(params)) {
    if (!allowed.includes(key)) throw new ParamError(`Parameter ${key} is not supported for this action.`);
  }
}

/** `1-5000,7002` -> ranges; used for `ids` and `severities`. */
export function parseRanges(name: string, value: string | undefined): Array<[number, number]> | undefined {
  if (value === undefined || value === '') return undefined;
  return value.split(',').map((part) => {
    const match = /^\s*(\d+)\s*(?:-\s*(\d+))?\s*$/.exec(part);
    if (!match) throw new ParamError(`Bad parameter ${name}: "${value}" is not a list of numbers or ranges.`);
    const low = Number(match[1]);
    const high = match[2] === undefined ? low : Number(match[2]);
    if (high < low) throw new ParamError(`Bad parameter ${name}: range ${part.trim()} is reversed.`);
    return [low, high];
  });
}

export function inRanges(value: number, ranges: Array<[number, number]> | undefined): boolean {
  return !ranges || ranges.some(([low, high]) => value >= low && value <= high);
}

export function parseInteger(name: string, value: string | undefined, fallback: number, min = 0): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new ParamError(`Bad parameter ${name}: "${value}" must be an integer >= ${min}.`);
  return n;
}

export function parseDate(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms))
    throw new ParamError(`Bad parameter ${name}: "${value}" is not a date (YYYY-MM-DD[THH:MM:SSZ]).`);
  return ms;
}

export function parseFlag(name: string, value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  if (value === '0' || value === '1') return value === '1';
  throw new ParamError(`Bad parameter ${name}: "${value}" must be 0 or 1.`);
}
