import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startDemoTarget, type DemoTarget } from '../../src/cli/demo/targets.ts';
import type { MappingProblem } from '../../src/mapping/index.ts';
import { cli } from '../support/cli.ts';
import { edit, ruleLine } from '../support/mapping-yaml.ts';
import { defaultUsage } from '../support/hubspot-harness.ts';
import { toCsv } from '../support/usage.ts';

/**
 * `expansion-sync mappings check` against a HubSpot emulator provisioned the way the demo provisions one:
 * the shipped mappings pass, and a broken copy of them gets every problem reported at once, each with
 * the file and line of the rule.
 */

const SHIPPED = fileURLToPath(new URL('../../mappings/', import.meta.url));

let target: DemoTarget | undefined;
let dir: string | undefined;
afterEach(async () => {
  await target?.stop();
  target = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

interface Workspace {
  readonly target: DemoTarget;
  readonly dir: string;
  readonly config: string;
}

/** The demo's emulator and a config for it in a temp dir (mappings overridable), as a user would set one up. */
async function workspace(mappings?: { readonly companies: string; readonly deals: string }): Promise<Workspace> {
  target = await startDemoTarget('hubspot', { companies: 20, asOf: '2026-11-20', seed: 1 });
  dir = await mkdtemp(path.join(tmpdir(), 'expansion-sync-mcheck-'));
  const crm = target.crmConfig as { hubspot: Record<string, unknown> };
  const crmConfig = mappings ? { hubspot: { ...crm.hubspot, mappings } } : crm;
  const config = path.join(dir, 'config.json');
  await writeFile(config, JSON.stringify({ name: 'mcheck', dataDir: '.', crm: crmConfig, usage: { source: 'file', path: 'usage.csv' } }, null, 2));
  await writeFile(path.join(dir, 'usage.csv'), toCsv(defaultUsage()));
  return { target, dir, config };
}

/** Points the workspace's config at other mapping files (same emulator). */
async function workspaceConfig(w: Workspace, mappings: { readonly companies: string; readonly deals: string }): Promise<Workspace> {
  const crm = w.target.crmConfig as { hubspot: Record<string, unknown> };
  const config = path.join(w.dir, 'config.broken.json');
  await writeFile(config, JSON.stringify({ name: 'mcheck', dataDir: '.', crm: { hubspot: { ...crm.hubspot, mappings } }, usage: { source: 'file', path: 'usage.csv' } }, null, 2));
  return { ...w, config };
}

const check = (w: Workspace, ...extra: string[]) => cli(['mappings', 'check', '--config', w.config, ...extra], w.target.env, { cwd: w.dir });

/** Creates a custom property through the Properties API, as an admin (or another integration) would. */
async function createProperty(w: Workspace, objectType: string, body: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${w.target.url}/crm/v3/properties/${objectType}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${w.target.env['HUBSPOT_TOKEN']}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ groupName: objectType === 'deals' ? 'dealinformation' : 'companyinformation', ...body }),
  });
  expect(response.status, await response.text()).toBe(201);
}

const options = (values: readonly string[]) => values.map((value, i) => ({ label: value, value, displayOrder: i, hidden: false }));

interface JsonReport {
  readonly ok: boolean;
  readonly problems: readonly MappingProblem[];
}

