import { Client } from '@hubspot/api-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rejectionOf } from '../support/rejection.ts';
import {
  startHubspotEmulator,
  type HubspotEmulator,
  type HubspotSeed,
} from '../../connectors/hubspot/emulator/index.ts';

/** The real SDK against the emulator, as the connector uses it; retries off unless a test turns them on. */
function sdk(emulator: HubspotEmulator, retries = 0): Client {
  return new Client({ accessToken: emulator.token, basePath: emulator.url, numberOfApiCallRetries: retries });
}

interface ApiError {
  readonly code: number;
  readonly body: {
    status: string;
    message: string;
    category?: string;
    correlationId: string;
    errors?: Array<{ code?: string; message: string; context?: Record<string, string[]> }>;
    context?: Record<string, string[]>;
  };
}

const rejection = (promise: Promise<unknown>): Promise<ApiError> => rejectionOf<ApiError>(promise);

const SEED: HubspotSeed = {
  owners: [{ id: '2001', email: 'dana.ae@example.com', firstName: 'Dana', lastName: 'Reyes' }],
  properties: {
    companies: [
      { name: 'arr', label: 'ARR', type: 'number', fieldType: 'number', groupName: 'companyinformation' },
      {
        name: 'plan_tier',
        label: 'Plan',
        type: 'enumeration',
        fieldType: 'select',
        groupName: 'companyinformation',
        options: [
          { label: 'Growth', value: 'growth' },
          { label: 'Enterprise', value: 'enterprise' },
        ],
      },
      { name: 'renewal_date', label: 'Renewal date', type: 'date', fieldType: 'date', groupName: 'companyinformation' },
    ],
    deals: [
      {
        name: 'expansion_key',
        label: 'Expansion key',
        type: 'string',
        fieldType: 'text',
        groupName: 'dealinformation',
        hasUniqueValue: true,
      },
    ],
  },
  objects: {
    // Company i has i * 10 employees; only even companies have an ARR.
    companies: Array.from({ length: 25 }, (_, i) => ({
      properties: {
        name: `Company ${i}`,
        domain: `c${i}.example`,
        numberofemployees: String(i * 10),
        hubspot_owner_id: '2001',
        ...(i % 2 === 0 ? { arr: String(i * 1000) } : {}),
      },
    })),
  },
};

let emulator: HubspotEmulator;
let clock: number;

beforeEach(async () => {
  clock = Date.parse('2026-11-20T12:00:00.000Z');
  emulator = await startHubspotEmulator({ port: 0, now: () => clock, seed: SEED });
});

afterEach(async () => {
  await emulator.stop();
});

