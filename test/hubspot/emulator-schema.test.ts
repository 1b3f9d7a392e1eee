import { Client } from '@hubspot/api-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rejectionOf } from '../support/rejection.ts';
import { startHubspotEmulator, type HubspotEmulator } from '../../connectors/hubspot/emulator/index.ts';

function sdk(emulator: HubspotEmulator): Client {
  return new Client({ accessToken: emulator.token, basePath: emulator.url, numberOfApiCallRetries: 0 });
}

interface ApiError {
  readonly code: number;
  readonly body: { message: string; category?: string; errors?: Array<{ code?: string }> };
}

const rejection = (promise: Promise<unknown>): Promise<ApiError> => rejectionOf<ApiError>(promise);

const HUBSPOT_DEFINED = 'HUBSPOT_DEFINED' as const;

let emulator: HubspotEmulator;

beforeEach(async () => {
  emulator = await startHubspotEmulator({
    port: 0,
    now: () => Date.parse('2026-11-20T12:00:00.000Z'),
    seed: {
      owners: [
        { id: '2001', email: 'dana.ae@example.com', firstName: 'Dana', lastName: 'Reyes' },
        { id: '2002', email: 'sam.csm@example.com', firstName: 'Sam', lastName: 'Okafor' },
        { id: '2003', email: 'lee.ae@example.com', firstName: 'Lee', lastName: 'Park' },
      ],
      properties: {
        companies: [
          { name: 'arr', label: 'ARR', type: 'number', fieldType: 'number', groupName: 'companyinformation' },
        ],
      },
      objects: {
        companies: [
          { properties: { name: 'Acme', domain: 'acme.example', arr: '30000' } },
          { properties: { name: 'Birch', domain: 'birch.example' } },
        ],
        deals: [
          {
            properties: {
              dealname: 'Acme seats',
              dealstage: 'appointmentscheduled',
              pipeline: 'default',
              amount: '9000',
            },
          },
        ],
      },
    },
  });
});

afterEach(async () => {
  await emulator.stop();
});

const ids = () => ({
  acme: emulator.listObjects('companies')[0]!.id,
  birch: emulator.listObjects('companies')[1]!.id,
  deal: emulator.listObjects('deals')[0]!.id,
});

describe('properties API', () => {
  it('creates a property with 201, answers 409 CONFLICT for the same name, and lists it', async () => {
    const client = sdk(emulator);
    const spec = {
      name: 'expansion_key',
      label: 'Expansion key',
      type: 'string',
      fieldType: 'text',
      groupName: 'dealinformation',
      hasUniqueValue: true,
    } as never;
    const created = await client.crm.properties.coreApi.create('deals', spec);
    expect(created).toMatchObject({ name: 'expansion_key', hasUniqueValue: true, type: 'string', fieldType: 'text' });
    const again = await rejection(client.crm.properties.coreApi.create('deals', spec));
    expect(again.code).toBe(409);
    expect(again.body.category).toBe('CONFLICT');
    const all = await client.crm.properties.coreApi.getAll('deals');
    expect(all.results.map((p) => p.name)).toEqual(
      expect.arrayContaining([
        'expansion_key',
        'dealname',
        'amount',
        'dealstage',
        'pipeline',
        'closedate',
        'hs_is_closed',
      ]),
    );
    expect((await client.crm.properties.coreApi.getByName('deals', 'expansion_key')).hasUniqueValue).toBe(true);
  });

  it('refuses a property without its required fields or with a group that does not exist, and never changes hasUniqueValue', async () => {
    const client = sdk(emulator);
    const noType = await rejection(
      client.crm.properties.coreApi.create('companies', {
        name: 'x_score',
        label: 'X',
        groupName: 'companyinformation',
        fieldType: 'number',
      } as never),
    );
    expect(noType.code).toBe(400);
    const noGroup = await rejection(
      client.crm.properties.coreApi.create('companies', {
        name: 'x_score',
        label: 'X',
        type: 'number',
        fieldType: 'number',
        groupName: 'nope',
      } as never),
    );
    expect(noGroup.code).toBe(400);
    await client.crm.properties.coreApi.create('companies', {
      name: 'ext_id',
      label: 'External id',
      type: 'string',
      fieldType: 'text',
      groupName: 'companyinformation',
      hasUniqueValue: true,
    } as never);
    const patch = await fetch(`${emulator.url}/crm/v3/properties/companies/ext_id`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${emulator.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ hasUniqueValue: false }),
    });
    expect(patch.status).toBe(400);
    expect((await client.crm.properties.coreApi.getByName('companies', 'ext_id')).hasUniqueValue).toBe(true);
  });

  it('a unique property created after records exist indexes their values, so upsert updates instead of duplicating', async () => {
    const client = sdk(emulator);
    await client.crm.properties.coreApi.create('companies', {
      name: 'ext_id',
      label: 'External id',
      type: 'string',
      fieldType: 'text',
      groupName: 'companyinformation',
      hasUniqueValue: true,
    } as never);
    emulator.updateProperties('companies', ids().acme, { ext_id: 'A-1' });
    const upserted = await client.crm.companies.batchApi.upsert({
      inputs: [{ id: 'A-1', idProperty: 'ext_id', properties: { arr: '45000' } }],
    });
    expect(upserted.results[0]).toMatchObject({ id: ids().acme, _new: false });
    expect(emulator.listObjects('companies')).toHaveLength(2);
  });

  it('property groups: 201, then 409 for the same name', async () => {
    const client = sdk(emulator);
    const group = await client.crm.properties.groupsApi.create('deals', {
      name: 'expansion_sync',
      label: 'Expansion Sync',
      displayOrder: -1,
    });
    expect(group).toMatchObject({ name: 'expansion_sync', label: 'Expansion Sync' });
    const again = await rejection(
      client.crm.properties.groupsApi.create('deals', {
        name: 'expansion_sync',
        label: 'Expansion Sync',
        displayOrder: -1,
      }),
    );
    expect(again.code).toBe(409);
    expect((await client.crm.properties.groupsApi.getAll('deals')).results.map((g) => g.name)).toEqual([
      'dealinformation',
      'expansion_sync',
    ]);
  });

  it('schema drift: after deleteProperty, writes to it fail with PROPERTY_DOESNT_EXIST and reads leave it out', async () => {
    const client = sdk(emulator);
    emulator.deleteProperty('companies', 'arr');
    const write = await rejection(client.crm.companies.basicApi.update(ids().acme, { properties: { arr: '1' } }));
    expect(write.body.errors?.[0]?.code).toBe('PROPERTY_DOESNT_EXIST');
    const read = await client.crm.companies.basicApi.getById(ids().acme, ['name', 'arr']);
    expect(read.properties).not.toHaveProperty('arr');
    expect(emulator.getObject('companies', ids().acme)?.properties).not.toHaveProperty('arr');
    expect((await rejection(client.crm.properties.coreApi.getByName('companies', 'arr'))).code).toBe(404);
  });
});

