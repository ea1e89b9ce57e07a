import { GraphQLError } from 'graphql';
import type { IssueStatus } from '../tenant/lifecycle.js';
import type { DemoTenant } from '../tenant/tenant.js';
import { configurationFindingNode, type IssueFacts, issueNode, vulnerabilityNode } from './nodes.js';
import { countMatches, type OrderBy, type PageSource, page } from './paging.js';
import {
  type ConfigurationFilters,
  configurationSource,
  type IssueFilters,
  issueSource,
  type VulnerabilityFilters,
  vulnerabilitySource,
} from './sources.js';

/** Per-request facts the resolvers need: who is calling and the switches in force. */
export interface WizRequestContext {
  clientId: string;
  maxPageSize: number;
  noteMaxLength: number;
  resolveOnlyThreatDetection: boolean;
}

interface ConnectionArgs<F> {
  filterBy?: F | null;
  first?: number | null;
  after?: string | null;
  orderBy?: OrderBy | null;
}

const MAX_CACHED_COUNTS = 64;

/**
 * Root resolvers for graphql-js (`rootValue`). Connections page lazily over the tenant; `totalCount` is a
 * thunk, computed (one scan) only when selected and cached per query, scan and mutation count.
 */
export function wizResolvers(tenant: DemoTenant) {
  const counts = new Map<string, number>();
  let mutations = 0;

  function connection<F, T>(
    field: string,
    source: PageSource<T>,
    args: ConnectionArgs<F>,
    ctx: WizRequestContext,
    build: (item: T) => unknown,
  ) {
    const queryKey = hashKey(
      `${field}|${JSON.stringify(args.filterBy ?? null)}|${JSON.stringify(args.orderBy ?? null)}`,
    );
    const result = page(source, args, queryKey, ctx.maxPageSize);
    return {
      nodes: result.items.map(build),
      pageInfo: { hasNextPage: result.hasNextPage, endCursor: result.endCursor },
      totalCount: () => {
        const key = `${tenant.scan}|${mutations}|${queryKey}`;
        let total = counts.get(key);
        if (total === undefined) {
          total = countMatches(source);
          if (counts.size >= MAX_CACHED_COUNTS) counts.delete(counts.keys().next().value!);
          counts.set(key, total);
        }
        return total;
      },
    };
  }

  function issueFacts(id: string): IssueFacts {
    const index = tenant.indexOf('issue', id);
    if (index === undefined) {
      throw new GraphQLError(`Issue ${id} not found`, { extensions: { code: 'NOT_FOUND' } });
    }
    return issueSource(tenant).match(index)!;
  }

  return {
    issuesV2: (args: ConnectionArgs<IssueFilters>, ctx: WizRequestContext) =>
      connection('issuesV2', issueSource(tenant, args.filterBy ?? {}), args, ctx, (f) =>
        issueNode(tenant, f),
      ),
    vulnerabilityFindings: (args: ConnectionArgs<VulnerabilityFilters>, ctx: WizRequestContext) =>
      connection('vulnerabilityFindings', vulnerabilitySource(tenant, args.filterBy ?? {}), args, ctx, (f) =>
        vulnerabilityNode(tenant, f),
      ),
    configurationFindings: (args: ConnectionArgs<ConfigurationFilters>, ctx: WizRequestContext) =>
      connection('configurationFindings', configurationSource(tenant, args.filterBy ?? {}), args, ctx, (f) =>
        configurationFindingNode(tenant, f),
      ),

    updateIssue(
      args: { input: { id: string; patch?: Patch | null; override?: Patch | null } },
      ctx: WizRequestContext,
    ) {
      const facts = issueFacts(args.input.id);
      const patch = { ...args.input.patch, ...args.input.override };
      if (
        patch.status === 'RESOLVED' &&
        ctx.resolveOnlyThreatDetection &&
        facts.core.type !== 'THREAT_DETECTION'
      ) {
        throw new GraphQLError('Only THREAT_DETECTION issues can be resolved through the API', {
          extensions: { code: 'BAD_USER_INPUT' },
        });
      }
      if ((patch.status === 'RESOLVED' || patch.status === 'REJECTED') && !patch.resolutionReason) {
        throw new GraphQLError(`resolutionReason is required to set status ${patch.status}`, {
          extensions: { code: 'BAD_USER_INPUT' },
        });
      }
      mutations++;
      tenant.updateIssue(facts.index, {
        ...(patch.status ? { status: patch.status } : {}),
        ...(patch.resolutionReason ? { resolutionReason: patch.resolutionReason } : {}),
        ...(patch.dueAt ? { dueAt: patch.dueAt } : {}),
      });
      if (patch.note) addNote(facts.index, patch.note, ctx);
      return { issue: issueNode(tenant, issueFacts(args.input.id)) };
    },

    createIssueNote(args: { input: { issueId: string; text: string } }, ctx: WizRequestContext) {
      const facts = issueFacts(args.input.issueId);
      mutations++;
      const note = addNote(facts.index, args.input.text, ctx);
      return {
        issueNote: {
          id: note.id,
          createdAt: new Date(note.createdAt).toISOString(),
          updatedAt: new Date(note.updatedAt).toISOString(),
          text: note.text,
          user: null,
          serviceAccount: { id: `sa-${ctx.clientId}`, name: ctx.clientId },
        },
      };
    },
  };

  function addNote(index: number, text: string, ctx: WizRequestContext) {
    if (ctx.noteMaxLength > 0 && text.length > ctx.noteMaxLength) {
      throw new GraphQLError(`Note text is longer than ${ctx.noteMaxLength} characters`, {
        extensions: { code: 'BAD_USER_INPUT' },
      });
    }
    return tenant.addNote(index, text, { name: ctx.clientId, email: null, serviceAccount: true });
  }
}

interface Patch {
  status?: IssueStatus | null;
  note?: string | null;
  resolutionReason?: string | null;
  dueAt?: string | null;
}

function hashKey(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36);
}
