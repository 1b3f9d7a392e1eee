import { Client } from '@hubspot/api-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rejectionOf } from '../support/rejection.ts';
import { startHubspotEmulator, type HubspotEmulator } from '../../connectors/hubspot/emulator/index.ts';

function sdk(emulator: HubspotEmulator): Client {
  return new Client({ accessToken: emulator.token, basePath: emulator.url, numberOfApiCallRetries: 0 });
}

interface ApiError {
  readonly code: number;
  readonly body: { message: string; category?: string };
}

const rejection = (promise: Promise<unknown>): Promise<ApiError> => rejectionOf<ApiError>(promise);

let emulator: HubspotEmulator;
let clock: number;

beforeEach(async () => {
  clock = Date.parse('2026-11-20T12:00:00.000Z');
  // Company i has i * 10 employees; only even companies have an ARR.
  const companies = Array.from({ length: 25 }, (_, i) => ({
    properties: {
      name: `Company ${i}`,
      domain: `c${i}.example`,
      numberofemployees: String(i * 10),
      ...(i % 2 === 0 ? { arr: String(i * 1000) } : {}),
    },
  }));
  emulator = await startHubspotEmulator({
    port: 0,
    now: () => clock,
    seed: {
      properties: {
        companies: [
          { name: 'arr', label: 'ARR', type: 'number', fieldType: 'number', groupName: 'companyinformation' },
        ],
      },
      objects: { companies },
    },
  });
});

afterEach(async () => {
  await emulator.stop();
});

describe('search', () => {
  // Search allows 5 calls a second: each call here happens a second after the previous one.
  const search = (body: Record<string, unknown>) => {
    clock += 1_000;
    return sdk(emulator).crm.companies.searchApi.doSearch(body as never);
  };
  const names = (r: { results: Array<{ properties: Record<string, string | null> }> }) =>
    r.results.map((c) => c.properties['name']);

  it('ANDs filters in a group, ORs groups, sorts, and reports the total', async () => {
    const range = [
      { propertyName: 'numberofemployees', operator: 'GTE', value: '100' },
      { propertyName: 'numberofemployees', operator: 'LT', value: '140' },
    ];
    const result = await search({
      filterGroups: [{ filters: range }, { filters: [{ propertyName: 'name', operator: 'EQ', value: 'company 3' }] }],
      sorts: [{ propertyName: 'numberofemployees', direction: 'DESCENDING' }],
      properties: ['name'],
      limit: 10,
    });
    expect(result.total).toBe(5);
    expect(names(result)).toEqual(['Company 13', 'Company 12', 'Company 11', 'Company 10', 'Company 3']);
    expect(result.paging).toBeUndefined();
  });

  it('supports IN, NOT_IN, BETWEEN, HAS_PROPERTY, NOT_HAS_PROPERTY, NEQ and CONTAINS_TOKEN, comparing numbers as numbers', async () => {
    const total = async (filter: Record<string, unknown>) =>
      (await search({ filterGroups: [{ filters: [filter] }], limit: 1 })).total;
    expect(
      await total({ propertyName: 'domain', operator: 'IN', values: ['c1.example', 'c2.example', 'nope.example'] }),
    ).toBe(2);
    expect(await total({ propertyName: 'domain', operator: 'NOT_IN', values: ['c1.example'] })).toBe(24);
    expect(await total({ propertyName: 'numberofemployees', operator: 'BETWEEN', value: '20', highValue: '100' })).toBe(
      9,
    );
    expect(await total({ propertyName: 'numberofemployees', operator: 'GT', value: '9' })).toBe(24);
    expect(await total({ propertyName: 'arr', operator: 'HAS_PROPERTY' })).toBe(13);
    expect(await total({ propertyName: 'arr', operator: 'NOT_HAS_PROPERTY' })).toBe(12);
    expect(await total({ propertyName: 'name', operator: 'NEQ', value: 'Company 0' })).toBe(24);
    expect(await total({ propertyName: 'name', operator: 'CONTAINS_TOKEN', value: '7' })).toBe(1);
  });

  it("matches the free-text query against the object's searchable properties", async () => {
    const result = await search({ query: 'c2.example', properties: ['name'], limit: 10 });
    expect(names(result)).toEqual(['Company 2']);
  });

  it('compares dates as instants, whether the filter gives epoch milliseconds or ISO', async () => {
    clock += 60_000;
    emulator.updateProperties('companies', emulator.listObjects('companies')[5]!.id, { name: 'Company 5 renamed' });
    const since = String(Date.parse('2026-11-20T12:00:30.000Z'));
    const byEpoch = await search({
      filterGroups: [{ filters: [{ propertyName: 'hs_lastmodifieddate', operator: 'GTE', value: since }] }],
      properties: ['name'],
      limit: 10,
    });
    const byIso = await search({
      filterGroups: [
        { filters: [{ propertyName: 'hs_lastmodifieddate', operator: 'GT', value: '2026-11-20T12:00:30Z' }] },
      ],
      properties: ['name'],
      limit: 10,
    });
    expect([names(byEpoch), names(byIso)]).toEqual([['Company 5 renamed'], ['Company 5 renamed']]);
  });

  it('pages by offset: after is the next offset string', async () => {
    const first = await search({
      filterGroups: [],
      sorts: [{ propertyName: 'numberofemployees', direction: 'ASCENDING' }],
      properties: ['name'],
      limit: 10,
    });
    expect(first.paging?.next?.after).toBe('10');
    const second = await search({
      filterGroups: [],
      sorts: [{ propertyName: 'numberofemployees', direction: 'ASCENDING' }],
      properties: ['name'],
      limit: 10,
      after: first.paging?.next?.after,
    });
    expect(names(second)[0]).toBe('Company 10');
  });

  it('refuses after >= 10000, limit > 200, and more than 5 groups, 10 filters per group or 25 filters in all', async () => {
    const filter = { propertyName: 'name', operator: 'HAS_PROPERTY' };
    const group = (n: number) => ({ filters: Array.from({ length: n }, () => filter) });
    for (const body of [
      { after: '10000' },
      { limit: 201 },
      { filterGroups: Array.from({ length: 6 }, () => group(1)) },
      { filterGroups: [group(11)] },
      { filterGroups: [group(6), group(5), group(5), group(5), group(5)] },
    ]) {
      const error = await rejection(search({ limit: 10, ...body }));
      expect(error.code).toBe(400);
      expect(error.body.category).toBe('VALIDATION_ERROR');
    }
    expect((await search({ filterGroups: [group(5), group(5), group(5), group(5), group(5)], limit: 1 })).total).toBe(
      25,
    );
  });

  it('stops at 10,000 results even when more match, with total still counting them all', async () => {
    const big = await startHubspotEmulator({
      port: 0,
      seed: {
        objects: { companies: Array.from({ length: 10_050 }, (_, i) => ({ properties: { name: `Bulk ${i}` } })) },
      },
    });
    try {
      const page = await sdk(big).crm.companies.searchApi.doSearch({
        filterGroups: [],
        limit: 200,
        after: '9900',
        properties: ['name'],
      } as never);
      expect(page.total).toBe(10_050);
      expect(page.results).toHaveLength(100);
      const beyond = await rejection(
        sdk(big).crm.companies.searchApi.doSearch({
          filterGroups: [],
          limit: 200,
          after: page.paging?.next?.after ?? '',
          properties: ['name'],
        } as never),
      );
      expect(beyond.code).toBe(400);
    } finally {
      await big.stop();
    }
  });
});
