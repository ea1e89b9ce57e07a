import { z } from 'zod';
import { UsageError } from '../../core/errors.js';
import type { EmulatorControl, EmulatorDefinition, FaultSpec } from './types.js';

const rate = z.number().min(0).max(1);

/** `PUT /_sandbox/faults` bodies, checked so a typo is an error rather than a silently ignored key. */
export const faultSpecSchema = z
  .object({
    latencyMs: z.number().min(0).max(600_000).optional(),
    errorRate: rate.optional(),
    timeoutRate: rate.optional(),
    malformedRate: rate.optional(),
    rateLimit: z
      .union([
        z.literal('realistic'),
        z.literal('off'),
        z
          .object({
            requests: z.number().int().min(1),
            windowMs: z.number().min(1),
            scope: z.enum(['service', 'key']).optional(),
          })
          .strict(),
      ])
      .optional(),
    switches: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  })
  .strict();

/** Rejects switches the emulator does not know, naming the ones it does. */
export function checkSwitches(def: EmulatorDefinition & EmulatorControl, faults: FaultSpec): void {
  const known = def.switches ?? {};
  for (const name of Object.keys(faults.switches ?? {})) {
    if (!(name in known)) {
      const allowed = Object.keys(known);
      throw new UsageError(`--faults: ${def.name} has no setting or switch "${name}"`, {
        hint:
          `settings: latency, errors, timeouts, malformed, rate` +
          (allowed.length > 0 ? `; switches: ${allowed.join(', ')}` : ''),
      });
    }
  }
}
