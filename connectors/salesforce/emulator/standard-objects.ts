import type { FieldInput, ItemError, PicklistValue } from './types.ts';

/** What a record check may ask of the schema (the SchemaStore answers it). */
export interface SchemaLookup {
  hasObject(object: string): boolean;
  objectName(object: string): string;
  def(
    object: string,
    name: string,
  ):
    | { readonly name: string; readonly type: string; readonly nillable: boolean; readonly updateable: boolean }
    | undefined;
}

/** The error for a record that repeats a field set no two records may share. */
export type DuplicateError = (record: Readonly<Record<string, unknown>>) => ItemError;

/** Validates a record about to be saved and may put its values in canonical form; an error refuses the write. */
export type RecordCheck = (record: Record<string, unknown>, schema: SchemaLookup) => ItemError | undefined;

export interface ObjectDefinition {
  readonly name: string;
  readonly label: string;
  readonly labelPlural: string;
  /** The id prefix (https://help.salesforce.com/s/articleView?id=000385203 "Standard Field Record Id Prefix Decoder"). */
  readonly keyPrefix: string;
  readonly fields: readonly FieldInput[];
  /** Field sets no two records may share: the second fails with DUPLICATE_VALUE (a user assigned a set twice). */
  readonly uniqueTogether?: ReadonlyArray<readonly string[]>;
  /** The error a record repeating a `uniqueTogether` set gets, when the object words it its own way. */
  readonly duplicateError?: DuplicateError;
  readonly check?: RecordCheck;
}

/**
 * The standard sales process stages with their default probability and the IsClosed / IsWon they imply
 * (Opportunity object reference: https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_opportunity.htm,
 * and the OpportunityStage object that holds those flags).
 */
export const OPPORTUNITY_STAGES: ReadonlyArray<{
  readonly value: string;
  readonly probability: number;
  readonly closed: boolean;
  readonly won: boolean;
}> = [
  { value: 'Prospecting', probability: 10, closed: false, won: false },
  { value: 'Qualification', probability: 10, closed: false, won: false },
  { value: 'Needs Analysis', probability: 20, closed: false, won: false },
  { value: 'Value Proposition', probability: 50, closed: false, won: false },
  { value: 'Id. Decision Makers', probability: 60, closed: false, won: false },
  { value: 'Perception Analysis', probability: 70, closed: false, won: false },
  { value: 'Proposal/Price Quote', probability: 75, closed: false, won: false },
  { value: 'Negotiation/Review', probability: 90, closed: false, won: false },
  { value: 'Closed Won', probability: 100, closed: true, won: true },
  { value: 'Closed Lost', probability: 0, closed: true, won: false },
];

const values = (...names: string[]): PicklistValue[] => names.map((value) => ({ value }));

export const SYSTEM_FIELDS: readonly FieldInput[] = [
  {
    name: 'Id',
    label: 'Record ID',
    type: 'id',
    length: 18,
    idLookup: true,
    nillable: false,
    createable: false,
    updateable: false,
    defaultedOnCreate: true,
  },
  {
    name: 'CreatedDate',
    label: 'Created Date',
    type: 'datetime',
    nillable: false,
    createable: false,
    updateable: false,
    defaultedOnCreate: true,
  },
  {
    name: 'LastModifiedDate',
    label: 'Last Modified Date',
    type: 'datetime',
    nillable: false,
    createable: false,
    updateable: false,
    defaultedOnCreate: true,
  },
  {
    name: 'SystemModstamp',
    label: 'System Modstamp',
    type: 'datetime',
    nillable: false,
    createable: false,
    updateable: false,
    defaultedOnCreate: true,
  },
];

const owner = (referenceTo = 'User'): FieldInput => ({
  name: 'OwnerId',
  label: 'Owner ID',
  type: 'reference',
  length: 18,
  nillable: false,
  defaultedOnCreate: true,
  referenceTo: [referenceTo],
  relationshipName: 'Owner',
});

