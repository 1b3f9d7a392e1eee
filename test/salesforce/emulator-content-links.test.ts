import { afterEach, describe, expect, it } from 'vitest';
import { startSalesforceEmulator, type SalesforceEmulator } from '../../connectors/salesforce/emulator/index.ts';
import { rejectionOf } from '../support/rejection.ts';
import { connect, type JsforceError } from '../support/salesforce-emulator.ts';

let emulator: SalesforceEmulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

async function start() {
  emulator = await startSalesforceEmulator({ seed: { accounts: [{ Name: 'Acme' }] } });
  const conn = await connect(emulator);
  const acme = emulator.listRecords('Account')[0]?.Id ?? '';
  return { e: emulator, conn, acme };
}

describe('the Salesforce emulator: ContentNotes and their links', () => {
  it('a document linked twice to the same record fails with DUPLICATE_VALUE on LinkedEntityId', async () => {
    const { e, conn, acme } = await start();
    const note = await conn
      .sobject('ContentNote')
      .create({ Title: 'Evidence', Content: Buffer.from('<p>Seats at 96%</p>').toString('base64') });
    const link = { ContentDocumentId: note.id, LinkedEntityId: acme, ShareType: 'V' };
    expect((await conn.sobject('ContentDocumentLink').create(link)).success).toBe(true);
    const again = await rejectionOf<JsforceError>(conn.sobject('ContentDocumentLink').create(link));
    expect(again.errorCode).toBe('DUPLICATE_VALUE');
    expect(again.message).toBe(`Document with ID: ${note.id} is already linked with the entity with ID: ${acme}`);
    expect(e.listRecords('ContentDocumentLink')).toHaveLength(1);
  });

  it("a ContentNote is found by its owner and title, linked or not: the query an unlinked note's lookup makes", async () => {
    const { conn } = await start();
    const note = await conn
      .sobject('ContentNote')
      .create({ Title: 'Seat expansion', Content: Buffer.from('<p>x</p>').toString('base64') });
    await conn.sobject('ContentNote').create({ Title: 'Other', Content: Buffer.from('<p>y</p>').toString('base64') });
    await conn.authorize({ grant_type: 'client_credentials' });
    const me = conn.userInfo?.id ?? '';
    expect(me).not.toBe('');
    const result = await conn.query<{ Id: string }>(
      `SELECT Id, Content FROM ContentNote WHERE OwnerId = '${me}' AND Title IN ('Seat expansion')`,
    );
    expect(result.records.map((r) => r.Id)).toEqual([note.id]);
  });
});
