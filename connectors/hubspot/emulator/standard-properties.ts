import type { ObjectTypeName } from './object-types.ts';

export interface OptionDefinition {
  readonly label: string;
  readonly value: string;
  readonly displayOrder: number;
  readonly hidden: boolean;
  readonly description?: string;
}

/** A property as the Properties API returns it: https://developers.hubspot.com/docs/api-reference/crm-properties-v3/guide */
export interface PropertyDefinition {
  readonly name: string;
  label: string;
  type: string;
  fieldType: string;
  groupName: string;
  description: string;
  options: OptionDefinition[];
  displayOrder: number;
  hidden: boolean;
  formField: boolean;
  readonly hasUniqueValue: boolean;
  readonly hubspotDefined: boolean;
  /** HubSpot computes the value (hs_object_id, hs_is_closed, …); writes are refused. */
  readonly calculated: boolean;
  /** Valid values live outside `options` (owners, pipelines, stages). */
  readonly externalOptions: boolean;
  readonly createdAt: number;
  updatedAt: number;
}

export interface GroupDefinition {
  readonly name: string;
  label: string;
  displayOrder: number;
}

type Flag = 'calculated' | 'external' | 'unique';
type Seed = readonly [
  name: string,
  label: string,
  type: string,
  fieldType: string,
  flags?: readonly Flag[],
  options?: readonly string[],
];

const SYSTEM: readonly Seed[] = [
  ['hs_object_id', 'Record ID', 'number', 'number', ['calculated']],
  ['createdate', 'Create Date', 'datetime', 'date'],
  ['hs_lastmodifieddate', 'Last Modified Date', 'datetime', 'date', ['calculated']],
  ['hubspot_owner_id', 'Owner', 'enumeration', 'select', ['external']],
];

/**
 * Standard properties of each object (a representative subset of a new portal's defaults, named as the
 * object guides name them: https://developers.hubspot.com/docs/api-reference/crm-companies-v3/guide,
 * https://developers.hubspot.com/docs/api-reference/crm-deals-v3/guide,
 * https://developers.hubspot.com/docs/api-reference/crm-notes-v3/guide).
 */