export const STANDARD_OBJECTS: readonly ObjectDefinition[] = [
  {
    name: 'User',
    label: 'User',
    labelPlural: 'Users',
    keyPrefix: '005',
    fields: [
      ...SYSTEM_FIELDS,
      { name: 'Username', type: 'string', length: 80, nillable: false, unique: true, idLookup: true },
      {
        name: 'Name',
        label: 'Full Name',
        type: 'string',
        length: 121,
        createable: false,
        updateable: false,
        defaultedOnCreate: true,
      },
      { name: 'FirstName', type: 'string', length: 40 },
      { name: 'LastName', type: 'string', length: 80, nillable: false },
      { name: 'Email', type: 'email', length: 128, nillable: false },
      { name: 'IsActive', label: 'Active', type: 'boolean', nillable: false, defaultedOnCreate: true },
    ],
  },
  {
    name: 'Account',
    label: 'Account',
    labelPlural: 'Accounts',
    keyPrefix: '001',
    fields: [
      ...SYSTEM_FIELDS,
      { name: 'Name', label: 'Account Name', type: 'string', length: 255, nillable: false },
      { name: 'Website', type: 'url', length: 255 },
      owner(),
      { name: 'NumberOfEmployees', label: 'Employees', type: 'int', precision: 8 },
      { name: 'AnnualRevenue', label: 'Annual Revenue', type: 'currency', precision: 18, scale: 0 },
      {
        name: 'Type',
        label: 'Account Type',
        type: 'picklist',
        length: 255,
        picklistValues: values(
          'Prospect',
          'Customer - Direct',
          'Customer - Channel',
          'Channel Partner / Reseller',
          'Installation Partner',
          'Technology Partner',
          'Other',
        ),
      },
      {
        name: 'Industry',
        type: 'picklist',
        length: 255,
        picklistValues: values(
          'Agriculture',
          'Banking',
          'Communications',
          'Consulting',
          'Education',
          'Finance',
          'Healthcare',
          'Insurance',
          'Manufacturing',
          'Media',
          'Retail',
          'Technology',
          'Other',
        ),
      },
      { name: 'Description', label: 'Account Description', type: 'textarea', length: 32000 },
    ],
  },
  {
    name: 'Opportunity',
    label: 'Opportunity',
    labelPlural: 'Opportunities',
    keyPrefix: '006',
    fields: [
      ...SYSTEM_FIELDS,
      { name: 'Name', type: 'string', length: 120, nillable: false },
      {
        name: 'AccountId',
        label: 'Account ID',
        type: 'reference',
        length: 18,
        referenceTo: ['Account'],
        relationshipName: 'Account',
      },
      owner(),
      {
        name: 'StageName',
        label: 'Stage',
        type: 'picklist',
        length: 255,
        nillable: false,
        restrictedPicklist: true,
        picklistValues: OPPORTUNITY_STAGES.map((s, i) => ({ value: s.value, defaultValue: i === 0 })),
      },
      { name: 'CloseDate', label: 'Close Date', type: 'date', nillable: false },
      { name: 'Amount', type: 'currency', precision: 18, scale: 2 },
      {
        name: 'Probability',
        label: 'Probability (%)',
        type: 'percent',
        precision: 3,
        scale: 0,
        defaultedOnCreate: true,
      },
      {
        name: 'Type',
        label: 'Opportunity Type',
        type: 'picklist',
        length: 255,
        restrictedPicklist: true,
        picklistValues: values(
          'Existing Customer - Upgrade',
          'Existing Customer - Replacement',
          'Existing Customer - Downgrade',
          'New Customer',
        ),
      },
      {
        name: 'IsClosed',
        label: 'Closed',
        type: 'boolean',
        nillable: false,
        createable: false,
        updateable: false,
        defaultedOnCreate: true,
      },
      {
        name: 'IsWon',
        label: 'Won',
        type: 'boolean',
        nillable: false,
        createable: false,
        updateable: false,
        defaultedOnCreate: true,
      },
      { name: 'Description', type: 'textarea', length: 32000 },
    ],
  },
  {
    name: 'Task',
    label: 'Task',
    labelPlural: 'Tasks',
    keyPrefix: '00T',
    fields: [
      ...SYSTEM_FIELDS,
      { name: 'Subject', type: 'string', length: 255 },
      { name: 'Description', label: 'Comments', type: 'textarea', length: 32000 },
      {
        name: 'Status',
        type: 'picklist',
        length: 255,
        nillable: false,
        defaultedOnCreate: true,
        restrictedPicklist: true,
        picklistValues: [
          { value: 'Not Started', defaultValue: true },
          { value: 'In Progress' },
          { value: 'Completed' },
          { value: 'Waiting on someone else' },
          { value: 'Deferred' },
        ],
      },
      {
        name: 'WhatId',
        label: 'Related To ID',
        type: 'reference',
        length: 18,
        referenceTo: ['Account', 'Opportunity'],
        relationshipName: 'What',
      },
      {
        name: 'WhoId',
        label: 'Name ID',
        type: 'reference',
        length: 18,
        referenceTo: ['Contact', 'Lead'],
        relationshipName: 'Who',
      },
      owner(),
      { name: 'ActivityDate', label: 'Due Date Only', type: 'date' },
    ],
  },
  {
    name: 'ContentNote',
    label: 'Note',
    labelPlural: 'Notes',
    keyPrefix: '069',
    fields: [
      ...SYSTEM_FIELDS,
      { name: 'Title', type: 'string', length: 255, nillable: false },
      // Content is base64 in the API (https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_contentnote.htm).
      { name: 'Content', type: 'base64', length: 0 },
      owner(),
    ],
  },
  {
    name: 'ContentDocumentLink',
    label: 'Content Document Link',
    labelPlural: 'Content Document Links',
    keyPrefix: '06A',
    // A document is shared with a record once: a second link fails with DUPLICATE_VALUE, "Document with ID:
    // ... is already linked with the entity with ID: ..." on LinkedEntityId (the error Salesforce reports
    // for a repeated ContentDocumentLink insert; the object: https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_contentdocumentlink.htm).
    uniqueTogether: [['ContentDocumentId', 'LinkedEntityId']],
    duplicateError: (record) => ({
      statusCode: 'DUPLICATE_VALUE',
      message: `Document with ID: ${String(record['ContentDocumentId'])} is already linked with the entity with ID: ${String(record['LinkedEntityId'])}`,
      fields: ['LinkedEntityId'],
    }),
    fields: [
      ...SYSTEM_FIELDS.filter((f) => f.name === 'Id' || f.name === 'SystemModstamp'),
      {
        name: 'ContentDocumentId',
        label: 'ContentDocument ID',
        type: 'reference',
        length: 18,
        nillable: false,
        updateable: false,
        referenceTo: ['ContentDocument'],
        relationshipName: 'ContentDocument',
      },
      {
        name: 'LinkedEntityId',
        label: 'Linked Entity ID',
        type: 'reference',
        length: 18,
        nillable: false,
        updateable: false,
        referenceTo: ['Account', 'Opportunity', 'User'],
        relationshipName: 'LinkedEntity',
      },
      {
        name: 'ShareType',
        type: 'picklist',
        length: 40,
        restrictedPicklist: true,
        defaultedOnCreate: true,
        picklistValues: [
          { value: 'V', label: 'Viewer', defaultValue: true },
          { value: 'C', label: 'Collaborator' },
          { value: 'I', label: 'Inferred' },
        ],
      },
      {
        name: 'Visibility',
        type: 'picklist',
        length: 40,
        restrictedPicklist: true,
        defaultedOnCreate: true,
        picklistValues: [
          { value: 'AllUsers', label: 'All Users', defaultValue: true },
          { value: 'InternalUsers', label: 'Standard Users' },
          { value: 'SharedUsers', label: 'Shared Users' },
        ],
      },
    ],
  },
];

/** ContentDocument ids are the ContentNote's own ids (a note is a ContentDocument with FileType SNOTE). */
export const REFERENCE_ALIASES: Readonly<Record<string, string>> = { ContentDocument: 'ContentNote' };