describe('list endpoint', () => {
  it('serves 10 records a page by default, follows the opaque cursor, omits paging on the last page, and every value is a string', async () => {
    const client = sdk(emulator);
    const sizes: number[] = [];
    const seen: string[] = [];
    let after: string | undefined;
    let last: Awaited<ReturnType<typeof client.crm.companies.basicApi.getPage>> | undefined;
    do {
      last = await client.crm.companies.basicApi.getPage(undefined, after, ['name', 'numberofemployees', 'arr']);
      sizes.push(last.results.length);
      for (const r of last.results) {
        seen.push(r.id);
        for (const value of Object.values(r.properties)) expect(value === null || typeof value === 'string').toBe(true);
      }
      after = last.paging?.next?.after;
    } while (after !== undefined);
    expect(sizes).toEqual([10, 10, 5]);
    expect(new Set(seen).size).toBe(25);
    expect(last.paging).toBeUndefined();
    const all = await client.crm.companies.getAll(100, undefined, ['numberofemployees', 'arr']);
    const c3 = all.find((c) => c.properties['numberofemployees'] === '30');
    expect(c3?.properties['arr']).toBeNull();
    expect(all.find((c) => c.properties['numberofemployees'] === '40')?.properties['arr']).toBe('4000');
    expect(all[0]?.createdAt).toBeInstanceOf(Date);
  });

  it('accepts comma-separated properties and returns the system properties with them', async () => {
    const response = await fetch(`${emulator.url}/crm/v3/objects/companies?limit=1&properties=name,domain`, {
      headers: { authorization: `Bearer ${emulator.token}` },
    });
    const body = (await response.json()) as {
      results: Array<{ properties: Record<string, string>; createdAt: string }>;
    };
    expect(Object.keys(body.results[0]?.properties ?? {}).sort()).toEqual([
      'createdate',
      'domain',
      'hs_lastmodifieddate',
      'hs_object_id',
      'name',
    ]);
    expect(body.results[0]?.createdAt).toBe('2026-11-20T12:00:00.000Z');
  });

  it('includes associations when asked (associations=companies on deals), as {companies: {results: [{id, type}]}}', async () => {
    const company = emulator.listObjects('companies')[0]!;
    const deal = emulator.createObject(
      'deals',
      { dealname: 'Seats', dealstage: 'appointmentscheduled', pipeline: 'default' },
      [{ toType: 'companies', toId: company.id }],
    );
    emulator.createObject('deals', { dealname: 'Lonely', dealstage: 'appointmentscheduled' });
    const page = await sdk(emulator).crm.deals.basicApi.getPage(100, undefined, ['dealname'], undefined, ['companies']);
    const withCompany = page.results.find((d) => d.id === deal.id);
    expect(withCompany?.associations?.['companies']?.results).toEqual([{ id: company.id, type: 'deal_to_company' }]);
    expect(page.results.find((d) => d.properties['dealname'] === 'Lonely')?.associations).toBeUndefined();
  });

  it('reads one record by id, answers 404 OBJECT_NOT_FOUND for a missing one, and reads by a unique property with idProperty', async () => {
    const client = sdk(emulator);
    const company = emulator.listObjects('companies')[4]!;
    const read = await client.crm.companies.basicApi.getById(company.id, ['numberofemployees']);
    expect(read.properties['numberofemployees']).toBe('40');
    const missing = await rejection(client.crm.companies.basicApi.getById('999999'));
    expect(missing.code).toBe(404);
    expect(missing.body.category).toBe('OBJECT_NOT_FOUND');
    const deal = emulator.createObject('deals', {
      dealname: 'Keyed',
      dealstage: 'qualifiedtobuy',
      expansion_key: 'acme:seat_add:2026',
    });
    const byKey = await client.crm.deals.basicApi.getById(
      'acme:seat_add:2026',
      ['dealname'],
      undefined,
      undefined,
      false,
      'expansion_key',
    );
    expect(byKey.id).toBe(deal.id);
  });
});

describe('single-record writes', () => {
  it('PATCH with idProperty updates the record holding that unique value', async () => {
    const deal = emulator.createObject('deals', {
      dealname: 'Keyed',
      dealstage: 'qualifiedtobuy',
      expansion_key: 'k-7',
    });
    clock += 5_000;
    const updated = await sdk(emulator).crm.deals.basicApi.update(
      'k-7',
      { properties: { amount: '700' } },
      'expansion_key',
    );
    expect(updated.id).toBe(deal.id);
    expect(emulator.getObject('deals', deal.id)?.properties).toMatchObject({
      amount: '700',
      hs_lastmodifieddate: '2026-11-20T12:00:05.000Z',
    });
  });

  it('DELETE archives: the record leaves reads and lists, and comes back with archived=true', async () => {
    const client = sdk(emulator);
    const [gone, kept] = emulator.listObjects('companies');
    await client.crm.companies.basicApi.archive(gone!.id);
    await client.crm.companies.batchApi.archive({ inputs: [{ id: kept!.id }, { id: '999999' }] });
    expect((await rejection(client.crm.companies.basicApi.getById(gone!.id))).code).toBe(404);
    const archived = await client.crm.companies.basicApi.getById(gone!.id, undefined, undefined, undefined, true);
    expect(archived.archived).toBe(true);
    expect(emulator.listObjects('companies')).toHaveLength(23);
    expect(
      (await client.crm.companies.basicApi.getPage(100, undefined, undefined, undefined, undefined, true)).results.map(
        (c) => c.id,
      ),
    ).toEqual([gone!.id, kept!.id]);
    expect(emulator.getObject('companies', gone!.id, { archived: true })?.archived).toBe(true);
  });
});