const STANDARD: Readonly<Record<ObjectTypeName, { group: [string, string]; seeds: readonly Seed[] }>> = {
  companies: {
    group: ['companyinformation', 'Company information'],
    seeds: [
      ['name', 'Company name', 'string', 'text'],
      ['domain', 'Company Domain Name', 'string', 'text'],
      ['website', 'Website URL', 'string', 'text'],
      ['description', 'Description', 'string', 'textarea'],
      ['phone', 'Phone Number', 'string', 'phonenumber'],
      ['city', 'City', 'string', 'text'],
      ['state', 'State/Region', 'string', 'text'],
      ['country', 'Country/Region', 'string', 'text'],
      ['numberofemployees', 'Number of Employees', 'number', 'number'],
      ['annualrevenue', 'Annual Revenue', 'number', 'number'],
      [
        'industry',
        'Industry',
        'enumeration',
        'select',
        [],
        [
          'ACCOUNTING',
          'COMPUTER_SOFTWARE',
          'FINANCIAL_SERVICES',
          'HOSPITAL_HEALTH_CARE',
          'INFORMATION_TECHNOLOGY_AND_SERVICES',
          'INTERNET',
          'LOGISTICS_AND_SUPPLY_CHAIN',
          'MARKETING_AND_ADVERTISING',
          'RETAIL',
          'TELECOMMUNICATIONS',
        ],
      ],
      ['type', 'Type', 'enumeration', 'select', [], ['PROSPECT', 'PARTNER', 'RESELLER', 'VENDOR', 'OTHER']],
      [
        'lifecyclestage',
        'Lifecycle Stage',
        'enumeration',
        'radio',
        [],
        [
          'subscriber',
          'lead',
          'marketingqualifiedlead',
          'salesqualifiedlead',
          'opportunity',
          'customer',
          'evangelist',
          'other',
        ],
      ],
      ['notes_last_updated', 'Last Activity Date', 'datetime', 'date', ['calculated']],
    ],
  },
  deals: {
    group: ['dealinformation', 'Deal information'],
    seeds: [
      ['dealname', 'Deal Name', 'string', 'text'],
      ['amount', 'Amount', 'number', 'number'],
      ['dealstage', 'Deal Stage', 'enumeration', 'radio', ['external']],
      ['pipeline', 'Pipeline', 'enumeration', 'select', ['external']],
      ['closedate', 'Close Date', 'datetime', 'date'],
      ['dealtype', 'Deal Type', 'enumeration', 'radio', [], ['newbusiness', 'existingbusiness']],
      ['description', 'Deal Description', 'string', 'textarea'],
      ['hs_priority', 'Priority', 'enumeration', 'select', [], ['low', 'medium', 'high']],
      ['hs_is_closed', 'Is Deal Closed?', 'bool', 'booleancheckbox', ['calculated'], ['true', 'false']],
      ['hs_is_closed_won', 'Is Closed Won', 'bool', 'booleancheckbox', ['calculated'], ['true', 'false']],
      ['hs_deal_stage_probability', 'Deal probability', 'number', 'number', ['calculated']],
    ],
  },
  notes: {
    group: ['engagement', 'Engagement'],
    seeds: [
      ['hs_note_body', 'Note body', 'string', 'html'],
      ['hs_timestamp', 'Activity date', 'datetime', 'date'],
      ['hs_attachment_ids', 'Attached file IDs', 'enumeration', 'checkbox', ['external']],
    ],
  },
  contacts: {
    group: ['contactinformation', 'Contact information'],
    seeds: [
      ['email', 'Email', 'string', 'text', ['unique']],
      ['firstname', 'First Name', 'string', 'text'],
      ['lastname', 'Last Name', 'string', 'text'],
      ['phone', 'Phone Number', 'string', 'phonenumber'],
      ['company', 'Company Name', 'string', 'text'],
      ['jobtitle', 'Job Title', 'string', 'text'],
      [
        'lifecyclestage',
        'Lifecycle Stage',
        'enumeration',
        'radio',
        [],
        [
          'subscriber',
          'lead',
          'marketingqualifiedlead',
          'salesqualifiedlead',
          'opportunity',
          'customer',
          'evangelist',
          'other',
        ],
      ],
    ],
  },
};

export function standardGroup(type: ObjectTypeName): GroupDefinition {
  const [name, label] = STANDARD[type].group;
  return { name, label, displayOrder: -1 };
}

export function standardProperties(type: ObjectTypeName, now: number): PropertyDefinition[] {
  const { group, seeds } = STANDARD[type];
  return [...SYSTEM, ...seeds].map(([name, label, type_, fieldType, flags = [], options = []], i) => ({
    name,
    label,
    type: type_,
    fieldType,
    groupName: group[0],
    description: '',
    options: options.map((value, order) => ({ label: value, value, displayOrder: order, hidden: false })),
    displayOrder: i,
    hidden: false,
    formField: !flags.includes('calculated'),
    hasUniqueValue: flags.includes('unique'),
    hubspotDefined: true,
    calculated: flags.includes('calculated'),
    externalOptions: flags.includes('external'),
    createdAt: now,
    updatedAt: now,
  }));
}

/** Properties every read returns even when not asked for. */
export const ALWAYS_RETURNED = ['hs_object_id', 'createdate', 'hs_lastmodifieddate'] as const;

/** The default property set of a read without `properties`, per object (https://developers.hubspot.com/docs/api-reference/crm-companies-v3/guide). */
export const DEFAULT_READ_PROPERTIES: Readonly<Record<ObjectTypeName, readonly string[]>> = {
  companies: ['createdate', 'domain', 'hs_lastmodifieddate', 'hs_object_id', 'name'],
  deals: [
    'amount',
    'closedate',
    'createdate',
    'dealname',
    'dealstage',
    'hs_lastmodifieddate',
    'hs_object_id',
    'pipeline',
  ],
  notes: ['createdate', 'hs_lastmodifieddate', 'hs_object_id'],
  contacts: ['createdate', 'email', 'firstname', 'hs_object_id', 'hs_lastmodifieddate', 'lastname'],
};