describe('pipelines and owners', () => {
  it('serves the default deal pipeline with its stages and string metadata', async () => {
    const client = sdk(emulator);
    const { results } = await client.crm.pipelines.pipelinesApi.getAll('deals');
    expect(results.map((p) => p.id)).toEqual(['default']);
    const stages = results[0]!.stages;
    expect(stages.map((s) => s.id)).toEqual([
      'appointmentscheduled',
      'qualifiedtobuy',
      'presentationscheduled',
      'decisionmakerboughtin',
      'contractsent',
      'closedwon',
      'closedlost',
    ]);
    expect(stages[0]?.metadata).toEqual({ isClosed: 'false', probability: '0.2' });
    expect(stages.find((s) => s.id === 'closedwon')?.metadata).toEqual({ isClosed: 'true', probability: '1.0' });
    expect(stages.find((s) => s.id === 'closedlost')?.metadata).toEqual({ isClosed: 'true', probability: '0.0' });
    expect((await client.crm.pipelines.pipelinesApi.getById('deals', 'default')).label).toBe('Sales Pipeline');
    expect((await rejection(client.crm.pipelines.pipelinesApi.getById('deals', 'renewals'))).code).toBe(404);
  });

  it('pages owners, filters them by email and reads one by id', async () => {
    const client = sdk(emulator);
    const first = await client.crm.owners.ownersApi.getPage(undefined, undefined, 2, false);
    expect(first.results.map((o) => o.id)).toEqual(['2001', '2002']);
    const second = await client.crm.owners.ownersApi.getPage(undefined, first.paging?.next?.after, 2, false);
    expect(second.results.map((o) => o.email)).toEqual(['lee.ae@example.com']);
    expect(second.paging).toBeUndefined();
    const byEmail = await client.crm.owners.ownersApi.getPage('SAM.csm@example.com');
    expect(byEmail.results.map((o) => o.id)).toEqual(['2002']);
    const owner = await client.crm.owners.ownersApi.getById(2001);
    expect(owner).toMatchObject({
      id: '2001',
      email: 'dana.ae@example.com',
      firstName: 'Dana',
      lastName: 'Reyes',
      archived: false,
    });
    expect(typeof owner.userId).toBe('number');
    expect((await rejection(client.crm.owners.ownersApi.getById(4242))).code).toBe(404);
  });
});