describe('mappings check (HubSpot)', () => {
  it('passes the shipped mappings on a fresh portal, and again after the first sync created the es_* properties', async () => {
    const w = await workspace();
    const fresh = await check(w);
    expect(fresh.stderr).toBe('');
    expect(fresh.status).toBe(0);
    // Before the first sync the worker's own properties are missing: notes, not errors.
    expect(fresh.stdout).toMatch(/^OK: no errors \(0 warnings, 12 notes\)\.$/m);
    expect(fresh.stdout).toMatch(/hubspot\.companies\.yaml:45: info: es_score does not exist yet; the first sync creates it/);

    const sync = await cli(['sync', '--config', w.config, '--as-of', '2026-11-20'], w.target.env, { cwd: w.dir });
    expect(sync.status, sync.stderr).toBe(0);

    const after = await check(w);
    expect(after.status).toBe(0);
    expect(after.stdout).toMatch(/^OK: no errors \(0 warnings, 0 notes\)\.$/m);
    expect(after.stdout).not.toMatch(/: (info|warning|error): /);
    const json = JSON.parse((await check(w, '--json')).stdout) as JsonReport;
    expect(json).toEqual({ ok: true, problems: [] });
  }, 20_000);

  it('reports every broken rule at once, each with its file and line, and exits 2', async () => {
    const w = await workspace();
    // A date property, a select missing "yellow", and a text property that is not unique.
    await createProperty(w, 'companies', { name: 'es_health_legacy', label: 'Health (legacy)', type: 'enumeration', fieldType: 'select', options: options(['green', 'red']) });
    await createProperty(w, 'deals', { name: 'es_motion', label: 'Motion', type: 'enumeration', fieldType: 'select', options: options(['seat_add', 'tier_upgrade']) });
    let companies = await readFile(path.join(SHIPPED, 'hubspot.companies.yaml'), 'utf8');
    companies = edit(companies, '- field: plan_tier\n', '- field: plan_level\n'); // does not exist
    companies = edit(companies, '- field: licensed_seats\n', '- field: renewal_date\n'); // a date, read as a whole number
    companies = edit(companies, 'field: es_score\n', 'field: hs_object_id\n'); // HubSpot computes it: read-only
    companies = edit(companies, 'field: es_health\n', 'field: es_health_legacy\n'); // picklist lacks "yellow"
    // deals.yaml unchanged: its es_motion rules now meet a select without "module_cross_sell".
    const deals = await readFile(path.join(SHIPPED, 'hubspot.deals.yaml'), 'utf8');
    const files = { companies: path.join(dir!, 'companies.yaml'), deals: path.join(dir!, 'deals.yaml') };
    await writeFile(files.companies, companies);
    await writeFile(files.deals, deals);
    const broken = await workspaceConfig(w, files);

    const result = await check(broken, '--json');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(2);
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.ok).toBe(false);
    const errors = report.problems.filter((p) => p.severity === 'error');
    const brief = (p: MappingProblem) => ({ file: path.basename(p.file), line: p.line, rule: p.rule, field: p.field, message: p.message });
    const sorted = (list: readonly ReturnType<typeof brief>[]) => [...list].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
    // Every error in one pass, in both files, each at the `- ` line of its rule in the YAML written above.
    expect(sorted(errors.map(brief))).toEqual([
      { file: 'companies.yaml', line: ruleLine(companies, 'renewal_date'), rule: 'read', field: 'renewal_date', message: 'licensedSeats needs a whole number, but renewal_date is a date field (date/date)' },
      { file: 'companies.yaml', line: ruleLine(companies, 'plan_level'), rule: 'read', field: 'plan_level', message: 'plan_level does not exist on companies' },
      { file: 'companies.yaml', line: ruleLine(companies, 'hs_object_id'), rule: 'write', field: 'hs_object_id', message: 'hs_object_id is read-only for the integration user (not updateable)' },
      { file: 'companies.yaml', line: ruleLine(companies, 'es_health_legacy'), rule: 'write', field: 'es_health_legacy', message: `es_health_legacy's picklist lacks "yellow", which the worker writes` },
      { file: 'deals.yaml', line: ruleLine(deals, 'es_motion', 'write'), rule: 'write', field: 'es_motion', message: `es_motion's picklist lacks "module_cross_sell", which the worker writes` },
    ]);
    expect([ruleLine(companies, 'renewal_date'), ruleLine(companies, 'plan_level'), ruleLine(companies, 'hs_object_id'), ruleLine(companies, 'es_health_legacy')]).toEqual([23, 26, 45, 48]);
    // The read rule's enum map names a value the select lacks: a warning at the read rule.
    expect(report.problems.filter((p) => p.severity === 'warning').map(brief)).toEqual([
      { file: 'deals.yaml', line: ruleLine(deals, 'es_motion'), rule: 'read', field: 'es_motion', message: `enum maps "module_cross_sell", which es_motion's picklist does not have` },
    ]);
    // Properties the first sync would create are still notes, not errors.
    expect(report.problems.filter((p) => p.severity === 'info').map((p) => p.field).sort()).toEqual(['es_expected_value', 'es_potential_arr', 'es_probability', 'es_reasons', 'es_scored_at', 'es_signals', 'es_timing', 'es_top_signals', 'expansion_key']);
    for (const p of report.problems) expect(p.fix.length).toBeGreaterThan(0);

    const human = await check(broken);
    expect(human.status).toBe(2);
    expect(human.stdout).toContain(`companies.yaml:${ruleLine(companies, 'plan_level')}: error: plan_level does not exist on companies`);
    expect(human.stdout).toContain(`deals.yaml:${ruleLine(deals, 'es_motion')}: warning: enum maps "module_cross_sell"`);
    expect(human.stdout).toMatch(/^5 errors, 1 warnings, 9 notes\. A run would switch off the rules with errors and go on without them\.$/m);
  }, 20_000);

  // Provisioning's own key check only throws on a real sync, so a dry run lists this with the rest.
  it('reports an upsert key on a non-unique property as a problem with its line, alongside the others', async () => {
    const w = await workspace();
    await createProperty(w, 'deals', { name: 'legacy_key', label: 'Legacy key', type: 'string', fieldType: 'text' });
    const companies = edit(await readFile(path.join(SHIPPED, 'hubspot.companies.yaml'), 'utf8'), '- field: plan_tier\n', '- field: plan_level\n');
    const deals = edit(await readFile(path.join(SHIPPED, 'hubspot.deals.yaml'), 'utf8'), 'field: expansion_key #', 'field: legacy_key #');
    const files = { companies: path.join(w.dir, 'companies.yaml'), deals: path.join(w.dir, 'deals.yaml') };
    await writeFile(files.companies, companies);
    await writeFile(files.deals, deals);
    const result = await check(await workspaceConfig(w, files), '--json');
    expect(result.status).toBe(2);
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.problems.filter((p) => p.severity === 'error').map((p) => [path.basename(p.file), p.line, p.field])).toEqual([
      ['companies.yaml', ruleLine(companies, 'plan_level'), 'plan_level'],
      // Nothing writes expansion_key any more, so nothing creates it, and its read rule has no field.
      ['deals.yaml', ruleLine(deals, 'expansion_key'), 'expansion_key'],
      ['deals.yaml', ruleLine(deals, 'legacy_key'), 'legacy_key'],
    ]);
    expect(report.problems.find((p) => p.field === 'legacy_key')?.message).toMatch(/holds the upsert key but is not unique/);
  }, 20_000);
});
