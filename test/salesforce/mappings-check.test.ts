import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startSalesforceEmulator, type SalesforceEmulator } from '../../connectors/salesforce/emulator/index.ts';
import { salesforceDemoSeed } from '../../src/cli/demo/salesforce-seed.ts';
import { startDemoTarget } from '../../src/cli/demo/targets.ts';
import type { MappingProblem } from '../../src/mapping/index.ts';
import { cli } from '../support/cli.ts';
import { defaultUsage } from '../support/hubspot-harness.ts';
import { edit, ruleLine } from '../support/mapping-yaml.ts';
import '../support/salesforce-emulator.ts';
import { toCsv } from '../support/usage.ts';

/**
 * `expansion-sync mappings check` against a Salesforce emulator seeded the way the demo seeds one:
 * the shipped mappings pass, and a broken copy of them (plus fields changed in the org) gets every
 * problem reported at once, each with the file and line of the rule.
 */

const SHIPPED = fileURLToPath(new URL('../../mappings/', import.meta.url));
const DEMO = { companies: 20, asOf: '2026-11-20', seed: 1 } as const;

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Workspace {
  readonly dir: string;
  readonly config: string;
  readonly env: Readonly<Record<string, string>>;
}

type CrmConfig = { readonly salesforce: Readonly<Record<string, unknown>> };

