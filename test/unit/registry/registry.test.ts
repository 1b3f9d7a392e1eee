import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  CRMS,
  configuredCrm,
  crmEntry,
  crmIds,
  defineCrm,
  registerCrm,
  type CrmEntry,
} from '../../../connectors/crm-registry.ts';
import { ConfigSchema } from '../../../src/config/schema.ts';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const undo of cleanups.splice(0)) undo();
});

const fakeEntry = (id: string): CrmEntry =>
  defineCrm({
    id,
    label: 'Fake',
    configKey: id,
    configSchema: z.object({ stage: z.string().default('open') }).strict(),
    secrets: [],
    deal: (config) => ({ pipeline: 'p', stage: config.stage }),
    callsPerBatch: 10,
    mappings: () => ({ account: { path: 'a.yaml', object: 'a' }, opportunity: { path: 'o.yaml', object: 'o' } }),
    shippedMappings: { account: { path: 'a.yaml', object: 'a' }, opportunity: { path: 'o.yaml', object: 'o' } },
    create: () => Promise.reject(new Error('not in this test')),
  });

const minimal = { name: 'x', usage: { source: 'file', path: 'u.csv' } };

describe('the CRM registry', () => {
  it('names each static CRM once, by the key it is registered under', () => {
    for (const [key, entry] of Object.entries(CRMS)) {
      expect(entry.id).toBe(key);
      expect(entry.configKey).toBe(key);
    }
    expect(crmIds()).toEqual(['hubspot', 'salesforce']);
    expect(crmEntry('pipedrive')).toBeUndefined();
  });

  it('reads deal defaults and batch sizes from the entry, parsing the config block with its schema', () => {
    expect(CRMS.hubspot.deal({ token: { env: 'HUBSPOT_TOKEN' } })).toEqual({
      pipeline: 'default',
      stage: 'appointmentscheduled',
    });
    const sf = {
      loginUrl: 'https://acme.my.salesforce.com',
      auth: { flow: 'client_credentials', clientId: 'c', clientSecret: { env: 'S' } },
    };
    expect(CRMS.salesforce.deal(sf)).toEqual({ pipeline: '', stage: 'Prospecting' });
    expect([CRMS.hubspot.callsPerBatch, CRMS.salesforce.callsPerBatch]).toEqual([100, 200]);
    expect(() => CRMS.hubspot.deal({})).toThrow();
  });

  it('finds the configured CRM of a config', () => {
    const parsed = ConfigSchema.parse({ ...minimal, crm: { hubspot: { token: { env: 'HUBSPOT_TOKEN' } } } });
    expect(configuredCrm(parsed.crm).entry.id).toBe('hubspot');
  });

  it('takes a registered CRM in the config, validated with its own schema, and drops it again', () => {
    cleanups.push(registerCrm(fakeEntry('fake')));
    expect(crmIds()).toEqual(['hubspot', 'salesforce', 'fake']);
    const parsed = ConfigSchema.parse({ ...minimal, crm: { fake: {} } });
    const { entry, config } = configuredCrm(parsed.crm);
    expect(entry.deal(config)).toEqual({ pipeline: 'p', stage: 'open' });
    const wrong = ConfigSchema.safeParse({ ...minimal, crm: { fake: { stage: 3 } } });
    expect(wrong.success).toBe(false);
    expect(wrong.error?.issues.map((i) => i.path.join('.'))).toEqual(['crm.fake.stage']);
    cleanups.splice(0).forEach((undo) => undo());
    expect(crmIds()).toEqual(['hubspot', 'salesforce']);
    expect(ConfigSchema.safeParse({ ...minimal, crm: { fake: {} } }).success).toBe(false);
  });

  it('refuses to shadow a static CRM, and a config with no CRM or two', () => {
    expect(() => registerCrm(fakeEntry('hubspot'))).toThrow(/already in the static registry/);
    const none = ConfigSchema.safeParse({ ...minimal, crm: {} });
    expect(none.error?.issues.map((i) => i.message)).toEqual(['configure exactly one CRM: "hubspot" or "salesforce"']);
    const unknown = ConfigSchema.safeParse({ ...minimal, crm: { hubspot: { token: { env: 'T' } }, hubspt: {} } });
    expect(unknown.error?.issues).toMatchObject([{ code: 'unrecognized_keys', keys: ['hubspt'], path: ['crm'] }]);
  });
});
