/**
 * Secret values known to this process (tokens, passwords from the environment or arx.yaml). Anything that
 * leaves Arx as text (logs, audit payloads, error messages, console output) is passed through `scrub`, so a
 * secret that slipped into a message is replaced rather than printed.
 */
const MIN_SECRET_LENGTH = 4; // shorter values would redact ordinary words

export const REDACTED = '[REDACTED]';

/** Key names whose values are secret wherever they appear. */
export const SECRET_KEY_PATTERN =
  /(secret|password|passwd|token|api[_-]?key|authorization|routing[_-]?key|private[_-]?key|credential)/i;

export class SecretRegistry {
  private readonly values = new Set<string>();

  add(value: string | undefined | null): void {
    if (value && value.length >= MIN_SECRET_LENGTH) this.values.add(value);
  }

  get size(): number {
    return this.values.size;
  }

  scrub(text: string): string {
    let out = text;
    for (const secret of this.values) {
      if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    }
    return out;
  }

  /** Deep copy with secret-named keys and known secret values redacted. */
  scrubValue<T>(value: T): T {
    return scrubDeep(value, this, 0) as T;
  }
}

function scrubDeep(value: unknown, registry: SecretRegistry, depth: number): unknown {
  if (depth > 32) return value;
  if (typeof value === 'string') return registry.scrub(value);
  if (Array.isArray(value)) return value.map((item) => scrubDeep(item, registry, depth + 1));
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [key, member] of Object.entries(value)) {
      out[key] =
        SECRET_KEY_PATTERN.test(key) && member !== null && member !== undefined && member !== ''
          ? REDACTED
          : scrubDeep(member, registry, depth + 1);
    }
    return out;
  }
  return value;
}

/** The process-wide registry; configuration loading and connectors register what they read. */
export const secrets = new SecretRegistry();
