import { defineWorkflow, fromEnv, isDryRun, z } from '../../src/workflows/sdk/index.js';

/**
 * The engine tests' workflow: one ticket per synthetic finding (`fk_0`, `fk_1`, ...), then the tickets of
 * `close` are closed, then every ticket is listed page by page. `hooks.planned` counts how often the durable
 * `plan` step really ran (a resumed run must replay it, not run it).
 */
export interface TicketingHooks {
  planned?: () => void;
}

export function ticketingWorkflow(hooks: TicketingHooks = {}) {
  return defineWorkflow({
    name: 'ticketing',
    description: 'Files one ticket per synthetic finding and closes the resolved ones (engine tests)',
    connectors: ['tickets'],
    options: z.object({
      count: fromEnv('TICKET_COUNT', z.number().int().min(0).default(3)),
      close: z.array(z.string()).default([]),
    }),
    async run(ctx) {
      const keys = await ctx.step('plan', async () => {
        hooks.planned?.();
        ctx.summary.add('findingsRead', ctx.options.count);
        return Array.from({ length: ctx.options.count }, (_, i) => `fk_${i}`);
      });
      await ctx.each(
        keys,
        async (fk) => {
          const ticket = await ctx.op<{ key: string }>(
            'tickets:issues:create',
            { findingKey: fk, title: `Finding ${fk}` },
            { count: 'ticketsCreated', why: 'new finding', target: fk },
          );
          if (!isDryRun(ticket))
            await ctx.links.link({ findingKey: fk, sink: 'tickets', externalId: ticket.key });
        },
        { phase: 'tickets', id: (fk) => fk },
      );
      await ctx.each(
        ctx.options.close,
        async (fk) => {
          const link = await ctx.links.get(fk, 'tickets');
          if (link)
            await ctx.op(
              'tickets:issues:close',
              { key: link.externalId },
              { count: 'ticketsClosed', target: fk },
            );
        },
        { phase: 'close', id: (fk) => fk },
      );
      let listed = 0;
      for await (const page of ctx.read<{ items: unknown[]; next?: string }>('tickets:issues:list', {})) {
        listed += isDryRun(page) ? 0 : page.items.length;
      }
      ctx.summary.add('ticketsListed', listed);
    },
  });
}