describe('batch writes', () => {
  it('batch create answers 201 and the SDK parses ids, Date timestamps and system properties', async () => {
    clock += 60_000;
    const created = await sdk(emulator).crm.companies.batchApi.create({
      inputs: [{ properties: { name: 'Fresh', domain: 'fresh.example' }, associations: [] }],
    });
    const record = created.results[0]!;
    expect(created.status).toBe('COMPLETE');
    expect(record.id).toMatch(/^\d+$/);
    expect(record.createdAt).toEqual(new Date('2026-11-20T12:01:00.000Z'));
    expect(record.properties).toMatchObject({
      name: 'Fresh',
      domain: 'fresh.example',
      hs_object_id: record.id,
      createdate: '2026-11-20T12:01:00.000Z',
    });
    expect(emulator.getObject('companies', record.id)?.properties['name']).toBe('Fresh');
  });

  it('upsert by a unique property creates the deal, then updates the same one (_new true, then false)', async () => {
    const client = sdk(emulator);
    const input = { id: 'acme:seat_add:2026', idProperty: 'expansion_key', objectWriteTraceId: 'acme:seat_add:2026' };
    const first = await client.crm.deals.batchApi.upsert({
      inputs: [
        { ...input, properties: { dealname: 'Acme seats', dealstage: 'appointmentscheduled', amount: '12000' } },
      ],
    });
    expect(first.results[0]?._new).toBe(true);
    clock += 1_000;
    const second = await client.crm.deals.batchApi.upsert({ inputs: [{ ...input, properties: { amount: '15000' } }] });
    expect(second.results[0]?._new).toBe(false);
    expect(second.results[0]?.id).toBe(first.results[0]?.id);
    const deals = emulator.listObjects('deals');
    expect(deals).toHaveLength(1);
    expect(deals[0]?.properties).toMatchObject({
      amount: '15000',
      expansion_key: 'acme:seat_add:2026',
      dealname: 'Acme seats',
      hs_lastmodifieddate: '2026-11-20T12:00:01.000Z',
    });
  });

  it("upsert by a property without hasUniqueValue is refused with HubSpot's 400", async () => {
    const error = await rejection(
      sdk(emulator).crm.deals.batchApi.upsert({
        inputs: [{ id: 'Acme seats', idProperty: 'dealname', properties: { amount: '1' } }],
      }),
    );
    expect(error.code).toBe(400);
    expect(error.body.category).toBe('VALIDATION_ERROR');
    expect(error.body.message).toMatch(
      /^Unable to perform update\/upsert by non-unique 0-3 property dealname in portal ID \d+$/,
    );
    expect(emulator.listObjects('deals')).toHaveLength(0);
  });

  it('a second record with a unique value already in use is refused', async () => {
    const client = sdk(emulator);
    await client.crm.deals.basicApi.create({
      properties: { dealname: 'One', dealstage: 'appointmentscheduled', expansion_key: 'k1' },
      associations: [],
    });
    const error = await rejection(
      client.crm.deals.basicApi.create({
        properties: { dealname: 'Two', dealstage: 'appointmentscheduled', expansion_key: 'k1' },
        associations: [],
      }),
    );
    expect(error.code).toBe(409);
    expect(error.body.category).toBe('CONFLICT');
    expect(emulator.listObjects('deals')).toHaveLength(1);
  });

  it('one input with an unknown property makes a 207: the good input is written, the bad one has PROPERTY_DOESNT_EXIST', async () => {
    const [good, bad] = emulator.listObjects('companies');
    const result = await sdk(emulator).crm.companies.batchApi.update({
      inputs: [
        { id: good!.id, properties: { name: 'Renamed' } },
        { id: bad!.id, properties: { es_scroe: '80' } },
      ],
    });
    expect(result.results.map((r) => r.id)).toEqual([good!.id]);
    expect('numErrors' in result && result.numErrors).toBe(1);
    const errors = 'errors' in result ? result.errors : [];
    expect(errors[0]?.category).toBe('VALIDATION_ERROR');
    expect(errors[0]?.context?.['ids']).toEqual([bad!.id]);
    expect(errors[0]?.errors?.[0]).toMatchObject({
      code: 'PROPERTY_DOESNT_EXIST',
      context: { propertyName: ['es_scroe'] },
    });
    expect(emulator.getObject('companies', good!.id)?.properties['name']).toBe('Renamed');
  });

  it('batch create: without objectWriteTraceIds one bad input fails the whole batch; with them a 207 names it by trace id', async () => {
    const client = sdk(emulator);
    const before = emulator.listObjects('companies').length;
    const whole = await rejection(
      client.crm.companies.batchApi.create({
        inputs: [
          { properties: { name: 'Ok' }, associations: [] },
          { properties: { name: 'Bad', arr: 'lots' }, associations: [] },
        ],
      }),
    );
    expect(whole.code).toBe(400);
    expect(emulator.listObjects('companies')).toHaveLength(before);
    const partial = await client.crm.companies.batchApi.create({
      inputs: [
        { properties: { name: 'Ok' }, associations: [], objectWriteTraceId: 't-ok' },
        { properties: { name: 'Bad', arr: 'lots' }, associations: [], objectWriteTraceId: 't-bad' },
      ],
    } as never);
    expect(partial.results.map((r) => r.properties['name'])).toEqual(['Ok']);
    const errors = 'errors' in partial ? partial.errors : [];
    expect(errors[0]?.context?.['objectWriteTraceId']).toEqual(['t-bad']);
    expect(emulator.listObjects('companies')).toHaveLength(before + 1);
  });

  it('more than 100 inputs are refused with 400 VALIDATION_ERROR and nothing is written', async () => {
    const inputs = Array.from({ length: 101 }, (_, i) => ({ properties: { name: `Bulk ${i}` }, associations: [] }));
    const error = await rejection(sdk(emulator).crm.companies.batchApi.create({ inputs }));
    expect(error.code).toBe(400);
    expect(error.body.category).toBe('VALIDATION_ERROR');
    expect(emulator.listObjects('companies')).toHaveLength(25);
  });
});

