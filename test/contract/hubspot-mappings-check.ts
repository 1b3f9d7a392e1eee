import path from 'node:path';
import { startHubspotEmulator, type HubspotEmulator } from '../../connectors/hubspot/emulator/index.ts';
import { demoSeed } from '../../connectors/hubspot/demo-seed.ts';
import { SHIPPED_MAPPINGS } from '../support/harness.ts';
import {
  enumMapsMissing,
  failedSummary,
  missing,
  notAWholeNumber,
  picklistLacks,
  problem,
  readOnly,
} from './check-messages.ts';
import type { CheckOrg, MappingsCheckAdapter } from './crm-adapter.ts';

const DEMO = { companies: 20, asOf: '2026-11-20', seed: 1 } as const;

const options = (values: readonly string[]) =>
  values.map((value, i) => ({ label: value, value, displayOrder: i, hidden: false }));

/** Creates a custom property through the Properties API, as an admin (or another integration) would. */
async function createProperty(e: HubspotEmulator, objectType: string, body: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${e.url}/crm/v3/properties/${objectType}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${e.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ groupName: objectType === 'deals' ? 'dealinformation' : 'companyinformation', ...body }),
  });
  if (response.status !== 201) throw new Error(`${response.status}: ${await response.text()}`);
}

/** The portal the demo provisions, started here so the test can add properties to it. */
async function startOrg(): Promise<CheckOrg> {
  const e = await startHubspotEmulator({ port: 0, seed: demoSeed(DEMO).seed });
  const mappings = {
    companies: path.join(SHIPPED_MAPPINGS, 'hubspot.companies.yaml'),
    deals: path.join(SHIPPED_MAPPINGS, 'hubspot.deals.yaml'),
  };
  return {
    crmConfig: { token: { env: 'HUBSPOT_TOKEN' }, basePath: e.url, mappings },
    env: { HUBSPOT_TOKEN: e.token },
    writes: () => e.writes(),
    // A select missing "yellow" for health, and a motion select made by hand without module_cross_sell.
    prepareBroken: async () => {
      const legacy = { name: 'es_health_legacy', label: 'Health (legacy)', type: 'enumeration', fieldType: 'select' };
      await createProperty(e, 'companies', { ...legacy, options: options(['green', 'red']) });
      const motion = { name: 'es_motion', label: 'Motion', type: 'enumeration', fieldType: 'select' };
      await createProperty(e, 'deals', { ...motion, options: options(['seat_add', 'tier_upgrade']) });
    },
    prepareNonUniqueKey: () =>
      createProperty(e, 'deals', { name: 'legacy_key', label: 'Legacy key', type: 'string', fieldType: 'text' }),
    stop: () => e.stop(),
  };
}

export const hubspotMappingsCheck: MappingsCheckAdapter = {
  keys: { account: 'companies', opportunity: 'deals' },
  freshNotes: 12,
  scoreLine: 45,
  startOrg,
  broken: {
    accountEdits: [
      ['- field: plan_tier\n', '- field: plan_level\n'], // does not exist
      ['- field: licensed_seats\n', '- field: renewal_date\n'], // a date, read as a whole number
      ['field: es_score\n', 'field: hs_object_id\n'], // HubSpot computes it: read-only
      ['field: es_health\n', 'field: es_health_legacy\n'], // picklist lacks "yellow"
    ],
    // The deals mapping is unchanged: its es_motion rules now meet a select without "module_cross_sell".
    opportunityEdits: [],
    errors: [
      problem('account', 'read', 'renewal_date', notAWholeNumber('renewal_date', 'date/date')),
      problem('account', 'read', 'plan_level', missing('plan_level', 'companies')),
      problem('account', 'write', 'hs_object_id', readOnly('hs_object_id')),
      problem('account', 'write', 'es_health_legacy', picklistLacks('es_health_legacy', 'yellow')),
      problem('opportunity', 'write', 'es_motion', picklistLacks('es_motion', 'module_cross_sell')),
    ],
    warnings: [problem('opportunity', 'read', 'es_motion', enumMapsMissing('es_motion', 'module_cross_sell'))],
    accountLines: { renewal_date: 23, plan_level: 26, hs_object_id: 45, es_health_legacy: 48 },
    // Properties the first sync would create are still notes, not errors.
    notes: [
      ...['es_expected_value', 'es_potential_arr', 'es_probability', 'es_reasons', 'es_scored_at', 'es_signals'],
      ...['es_timing', 'es_top_signals', 'expansion_key'],
    ],
    summary: failedSummary('5 errors, 1 warnings, 9 notes'),
  },
  nonUniqueKey: {
    accountEdit: ['- field: plan_tier\n', '- field: plan_level\n'],
    opportunityEdit: ['field: expansion_key #', 'field: legacy_key #'],
    fields: { missing: 'plan_level', oldKey: 'expansion_key', newKey: 'legacy_key' },
  },
};
