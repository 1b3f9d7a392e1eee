import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { cli } from '../support/cli.ts';

const MAPPINGS = fileURLToPath(new URL('../../mappings/', import.meta.url));
let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

/** `==> path <==` sections of the printed package. */
function files(stdout: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const section of stdout.split(/^==> /m).filter(Boolean)) {
    const [header = '', ...rest] = section.split('\n');
    out.set(header.replace(/ <==$/, ''), rest.join('\n'));
  }
  return out;
}

describe('expansion-sync setup salesforce --print', () => {
  it('prints a deployable package: every written field, the External ID key, and a permission set granting edit on each', async () => {
    const result = await cli(['setup', 'salesforce', '--print']);
    expect(result.status).toBe(0);
    const printed = files(result.stdout);
    expect([...printed.keys()].filter((p) => p.endsWith('.field-meta.xml'))).toHaveLength(12);
    const key = printed.get('force-app/main/default/objects/Opportunity/fields/Expansion_Key__c.field-meta.xml') ?? '';
    expect(key).toContain('<externalId>true</externalId>');
    expect(key).toContain('<unique>true</unique>');
    expect(key).toContain('<type>Text</type>');
    const permissionSet =
      printed.get('force-app/main/default/permissionsets/Expansion_Sync.permissionset-meta.xml') ?? '';
    expect(permissionSet.match(/<editable>true<\/editable>/g)).toHaveLength(12);
    expect(permissionSet).toContain('<field>Account.Expansion_Score__c</field>');
    const manifest = printed.get('manifest/package.xml') ?? '';
    expect(manifest).toContain('<members>Opportunity.Expansion_Key__c</members>');
    expect(manifest).toContain('<version>62.0</version>');
  });

  it("takes the field names from the config's own mapping files, and writes them with --out", async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'expansion-sync-setup-'));
    const mapping = (await readFile(path.join(MAPPINGS, 'salesforce.accounts.yaml'), 'utf8')).replace(
      'field: Expansion_Score__c',
      'field: Upsell_Score__c',
    );
    await writeFile(
      path.join(dir, 'accounts.yaml'),
      mapping.replace('$schema=./mapping.schema.json', `$schema=${path.join(MAPPINGS, 'mapping.schema.json')}`),
    );
    const config = {
      name: 'sf',
      crm: {
        salesforce: {
          loginUrl: 'https://acme.my.salesforce.com',
          auth: { flow: 'client_credentials', clientId: 'abc', clientSecret: { env: 'SALESFORCE_CLIENT_SECRET' } },
          mappings: { accounts: 'accounts.yaml', opportunities: path.join(MAPPINGS, 'salesforce.opportunities.yaml') },
        },
      },
      usage: { source: 'file', path: 'usage.csv' },
    };
    await writeFile(path.join(dir, 'config.json'), JSON.stringify(config));
    const result = await cli([
      'setup',
      'salesforce',
      '--config',
      path.join(dir, 'config.json'),
      '--out',
      path.join(dir, 'pkg'),
    ]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/Wrote 14 files/);
    expect(
      await readFile(
        path.join(dir, 'pkg/force-app/main/default/objects/Account/fields/Upsell_Score__c.field-meta.xml'),
        'utf8',
      ),
    ).toContain('<fullName>Upsell_Score__c</fullName>');
  });
});