describe('associations v4', () => {
  it("associate default (deal → company) is readable both ways with HubSpot's default type ids", async () => {
    const client = sdk(emulator);
    const { acme, deal } = ids();
    const result = await client.crm.associations.v4.batchApi.createDefault('deals', 'companies', {
      inputs: [{ _from: { id: deal }, to: { id: acme } }],
    });
    expect(result.results[0]?.associationSpec).toMatchObject({
      associationCategory: HUBSPOT_DEFINED,
      associationTypeId: 341,
    });
    const fromDeal = await client.crm.associations.v4.basicApi.getPage('deals', deal, 'companies');
    expect(fromDeal.results.map((r) => [String(r.toObjectId), r.associationTypes.map((t) => t.typeId)])).toEqual([
      [acme, [341]],
    ]);
    const fromCompany = await client.crm.associations.v4.basicApi.getPage('companies', acme, 'deals');
    expect(fromCompany.results.map((r) => [String(r.toObjectId), r.associationTypes.map((t) => t.typeId)])).toEqual([
      [deal, [342]],
    ]);
    expect(emulator.associationsOf('companies', acme, 'deals')).toEqual([deal]);
  });

  it('labels list the default type table for a pair', async () => {
    const client = sdk(emulator);
    const noteToDeal = await client.crm.associations.v4.schema.definitionsApi.getAll('notes', 'deals');
    expect(noteToDeal.results).toEqual([expect.objectContaining({ category: HUBSPOT_DEFINED, typeId: 214 })]);
    const dealToCompany = await client.crm.associations.v4.schema.definitionsApi.getAll('deals', 'companies');
    expect(dealToCompany.results.map((t) => [t.typeId, t.label ?? null])).toEqual([
      [341, null],
      [5, 'Primary'],
    ]);
    const companyToNote = await client.crm.associations.v4.schema.definitionsApi.getAll('companies', 'notes');
    expect(companyToNote.results.map((t) => t.typeId)).toEqual([189]);
  });

  it('batch create answers 201 (207 when a record is missing); batch read and archive work on both sides', async () => {
    const client = sdk(emulator);
    const { acme, birch, deal } = ids();
    const types = [{ associationCategory: HUBSPOT_DEFINED, associationTypeId: 341 }];
    const created = await client.crm.associations.v4.batchApi.create('deals', 'companies', {
      inputs: [
        { _from: { id: deal }, to: { id: acme }, types },
        { _from: { id: deal }, to: { id: birch }, types },
      ],
    } as never);
    expect(created.results.map((r) => r.toObjectId)).toEqual([Number(acme), Number(birch)]);
    expect(created.results[0]).toMatchObject({ fromObjectTypeId: '0-3', toObjectTypeId: '0-2', labels: [] });
    const partial = await client.crm.associations.v4.batchApi.create('deals', 'companies', {
      inputs: [{ _from: { id: deal }, to: { id: '424242' }, types }],
    } as never);
    expect('errors' in partial ? partial.errors.length : 0).toBe(1);
    const read = await client.crm.associations.v4.batchApi.getPage('companies', 'deals', {
      inputs: [{ id: acme, after: undefined as never }],
    });
    expect(read.results[0]?.to.map((t) => String(t.toObjectId))).toEqual([deal]);
    await client.crm.associations.v4.batchApi.archive('deals', 'companies', {
      inputs: [{ _from: { id: deal }, to: [{ id: acme }] }],
    });
    expect(emulator.associationsOf('deals', deal, 'companies')).toEqual([birch]);
    expect(emulator.associationsOf('companies', acme, 'deals')).toEqual([]);
  });

  it('inline associations on a note (214 to the deal, 190 to the company) show from the deal and the company', async () => {
    const client = sdk(emulator);
    const { acme, deal } = ids();
    const note = await client.crm.objects.notes.basicApi.create({
      properties: { hs_timestamp: '2026-11-20T12:00:00.000Z', hs_note_body: '<p>Seats at 88%</p>' },
      associations: [
        { to: { id: deal }, types: [{ associationCategory: HUBSPOT_DEFINED, associationTypeId: 214 }] },
        { to: { id: acme }, types: [{ associationCategory: HUBSPOT_DEFINED, associationTypeId: 190 }] },
      ] as never,
    });
    expect(emulator.associationsOf('deals', deal, 'notes')).toEqual([note.id]);
    const fromCompany = await client.crm.associations.v4.basicApi.getPage('companies', acme, 'notes');
    expect(fromCompany.results.map((r) => r.associationTypes.map((t) => t.typeId))).toEqual([[189]]);
    const bad = await rejection(
      client.crm.objects.notes.basicApi.create({
        properties: { hs_timestamp: '1795176000000' },
        associations: [
          { to: { id: '424242' }, types: [{ associationCategory: HUBSPOT_DEFINED, associationTypeId: 214 }] },
        ] as never,
      }),
    );
    expect(bad.code).toBe(400);
  });

  it('PUT default on one record answers 200 and deleting the association removes both sides', async () => {
    const client = sdk(emulator);
    const { birch, deal } = ids();
    const put = await client.crm.associations.v4.basicApi.createDefault('deals', deal, 'companies', birch);
    expect(put.results[0]?.associationSpec.associationTypeId).toBe(341);
    await client.crm.associations.v4.basicApi.archive('companies', birch, 'deals', deal);
    expect(emulator.associationsOf('deals', deal, 'companies')).toEqual([]);
  });
});
