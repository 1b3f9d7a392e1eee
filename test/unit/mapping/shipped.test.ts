import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { applyReadMapping, loadMappingFile, mappingJsonSchema, readFieldNames } from '../../../src/mapping/index.ts';

const MAPPINGS = fileURLToPath(new URL('../../../mappings/', import.meta.url));

describe('shipped HubSpot mappings', () => {
  it('companies: reads the documented fields with their transforms and writes the score fields', async () => {
    const mapping = await loadMappingFile(`${MAPPINGS}hubspot.companies.yaml`, {
      system: 'hubspot',
      object: 'companies',
    });
    expect(mapping.entity).toBe('account');
    expect(mapping.read.map((r) => [r.to, r.field, r.transforms])).toEqual([
      ['name', 'name', ['trim']],
      ['domain', 'domain', ['trim', 'lowercase']],
      ['ownerId', 'hubspot_owner_id', []],
      ['arr', 'arr', ['number']],
      ['licensedSeats', 'licensed_seats', ['integer']],
      ['plan', 'plan_tier', ['trim', 'lowercase']],
      ['modulesOwned', 'modules_owned', [{ split: ';' }, 'trim', 'lowercase']],
      ['renewalDate', 'renewal_date', ['date']],
      ['employees', 'numberofemployees', ['integer']],
      ['customerSince', 'customer_since', ['date']],
    ]);
    expect(mapping.write.map((w) => [w.from, w.field, w.policy])).toEqual([
      ['score', 'es_score', 'unless-edited'],
      ['health', 'es_health', 'unless-edited'],
      ['timing', 'es_timing', 'unless-edited'],
      ['potentialArr', 'es_potential_arr', 'unless-edited'],
      ['topSignals', 'es_top_signals', 'unless-edited'],
      ['reasons', 'es_reasons', 'unless-edited'],
      ['scoredAt', 'es_scored_at', 'always'],
    ]);
  });

  it('deals: reads the documented fields and writes create-only and unless-edited fields as documented', async () => {
    const mapping = await loadMappingFile(`${MAPPINGS}hubspot.deals.yaml`, { system: 'hubspot', object: 'deals' });
    expect(mapping.entity).toBe('opportunity');
    expect(mapping.read.map((r) => [r.to, r.field])).toEqual([
      ['expansionKey', 'expansion_key'],
      ['motion', 'es_motion'],
      ['name', 'dealname'],
      ['stage', 'dealstage'],
      ['amount', 'amount'],
      ['closeDate', 'closedate'],
      ['ownerId', 'hubspot_owner_id'],
      ['dealType', 'dealtype'],
    ]);
    expect(Object.fromEntries(mapping.write.map((w) => [w.from, `${w.field} ${w.policy}`]))).toEqual({
      name: 'dealname create-only',
      amount: 'amount unless-edited',
      stage: 'dealstage create-only',
      pipeline: 'pipeline create-only',
      closeDate: 'closedate create-only',
      ownerId: 'hubspot_owner_id create-only',
      expansionKey: 'expansion_key create-only',
      motion: 'es_motion create-only',
      probability: 'es_probability unless-edited',
      signals: 'es_signals unless-edited',
      expectedValue: 'es_expected_value unless-edited',
    });
  });

  it('maps a company as the HubSpot API returns it', async () => {
    const mapping = await loadMappingFile(`${MAPPINGS}hubspot.companies.yaml`);
    const result = applyReadMapping(mapping, {
      name: 'Acme Analytics ',
      domain: ' ACME.example',
      hubspot_owner_id: '2001',
      arr: '30000',
      licensed_seats: '50',
      plan_tier: 'Growth',
      modules_owned: 'Core;Reports;',
      renewal_date: '2027-08-01',
      numberofemployees: '',
      hs_object_id: '1001',
    });
    expect(result).toEqual({
      values: {
        name: 'Acme Analytics',
        domain: 'acme.example',
        ownerId: '2001',
        arr: 30000,
        licensedSeats: 50,
        plan: 'growth',
        modulesOwned: ['core', 'reports'],
        renewalDate: '2027-08-01',
      },
      problems: [],
    });
    expect(readFieldNames(mapping)).toEqual([
      'name',
      'domain',
      'hubspot_owner_id',
      'arr',
      'licensed_seats',
      'plan_tier',
      'modules_owned',
      'renewal_date',
      'numberofemployees',
      'customer_since',
    ]);
  });

  it('ships a mapping.schema.json that matches the schema the loader enforces', async () => {
    const shipped: unknown = JSON.parse(await readFile(`${MAPPINGS}mapping.schema.json`, 'utf8'));
    // After a schema change, regenerate it:
    // node_modules/.bin/node --input-type=module -e "const m = await import('./src/mapping/index.ts'); process.stdout.write(JSON.stringify(m.mappingJsonSchema(), null, 2) + '\n')" > mappings/mapping.schema.json
    expect(shipped).toEqual(mappingJsonSchema());
  });

  it('points editors at the schema from every shipped YAML file', async () => {
    for (const name of [
      'hubspot.companies.yaml',
      'hubspot.deals.yaml',
      'salesforce.accounts.yaml',
      'salesforce.opportunities.yaml',
    ]) {
      const text = await readFile(`${MAPPINGS}${name}`, 'utf8');
      expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=./mapping.schema.json');
    }
  });
});

describe('shipped Salesforce mappings', () => {
  it('Account: reads the same canonical fields as HubSpot companies, and maps an Account as the REST API returns it', async () => {
    const mapping = await loadMappingFile(`${MAPPINGS}salesforce.accounts.yaml`, {
      system: 'salesforce',
      object: 'Account',
    });
    expect(mapping.entity).toBe('account');
    const hubspot = await loadMappingFile(`${MAPPINGS}hubspot.companies.yaml`);
    expect(mapping.read.map((r) => r.to)).toEqual(hubspot.read.map((r) => r.to));
    expect(mapping.write.map((w) => w.from)).toEqual(hubspot.write.map((w) => w.from));
    const result = applyReadMapping(mapping, {
      Name: 'Acme Analytics',
      Website: 'https://www.ACME.example/',
      OwnerId: '005000000000001AAA',
      ARR__c: '30000',
      Licensed_Seats__c: '50',
      Plan__c: 'Growth',
      Modules_Owned__c: 'Core;Reports',
      Renewal_Date__c: '2027-08-01',
      NumberOfEmployees: '200',
    });
    expect(result).toEqual({
      values: {
        name: 'Acme Analytics',
        domain: 'acme.example',
        ownerId: '005000000000001AAA',
        arr: 30000,
        licensedSeats: 50,
        plan: 'growth',
        modulesOwned: ['core', 'reports'],
        renewalDate: '2027-08-01',
        employees: 200,
      },
      problems: [],
    });
  });

  it('Opportunity: upserts on the External ID key and leaves name, stage, close date and owner to the AE after creation', async () => {
    const mapping = await loadMappingFile(`${MAPPINGS}salesforce.opportunities.yaml`, {
      system: 'salesforce',
      object: 'Opportunity',
    });
    expect(mapping.entity).toBe('opportunity');
    const policy = Object.fromEntries(mapping.write.map((w) => [w.field, w.policy]));
    expect(policy).toMatchObject({
      Name: 'create-only',
      StageName: 'create-only',
      CloseDate: 'create-only',
      OwnerId: 'create-only',
      Expansion_Key__c: 'create-only',
      Amount: 'unless-edited',
    });
    expect(mapping.read.find((r) => r.to === 'expansionKey')?.field).toBe('Expansion_Key__c');
  });
});
