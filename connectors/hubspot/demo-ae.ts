import { z } from 'zod';
import type { DemoAe, DemoDeal } from '../crm-entry.ts';

/**
 * An AE working a HubSpot portal through the public CRM API, for `demo --simulate-quarter`: deals read with
 * `GET /crm/v3/objects/deals` (paged by `after`), closed with `PATCH /crm/v3/objects/deals/{id}` on the
 * default pipeline's `closedwon` / `closedlost` stage, and created with `POST /crm/v3/objects/deals` with an
 * inline deal-to-company association (HUBSPOT_DEFINED type 341)
 * (https://developers.hubspot.com/docs/api-reference/crm-deals-v3/guide,
 * https://developers.hubspot.com/docs/api/crm/associations#association-type-id-values). `dealtype`
 * `existingbusiness` marks an expansion deal, as HubSpot's default deal type property has it.
 */
export function hubspotDemoAe(options: { readonly url: string; readonly token: string }): DemoAe {
  const call = async (method: string, route: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(`${options.url}${route}`, {
      method,
      headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok)
      throw new Error(
        `HubSpot ${method} ${route.split('?')[0] ?? route} failed: ${response.status} ${text.slice(0, 200)}`,
      );
    return text === '' ? undefined : JSON.parse(text);
  };
  return {
    listDeals: async () => {
      const deals: DemoDeal[] = [];
      let after: string | undefined;
      do {
        const query = `limit=100&properties=expansion_key,es_motion,amount,dealstage&associations=companies${after ? `&after=${after}` : ''}`;
        const page = DealPage.parse(await call('GET', `/crm/v3/objects/deals?${query}`));
        for (const deal of page.results) {
          const accountId = deal.associations?.companies?.results[0]?.id;
          if (accountId === undefined) continue;
          const { properties: p } = deal;
          const amount = p.amount ? Number(p.amount) : undefined;
          deals.push({
            id: deal.id,
            accountId,
            ...(p.expansion_key ? { expansionKey: p.expansion_key } : {}),
            ...(p.es_motion ? { motion: p.es_motion } : {}),
            ...(amount !== undefined && Number.isFinite(amount) ? { amount } : {}),
            open: p.dealstage !== 'closedwon' && p.dealstage !== 'closedlost',
          });
        }
        after = page.paging?.next?.after;
      } while (after !== undefined);
      return deals;
    },
    closeDeal: async (id, outcome) => {
      const properties = {
        dealstage: outcome.won ? 'closedwon' : 'closedlost',
        amount: String(outcome.amount),
        closedate: outcome.closeDate,
      };
      await call('PATCH', `/crm/v3/objects/deals/${encodeURIComponent(id)}`, { properties });
    },
    reopenDeal: async (id) => {
      await call('PATCH', `/crm/v3/objects/deals/${encodeURIComponent(id)}`, {
        properties: { dealstage: 'qualifiedtobuy' },
      });
    },
    createDeal: async (deal) => {
      const created = Created.parse(
        await call('POST', '/crm/v3/objects/deals', {
          properties: {
            dealname: deal.name,
            pipeline: 'default',
            dealstage: 'appointmentscheduled',
            dealtype: 'existingbusiness',
            es_motion: deal.motion,
            amount: String(deal.amount),
            closedate: deal.closeDate,
          },
          associations: [
            { to: { id: deal.accountId }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 341 }] },
          ],
        }),
      );
      return created.id;
    },
  };
}

const DealPage = z.object({
  results: z.array(
    z.object({
      id: z.string(),
      properties: z.record(z.string(), z.string().nullable().optional()),
      associations: z
        .object({ companies: z.object({ results: z.array(z.object({ id: z.string() })) }).optional() })
        .optional(),
    }),
  ),
  paging: z.object({ next: z.object({ after: z.string() }).optional() }).optional(),
});

const Created = z.object({ id: z.string() });
