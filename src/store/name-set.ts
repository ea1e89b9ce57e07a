/**
 * A frozen map of names to themselves (`{ pending: 'pending', … }`): code spells `RUN_STATUSES.queued`,
 * migrations turn `Object.values` into CHECK constraints, and both read the one list.
 * @example export const EFFECT_STATES = nameSet('pending', 'done', 'failed');
 */
export function nameSet<const N extends string>(...names: N[]): Readonly<{ [K in N]: K }> {
  return Object.freeze(Object.fromEntries(names.map((name) => [name, name]))) as { [K in N]: K };
}

/** One name of a name set, as a type. */
export type NameOf<S> = S[keyof S];