describe('property values are validated as HubSpot validates them', () => {
  it('refuses text in a number property, an unknown option, a bad owner and a date that is not midnight UTC', async () => {
    const client = sdk(emulator);
    const id = emulator.listObjects('companies')[0]!.id;
    const codes = async (properties: Record<string, string>) =>
      (await rejection(client.crm.companies.basicApi.update(id, { properties }))).body.errors?.map((e) => e.code);
    expect(await codes({ arr: 'forty' })).toEqual(['INVALID_DECIMAL']);
    expect(await codes({ plan_tier: 'platinum' })).toEqual(['INVALID_OPTION']);
    expect(await codes({ hubspot_owner_id: '9999' })).toEqual(['INVALID_OWNER_ID']);
    expect(await codes({ renewal_date: '2027-01-01T10:00:00Z' })).toEqual(['INVALID_DATE']);
    expect(await codes({ arr: ' 5' })).toEqual(['LEADING_TRAILING_WHITESPACE']);
    const ok = await client.crm.companies.basicApi.update(id, {
      properties: { arr: '5000.5', plan_tier: 'growth', renewal_date: '1798761600000' },
    });
    expect(ok.properties).toMatchObject({ arr: '5000.5', plan_tier: 'growth', renewal_date: '2027-01-01' });
  });

  it('notes need hs_timestamp and hold at most 65,536 characters', async () => {
    const client = sdk(emulator);
    const missing = await rejection(
      client.crm.objects.notes.basicApi.create({ properties: { hs_note_body: 'hi' }, associations: [] }),
    );
    expect(missing.code).toBe(400);
    expect(missing.body.errors?.[0]?.context?.['propertyName']).toEqual(['hs_timestamp']);
    const long = await rejection(
      client.crm.objects.notes.basicApi.create({
        properties: { hs_timestamp: '2026-11-20T12:00:00Z', hs_note_body: 'x'.repeat(65_537) },
        associations: [],
      }),
    );
    expect(long.code).toBe(400);
    const note = await client.crm.objects.notes.basicApi.create({
      properties: { hs_timestamp: '1795176000000', hs_note_body: 'x'.repeat(65_536) },
      associations: [],
    });
    expect(note.properties['hs_timestamp']).toBe('2026-11-20T12:00:00.000Z');
  });

  it('deals get hs_is_closed and hs_is_closed_won from the stage, and an unknown stage is an INVALID_OPTION', async () => {
    const client = sdk(emulator);
    const deal = await client.crm.deals.basicApi.create({
      properties: { dealname: 'D', dealstage: 'contractsent', amount: '100' },
      associations: [],
    });
    expect(deal.properties).toMatchObject({ pipeline: 'default', hs_is_closed: 'false', hs_is_closed_won: 'false' });
    emulator.updateProperties('deals', deal.id, { dealstage: 'closedwon' });
    const read = await client.crm.deals.basicApi.getById(deal.id, ['hs_is_closed', 'hs_is_closed_won']);
    expect(read.properties).toMatchObject({ hs_is_closed: 'true', hs_is_closed_won: 'true' });
    const bad = await rejection(
      client.crm.deals.basicApi.update(deal.id, { properties: { dealstage: 'negotiation' } }),
    );
    expect(bad.body.errors?.[0]?.code).toBe('INVALID_OPTION');
    const readOnly = await rejection(
      client.crm.deals.basicApi.update(deal.id, { properties: { hs_is_closed: 'false' } }),
    );
    expect(readOnly.body.errors?.[0]?.code).toBe('READ_ONLY_VALUE');
  });
});