/** A config for the org in a temp dir, with the usage file next to it, as a user would set one up. */
async function workspace(crm: CrmConfig, env: Readonly<Record<string, string>>, mappings?: { readonly accounts: string; readonly opportunities: string }): Promise<Workspace> {
  const dir = await mkdtemp(path.join(tmpdir(), 'expansion-sync-sf-mcheck-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const config = path.join(dir, 'config.json');
  const crmConfig = mappings ? { salesforce: { ...crm.salesforce, mappings } } : crm;
  await writeFile(config, JSON.stringify({ name: 'mcheck', dataDir: '.', crm: crmConfig, usage: { source: 'file', path: 'usage.csv' } }, null, 2));
  await writeFile(path.join(dir, 'usage.csv'), toCsv(defaultUsage()));
  return { dir, config, env };
}

/** The demo's org, started here so the test can change its fields (DemoTarget does not expose the emulator). */
async function demoOrg(): Promise<{ readonly emulator: SalesforceEmulator; readonly crm: CrmConfig; readonly env: Readonly<Record<string, string>> }> {
  const emulator = await startSalesforceEmulator({ port: 0, seed: salesforceDemoSeed(DEMO).seed });
  cleanups.push(() => emulator.stop());
  const crm = { salesforce: { loginUrl: emulator.url, auth: { flow: 'client_credentials', clientId: emulator.clientId, clientSecret: { env: 'SALESFORCE_CLIENT_SECRET' } } } };
  return { emulator, crm, env: { SALESFORCE_CLIENT_SECRET: emulator.clientSecret } };
}

const check = (w: Workspace, ...extra: string[]) => cli(['mappings', 'check', '--config', w.config, ...extra], w.env, { cwd: w.dir });

interface JsonReport {
  readonly ok: boolean;
  readonly problems: readonly MappingProblem[];
}

const brief = (p: MappingProblem) => ({ file: path.basename(p.file), line: p.line, rule: p.rule, field: p.field, message: p.message });
const byLine = (list: ReadonlyArray<ReturnType<typeof brief>>) => [...list].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);

describe('mappings check (Salesforce)', () => {
  it('passes the shipped mappings on a fresh org, and again after the first sync created the Expansion_* fields', async () => {
    const target = await startDemoTarget('salesforce', DEMO);
    cleanups.push(() => target.stop());
    const w = await workspace(target.crmConfig as CrmConfig, target.env);
    const fresh = await check(w);
    expect(fresh.stderr).toBe('');
    expect(fresh.status).toBe(0);
    // Before the first sync the worker's own fields are missing: notes, not errors.
    expect(fresh.stdout).toMatch(/salesforce\.accounts\.yaml:46: info: Expansion_Score__c does not exist yet; the first sync creates it/);
    expect(fresh.stdout).toMatch(/^OK: no errors \(0 warnings, 12 notes\)\.$/m);

    const sync = await cli(['sync', '--config', w.config, '--as-of', DEMO.asOf], target.env, { cwd: w.dir });
    expect(sync.status, sync.stderr).toBe(0);
    expect(target.writes()).toBeGreaterThan(0);

    const after = await check(w);
    expect(after.status).toBe(0);
    expect(after.stdout).toMatch(/^OK: no errors \(0 warnings, 0 notes\)\.$/m);
    expect(after.stdout).not.toMatch(/: (info|warning|error): /);
    expect(JSON.parse((await check(w, '--json')).stdout)).toEqual({ ok: true, problems: [] });
  }, 20_000);

  it('reports every broken rule at once, each with its file and line, and exits 2', async () => {
    const org = await demoOrg();
    // Fields an admin made before the worker ever ran: a health Text field retyped to a picklist without
    // "yellow", reasons as a Text(255), top signals as a Text(20).
    org.emulator.addField('Account', { name: 'Expansion_Health__c', type: 'string', length: 40 });
    org.emulator.updateField('Account', 'Expansion_Health__c', { type: 'picklist', picklistValues: [{ value: 'green' }, { value: 'red' }] });
    org.emulator.addField('Account', { name: 'Expansion_Reasons__c', type: 'string', length: 255 });
    org.emulator.addField('Account', { name: 'Expansion_Top_Signals__c', type: 'string', length: 255 });
    org.emulator.updateField('Account', 'Expansion_Top_Signals__c', { length: 20 });
    // The motion picklist made by hand without module_cross_sell.
    org.emulator.addField('Opportunity', { name: 'Expansion_Motion__c', type: 'picklist', picklistValues: [{ value: 'seat_add' }, { value: 'tier_upgrade' }] });
    let accounts = await readFile(path.join(SHIPPED, 'salesforce.accounts.yaml'), 'utf8');
    accounts = edit(accounts, '- field: Plan__c\n', '- field: Plan_Level__c\n'); // does not exist
    accounts = edit(accounts, '- field: Licensed_Seats__c\n', '- field: Renewal_Date__c\n'); // a date, read as a whole number
    accounts = edit(accounts, 'field: Expansion_Scored_At__c\n', 'field: CreatedDate\n'); // a system field: not updateable
    const opportunities = await readFile(path.join(SHIPPED, 'salesforce.opportunities.yaml'), 'utf8');
    const dir = await mkdtemp(path.join(tmpdir(), 'expansion-sync-sf-mappings-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const files = { accounts: path.join(dir, 'accounts.yaml'), opportunities: path.join(dir, 'opportunities.yaml') };
    await writeFile(files.accounts, accounts);
    await writeFile(files.opportunities, opportunities);
    const w = await workspace(org.crm, org.env, files);
    const writesBefore = org.emulator.writes();

    const result = await check(w, '--json');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(2);
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.ok).toBe(false);
    // Every error in one pass, in both files, each at the `- ` line of its rule in the YAML written above.
    expect(byLine(report.problems.filter((p) => p.severity === 'error').map(brief))).toEqual([
      { file: 'accounts.yaml', line: ruleLine(accounts, 'Renewal_Date__c'), rule: 'read', field: 'Renewal_Date__c', message: 'licensedSeats needs a whole number, but Renewal_Date__c is a date field (date)' },
      { file: 'accounts.yaml', line: ruleLine(accounts, 'Plan_Level__c'), rule: 'read', field: 'Plan_Level__c', message: 'Plan_Level__c does not exist on Account' },
      { file: 'accounts.yaml', line: ruleLine(accounts, 'Expansion_Health__c'), rule: 'write', field: 'Expansion_Health__c', message: `Expansion_Health__c's picklist lacks "yellow", which the worker writes` },
      { file: 'accounts.yaml', line: ruleLine(accounts, 'CreatedDate'), rule: 'write', field: 'CreatedDate', message: 'CreatedDate is read-only for the integration user (not updateable)' },
      { file: 'opportunities.yaml', line: ruleLine(opportunities, 'Expansion_Motion__c', 'write'), rule: 'write', field: 'Expansion_Motion__c', message: `Expansion_Motion__c's picklist lacks "module_cross_sell", which the worker writes` },
    ]);
    expect([ruleLine(accounts, 'Renewal_Date__c'), ruleLine(accounts, 'Plan_Level__c'), ruleLine(accounts, 'Expansion_Health__c'), ruleLine(accounts, 'CreatedDate')]).toEqual([23, 26, 49, 64]);
    // Too-short text fields are warnings (values are cut to fit); so is an enum map key the picklist lacks.
    expect(byLine(report.problems.filter((p) => p.severity === 'warning').map(brief))).toEqual([
      { file: 'accounts.yaml', line: ruleLine(accounts, 'Expansion_Top_Signals__c'), rule: 'write', field: 'Expansion_Top_Signals__c', message: 'Expansion_Top_Signals__c holds 20 characters; topSignals can be up to 255, so longer values are cut to fit' },
      { file: 'accounts.yaml', line: ruleLine(accounts, 'Expansion_Reasons__c'), rule: 'write', field: 'Expansion_Reasons__c', message: 'Expansion_Reasons__c holds 255 characters; reasons can be up to 4000, so longer values are cut to fit' },
      { file: 'opportunities.yaml', line: ruleLine(opportunities, 'Expansion_Motion__c', 'read'), rule: 'read', field: 'Expansion_Motion__c', message: `enum maps "module_cross_sell", which Expansion_Motion__c's picklist does not have` },
    ]);
    for (const p of report.problems) expect(p.fix.length).toBeGreaterThan(0);
    // The check writes nothing: fields the first sync would create stay missing.
    expect(org.emulator.writes()).toBe(writesBefore);

    const human = await check(w);
    expect(human.status).toBe(2);
    expect(human.stdout).toContain(`accounts.yaml:${ruleLine(accounts, 'Plan_Level__c')}: error: Plan_Level__c does not exist on Account`);
    expect(human.stdout).toContain(`accounts.yaml:${ruleLine(accounts, 'Expansion_Reasons__c')}: warning: Expansion_Reasons__c holds 255 characters`);
    expect(human.stdout).toMatch(/^5 errors, 3 warnings, \d+ notes\. A run would switch off the rules with errors and go on without them\.$/m);
  }, 20_000);

  // Provisioning's own key check only throws on a real sync, so a dry run lists this with the rest.
  it('reports an upsert key on a field that is not an External ID as a problem with its line, alongside the others', async () => {
    const org = await demoOrg();
    org.emulator.addField('Opportunity', { name: 'Legacy_Key__c', type: 'string', length: 120 });
    const accounts = edit(await readFile(path.join(SHIPPED, 'salesforce.accounts.yaml'), 'utf8'), '- field: Plan__c\n', '- field: Plan_Level__c\n');
    const opportunities = edit(await readFile(path.join(SHIPPED, 'salesforce.opportunities.yaml'), 'utf8'), 'field: Expansion_Key__c #', 'field: Legacy_Key__c #');
    const dir = await mkdtemp(path.join(tmpdir(), 'expansion-sync-sf-mappings-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const files = { accounts: path.join(dir, 'accounts.yaml'), opportunities: path.join(dir, 'opportunities.yaml') };
    await writeFile(files.accounts, accounts);
    await writeFile(files.opportunities, opportunities);
    const result = await check(await workspace(org.crm, org.env, files), '--json');
    expect(result.status).toBe(2);
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.problems.filter((p) => p.severity === 'error').map((p) => [path.basename(p.file), p.line, p.field])).toEqual([
      ['accounts.yaml', ruleLine(accounts, 'Plan_Level__c'), 'Plan_Level__c'],
      // Nothing writes Expansion_Key__c any more, so nothing creates it, and its read rule has no field.
      ['opportunities.yaml', ruleLine(opportunities, 'Expansion_Key__c'), 'Expansion_Key__c'],
      ['opportunities.yaml', ruleLine(opportunities, 'Legacy_Key__c', 'write'), 'Legacy_Key__c'],
    ]);
    expect(report.problems.find((p) => p.field === 'Legacy_Key__c')?.message).toMatch(/holds the upsert key but is not unique/);
  }, 20_000);
});
