import { afterEach, describe, expect, it } from 'vitest';
import { createSalesforceClient, type SalesforceClient } from '../../connectors/salesforce/client.ts';
import { startSalesforceEmulator, type SalesforceEmulator } from '../../connectors/salesforce/emulator/index.ts';
import { queryPages } from '../../connectors/salesforce/read.ts';
import { soqlString } from '../../connectors/salesforce/soql.ts';
import { findTaskNotes } from '../../connectors/salesforce/write.ts';
import { silentLogger } from '../../src/logger.ts';
import '../support/salesforce-emulator.ts';

const PAYLOADS = [
  "\\' OR Name != null OR Name = '",
  "' OR Name != null OR Name = '",
  "x\\\\' OR Id != null --",
  'O\'Brien "Co" \\ \n\t',
];

let emulator: SalesforceEmulator | undefined;
let client: SalesforceClient | undefined;
afterEach(async () => {
  await client?.stop();
  await emulator?.stop();
});

async function start(): Promise<SalesforceClient> {
  emulator = await startSalesforceEmulator({
    seed: {
      users: [{ Username: 'integration@vendor.example', LastName: 'User', Email: 'integration@vendor.example' }],
      accounts: [{ Name: 'Acme Analytics' }, { Name: 'Birch Logistics' }, ...PAYLOADS.map((Name) => ({ Name }))],
    },
  });
  client = createSalesforceClient({
    auth: {
      flow: 'client_credentials',
      loginUrl: emulator.url,
      clientId: emulator.clientId,
      clientSecret: emulator.clientSecret,
    },
    apiVersion: '62.0',
    log: silentLogger(),
  });
  return client;
}

async function all(c: SalesforceClient, soql: string): Promise<Array<Record<string, unknown>>> {
  const rows: Array<Record<string, unknown>> = [];
  for await (const page of queryPages(c, 'test.read', soql)) rows.push(...page);
  return rows;
}

describe("SOQL injection through outside values (jsforce against the emulator's SOQL engine)", () => {
  it.each(PAYLOADS)('a value of %j matches only the record with that literal value', async (payload) => {
    const c = await start();
    const rows = await all(c, `SELECT Id, Name FROM Account WHERE Name = ${soqlString(payload)}`);
    expect(rows.map((r) => r['Name'])).toEqual([payload]);
  });

  it('a CRM-sourced id in the note lookup matches nothing but itself', async () => {
    const c = await start();
    const found = await findTaskNotes(c, [
      { key: 'k1', opportunityId: "006000000000001' OR WhatId != null OR WhatId = '" },
    ]);
    expect(found.size).toBe(0);
    expect(emulator?.requests.count({ status: 400 })).toBe(0);
  });
});
