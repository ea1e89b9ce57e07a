import { UsageError } from '../../core/errors.js';
import type { FaultSpec, RateLimit } from './types.js';

/**
 * `--faults` syntax: emulators separated by `;`, settings by `,`:
 *   `wiz:latency=200,errors=0.1;slack:rate=realistic;*:timeouts=0.01`
 * Settings: latency=<ms>, errors=<0..1>, timeouts=<0..1>, malformed=<0..1>,
 * rate=realistic|off|<requests>/<window>[/key] (window: 500ms, 1s, 1m, 1h), and any other name=value is a
 * switch for a behaviour marked [unconfirmed] in the contracts (checked against the emulator later).
 * `*` (or `all`) applies to every emulator; a named emulator's settings override it.
 */
export type FaultPlan = Record<string, FaultSpec>;

export const ALL_EMULATORS = '*';

const RATE_KEYS = { errors: 'errorRate', timeouts: 'timeoutRate', malformed: 'malformedRate' } as const;

export function parseFaultSpec(spec: string | undefined): FaultPlan {
  const plan: FaultPlan = {};
  if (!spec?.trim()) return plan;
  for (const section of spec
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const colon = section.indexOf(':');
    if (colon <= 0) {
      throw new UsageError(`--faults: "${section}" has no emulator name`, {
        hint: 'write it as name:setting=value, e.g. --faults "wiz:latency=200,errors=0.1;slack:rate=realistic"',
      });
    }
    const rawName = section.slice(0, colon).trim().toLowerCase();
    const name = rawName === 'all' ? ALL_EMULATORS : rawName;
    const faults: FaultSpec = plan[name] ?? {};
    for (const setting of section
      .slice(colon + 1)
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      applySetting(faults, name, setting);
    }
    plan[name] = faults;
  }
  return plan;
}

/** The faults for one emulator: the `*` section with the emulator's own settings on top. */
export function faultsFor(plan: FaultPlan, name: string): FaultSpec {
  const shared = plan[ALL_EMULATORS] ?? {};
  const own = plan[name] ?? {};
  const switches = { ...shared.switches, ...own.switches };
  const merged: FaultSpec = { ...shared, ...own };
  if (Object.keys(switches).length > 0) merged.switches = switches;
  return merged;
}

function applySetting(faults: FaultSpec, name: string, setting: string): void {
  const eq = setting.indexOf('=');
  if (eq <= 0) {
    throw new UsageError(`--faults: "${name}:${setting}" needs a value (setting=value)`, {
      hint: 'settings: latency=<ms>, errors=<0..1>, timeouts=<0..1>, malformed=<0..1>, rate=realistic|off|<n>/<window>[/key]',
    });
  }
  const key = setting.slice(0, eq).trim();
  const value = setting.slice(eq + 1).trim();
  if (key === 'latency') {
    faults.latencyMs = parseNumber(name, key, value, 0, 600_000);
  } else if (key in RATE_KEYS) {
    faults[RATE_KEYS[key as keyof typeof RATE_KEYS]] = parseNumber(name, key, value, 0, 1);
  } else if (key === 'rate') {
    faults.rateLimit = parseRate(name, value);
  } else {
    faults.switches = { ...faults.switches, [key]: parseSwitchValue(value) };
  }
}

function parseNumber(name: string, key: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (value === '' || !Number.isFinite(n) || n < min || n > max) {
    throw new UsageError(`--faults: ${name}:${key}=${value} must be a number from ${min} to ${max}`);
  }
  return n;
}

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/;
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

export function parseRate(name: string, value: string): 'realistic' | 'off' | RateLimit {
  if (value === 'realistic' || value === 'off') return value;
  const [requests, window, scope, ...rest] = value.split('/');
  const duration = DURATION.exec(window ?? '');
  const count = Number(requests);
  if (
    rest.length > 0 ||
    !duration ||
    !Number.isInteger(count) ||
    count < 1 ||
    (scope !== undefined && scope !== 'key' && scope !== 'service')
  ) {
    throw new UsageError(`--faults: ${name}:rate=${value} is not a rate`, {
      hint: 'use rate=realistic, rate=off or rate=<requests>/<window>[/key], e.g. rate=5/1s or rate=1/1s/key',
    });
  }
  const windowMs = Number(duration[1]) * UNIT_MS[duration[2] as keyof typeof UNIT_MS];
  return { requests: count, windowMs, scope: (scope as 'key' | 'service' | undefined) ?? 'service' };
}

function parseSwitchValue(value: string): string | number | boolean {
  if (value === 'true' || value === 'on') return true;
  if (value === 'false' || value === 'off') return false;
  const n = Number(value);
  return value !== '' && Number.isFinite(n) ? n : value;
}
