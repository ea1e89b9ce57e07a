/**
 * Drops keys whose value is undefined, so optional fields are absent rather than present-and-empty (strict
 * params schemas, stored findings). A plain loop: normalising runs it several times per finding, and
 * entries/filter/fromEntries cost five times as much.
 */
export function compact<T extends Record<string, unknown>>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const member = value[key];
    if (member === undefined) continue;
    // an own "__proto__" key stays a key: assigning it would set the prototype instead
    if (key === '__proto__') {
      Object.defineProperty(out, key, {
        value: member,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else out[key] = member;
  }
  return out as T;
}
