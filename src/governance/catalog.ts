import type { z } from 'zod';
import { closest } from '../config/suggest.js';
import { ArxError } from '../core/errors.js';

/**
 * The operation catalog: every action the gate can perform, declared as data. An operation id is
 * `connector:resource:action`. Its verb class and risk level drive scoring and policy; its params schema is
 * checked before anything else happens; its idempotency key says what the effect *means* so a retried or
 * resumed call never acts twice.
 */

/** Verb classes, from harmless to irreversible. Containment is a deliberate, fast protective change. */
export const VERBS = ['read', 'write', 'containment', 'destructive'] as const;
export type Verb = (typeof VERBS)[number];

export const RISK_LEVELS = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

/** What a connector declares for one operation. */
export interface OperationSpec<P extends z.ZodType = z.ZodType> {
  /** `resource:action`; the connector name is prefixed when registered. */
  name: string;
  verb: Verb;
  risk: RiskLevel;
  description: string;
  params: P;
  /** Derives the effect's idempotency key from what it means (e.g. `jira:create:<finding_key>`). */
  idempotencyKey?: (params: z.infer<P>) => string | undefined;
}

/** A catalog entry: the spec with its full id and connector stamped on. */
export interface Operation<P extends z.ZodType = z.ZodType> extends OperationSpec<P> {
  id: string;
  connector: string;
  resource: string;
  action: string;
}

const OPERATION_ID = /^[a-z][a-z0-9-]*:[a-z][a-z0-9-]*:[a-z][a-z0-9-]*$/;

/**
 * Declares a connector's operations and stamps the connector name onto each.
 *
 * @example
 * export const slackOperations = defineOperations('slack', [
 *   { name: 'chat:write', verb: 'write', risk: 'LOW', description: 'Post a message', params: z.object({ channel: z.string() }) },
 * ]);
 */
export function defineOperations<const T extends readonly z.ZodType[]>(
  connector: string,
  specs: { [K in keyof T]: OperationSpec<T[K]> },
): Operation[] {
  return (specs as readonly OperationSpec[]).map((spec) => {
    const id = `${connector}:${spec.name}`;
    if (!OPERATION_ID.test(id)) {
      throw new ArxError('catalog_invalid', `operation id "${id}" is not connector:resource:action`);
    }
    const [, resource, action] = id.split(':') as [string, string, string];
    return Object.freeze({ ...spec, id, connector, resource, action });
  });
}

/** The gate's read-only view of every known operation. */
export class OperationCatalog {
  private readonly byId: ReadonlyMap<string, Operation>;

  constructor(operations: readonly Operation[]) {
    const byId = new Map<string, Operation>();
    for (const op of operations) {
      if (byId.has(op.id)) throw new ArxError('catalog_invalid', `operation "${op.id}" is declared twice`);
      byId.set(op.id, op);
    }
    this.byId = byId;
  }

  get(id: string): Operation | undefined {
    return this.byId.get(id);
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  list(): Operation[] {
    return [...this.byId.values()].sort((a, b) => a.id.localeCompare(b.id));
  }

  connectors(): string[] {
    return [...new Set(this.list().map((op) => op.connector))];
  }

  /** The id a mistyped one was probably meant to be, for "did you mean" messages. */
  suggest(id: string): string | undefined {
    return closest(id, this.byId.keys());
  }
}

/** The JSON shape `arx connectors list --json` prints. */
export function describeOperation(op: Operation): {
  id: string;
  connector: string;
  risk: RiskLevel;
  verb: Verb;
  description: string;
} {
  return { id: op.id, connector: op.connector, risk: op.risk, verb: op.verb, description: op.description };
}
