import { z } from 'zod';
import type { DemoAe, DemoDeal } from '../crm-entry.ts';

const API = '/services/data/v62.0';

/**
 * An AE working a Salesforce org through the REST API, for `demo --simulate-quarter`: a client-credentials
 * token (https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_client_credentials_flow.htm),
 * Opportunities read with SOQL (`/query`, then `nextRecordsUrl`), closed by updating `StageName` to
 * `Closed Won` / `Closed Lost` with `PATCH /sobjects/Opportunity/{id}`, and created with
 * `POST /sobjects/Opportunity` (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_update_fields.htm).
 * `Type` `Existing Customer - Upgrade` marks an expansion opportunity, as the standard picklist has it.
 */
export function salesforceDemoAe(options: {
  readonly url: string;
  readonly clientId: string;
  readonly clientSecret: string;
}): DemoAe {
  let token: string | undefined;
  const login = async (): Promise<string> => {
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: options.clientId,
      client_secret: options.clientSecret,
    });
    const response = await fetch(`${options.url}/services/oauth2/token`, { method: 'POST', body });
    if (!response.ok) throw new Error(`Salesforce login failed: ${response.status}`);
    token = Token.parse(await response.json()).access_token;
    return token;
  };
  const call = async (method: string, route: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(`${options.url}${route}`, {
      method,
      headers: { authorization: `Bearer ${token ?? (await login())}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok)
      throw new Error(
        `Salesforce ${method} ${route.split('?')[0] ?? route} failed: ${response.status} ${text.slice(0, 200)}`,
      );
    return text === '' ? undefined : JSON.parse(text);
  };
  return {
    listDeals: async () => {
      const soql = 'SELECT Id, AccountId, Expansion_Key__c, Expansion_Motion__c, Amount, IsClosed FROM Opportunity';
      const deals: DemoDeal[] = [];
      let next: string | undefined = `${API}/query?q=${encodeURIComponent(soql)}`;
      while (next !== undefined) {
        const page = QueryPage.parse(await call('GET', next));
        for (const r of page.records) {
          if (!r.AccountId) continue;
          deals.push({
            id: r.Id,
            accountId: r.AccountId,
            ...(r.Expansion_Key__c ? { expansionKey: r.Expansion_Key__c } : {}),
            ...(r.Expansion_Motion__c ? { motion: r.Expansion_Motion__c } : {}),
            ...(typeof r.Amount === 'number' ? { amount: r.Amount } : {}),
            open: r.IsClosed !== true,
          });
        }
        next = page.nextRecordsUrl ?? undefined;
      }
      return deals;
    },
    closeDeal: async (id, outcome) => {
      await call('PATCH', `${API}/sobjects/Opportunity/${encodeURIComponent(id)}`, {
        StageName: outcome.won ? 'Closed Won' : 'Closed Lost',
        Amount: outcome.amount,
        CloseDate: outcome.closeDate,
      });
    },
    reopenDeal: async (id) => {
      await call('PATCH', `${API}/sobjects/Opportunity/${encodeURIComponent(id)}`, { StageName: 'Qualification' });
    },
    createDeal: async (deal) => {
      const created = Created.parse(
        await call('POST', `${API}/sobjects/Opportunity`, {
          Name: deal.name,
          AccountId: deal.accountId,
          StageName: 'Prospecting',
          Type: 'Existing Customer - Upgrade',
          Expansion_Motion__c: deal.motion,
          Amount: deal.amount,
          CloseDate: deal.closeDate,
        }),
      );
      return created.id;
    },
  };
}

const Token = z.object({ access_token: z.string() });

const QueryPage = z.object({
  records: z.array(
    z.object({
      Id: z.string(),
      AccountId: z.string().nullable().optional(),
      Expansion_Key__c: z.string().nullable().optional(),
      Expansion_Motion__c: z.string().nullable().optional(),
      Amount: z.number().nullable().optional(),
      IsClosed: z.boolean().nullable().optional(),
    }),
  ),
  nextRecordsUrl: z.string().nullable().optional(),
});

const Created = z.object({ id: z.string() });
