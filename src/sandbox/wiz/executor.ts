import {
  buildSchema,
  type DocumentNode,
  execute,
  type GraphQLError,
  type GraphQLFormattedError,
  type GraphQLSchema,
  Kind,
  parse,
  validate,
} from 'graphql';
import { WIZ_SDL } from './schema.graphql.js';

/** A GraphQL answer and the HTTP status Wiz sends it with (400 for documents that never ran). */
export interface GraphQLAnswer {
  status: 200 | 400;
  body: { data?: unknown; errors?: GraphQLFormattedError[] };
  /** Root fields of the operation, for stats: `issuesV2`, `updateIssue`. */
  fields: string[];
}

const MAX_CACHED_DOCUMENTS = 100;

/**
 * Parses, validates and executes requests against the Wiz schema. Documents are cached by text, since a
 * paging client sends the same query hundreds of times with new variables.
 */
export class WizGraphQL {
  readonly schema: GraphQLSchema = buildSchema(WIZ_SDL);
  private readonly documents = new Map<
    string,
    { document: DocumentNode; fields: string[] } | GraphQLAnswer
  >();

  async run(
    request: unknown,
    rootValue: Record<string, unknown>,
    contextValue: unknown,
  ): Promise<GraphQLAnswer> {
    const { query, variables, operationName } = (request ?? {}) as {
      query?: unknown;
      variables?: unknown;
      operationName?: unknown;
    };
    if (typeof query !== 'string' || query.trim() === '') {
      return failure('Must provide query string.', 'BAD_REQUEST', []);
    }
    if (
      variables !== undefined &&
      variables !== null &&
      (typeof variables !== 'object' || Array.isArray(variables))
    ) {
      return failure('Variables must be an object.', 'BAD_REQUEST', []);
    }
    const prepared = this.prepare(query);
    if ('status' in prepared) return prepared;
    const result = await execute({
      schema: this.schema,
      document: prepared.document,
      rootValue,
      contextValue,
      variableValues: (variables as Record<string, unknown> | null | undefined) ?? null,
      operationName: typeof operationName === 'string' ? operationName : null,
    });
    if (result.data === undefined) {
      // Variables that do not coerce are rejected before execution, with 400 (observed on Wiz).
      return {
        status: 400,
        body: { errors: (result.errors ?? []).map((e) => format(e, 'VALIDATION_INVALID_TYPE_VARIABLE')) },
        fields: prepared.fields,
      };
    }
    const body: GraphQLAnswer['body'] = { data: result.data };
    if (result.errors?.length) body.errors = result.errors.map((e) => format(e, 'INTERNAL_SERVER_ERROR'));
    return { status: 200, body, fields: prepared.fields };
  }

  private prepare(query: string): { document: DocumentNode; fields: string[] } | GraphQLAnswer {
    const cached = this.documents.get(query);
    if (cached) return cached;
    let prepared: { document: DocumentNode; fields: string[] } | GraphQLAnswer;
    try {
      const document = parse(query);
      const errors = validate(this.schema, document);
      prepared =
        errors.length > 0
          ? {
              status: 400,
              body: { errors: errors.map((e) => format(e, 'GRAPHQL_VALIDATION_FAILED')) },
              fields: [],
            }
          : { document, fields: rootFields(document) };
    } catch (err) {
      prepared = {
        status: 400,
        body: { errors: [format(err as GraphQLError, 'GRAPHQL_PARSE_FAILED')] },
        fields: [],
      };
    }
    if (this.documents.size >= MAX_CACHED_DOCUMENTS)
      this.documents.delete(this.documents.keys().next().value!);
    this.documents.set(query, prepared);
    return prepared;
  }
}

/** The root field names a query asks for (best effort, for naming requests in stats). */
export function rootFields(document: DocumentNode): string[] {
  const fields: string[] = [];
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    for (const selection of definition.selectionSet.selections) {
      if (selection.kind === Kind.FIELD) fields.push(selection.name.value);
    }
  }
  return fields;
}

function format(error: GraphQLError, code: string): GraphQLFormattedError {
  const formatted = error.toJSON ? error.toJSON() : { message: String(error) };
  return { ...formatted, extensions: { code, ...formatted.extensions } };
}

function failure(message: string, code: string, fields: string[]): GraphQLAnswer {
  return { status: 400, body: { errors: [{ message, extensions: { code } }] }, fields };
}
