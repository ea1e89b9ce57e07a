import { type Kysely, type RawBuilder, sql } from 'kysely';

/**
 * Migrations are plain SQL, one statement per entry: readable in review, printable by `planMigrations`,
 * and identical on PGlite and PostgreSQL.
 */
export async function runStatements(db: Kysely<unknown>, statements: RawBuilder<unknown>[]): Promise<void> {
  for (const statement of statements) await statement.execute(db);
}

/** `CHECK (column IN ('a','b'))` from a frozen status object, so TypeScript and SQL share one list. */
export function checkIn(
  column: string,
  values: Readonly<Record<string, string | number>>,
): RawBuilder<unknown> {
  const list = sql.join(Object.values(values).map((value) => sql.lit(value)));
  return sql`check (${sql.ref(column)} in (${list}))`;
}

/** The keys of a catalog object as a name → name map, for `checkIn` on catalogs keyed by name. */
export function namesOf(catalog: Readonly<Record<string, unknown>>): Record<string, string> {
  return Object.fromEntries(Object.keys(catalog).map((name) => [name, name]));
}