describe('HTTP behaviour', () => {
  const call = (path: string, init: RequestInit = {}) =>
    fetch(`${emulator.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${emulator.token}`, 'content-type': 'application/json', ...init.headers },
    });

  it("answers bad JSON, unknown routes and unknown object types with HubSpot's JSON error bodies and a correlation id header", async () => {
    const badJson = await call('/crm/v3/objects/companies', { method: 'POST', body: '{"properties": {"name": }' });
    expect(badJson.status).toBe(400);
    expect(badJson.headers.get('content-type')).toBe('application/json;charset=utf-8');
    const body = (await badJson.json()) as { status: string; message: string; correlationId: string };
    expect(body.status).toBe('error');
    expect(body.message).toMatch(/^Invalid input JSON on line 1, column \d+: /);
    expect(body.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(badJson.headers.get('x-hubspot-correlation-id')).toBe(body.correlationId);
    const unknown = await call('/crm/v3/objects/companies/1/nope');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toBe('application/json;charset=utf-8');
    const badType = await call('/crm/v3/objects/widgets');
    expect(badType.status).toBe(400);
    expect(((await badType.json()) as { message: string }).message).toBe('Unable to infer object type from: widgets');
  });

  it('accepts object type ids and singular names in paths', async () => {
    const byId = (await (await call('/crm/v3/objects/0-2?limit=2')).json()) as { results: unknown[] };
    const singular = (await (await call('/crm/v3/objects/company?limit=3')).json()) as { results: unknown[] };
    expect([byId.results.length, singular.results.length]).toEqual([2, 3]);
  });
});
