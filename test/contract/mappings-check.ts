import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { MappingProblem } from '../../src/mapping/index.ts';
import { cli } from '../support/cli.ts';
import { AS_OF, defaultUsage } from '../support/companies.ts';
import { edit, ruleLine } from '../support/mapping-yaml.ts';
import { toCsv } from '../support/usage.ts';
import type { CheckOrg, CrmContractAdapter, ExpectedProblem, MappingsCheckAdapter } from './crm-adapter.ts';

/**
 * `expansion-sync mappings check` against an org seeded the way the demo seeds one: the shipped mappings
 * pass, and a broken copy of them (plus fields changed in the org) gets every problem reported at once, each
 * with the file and line of the rule, and exit code 2.
 */

interface Workspace {
  readonly dir: string;
  readonly config: string;
  readonly env: Readonly<Record<string, string>>;
}

interface JsonReport {
  readonly ok: boolean;
  readonly problems: readonly MappingProblem[];
}

interface Brief {
  readonly file: string;
  readonly line: number;
  readonly rule: string;
  readonly field: string;
  readonly message: string;
}
type Edits = ReadonlyArray<readonly [string, string]>;
type Files = { readonly account: string; readonly opportunity: string };
const brief = (p: MappingProblem): Brief => ({
  file: path.basename(p.file),
  line: p.line,
  rule: p.rule,
  field: p.field,
  message: p.message,
});
const byLine = (list: readonly Brief[]) => [...list].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);

export function describeMappingsCheck(a: CrmContractAdapter): void {
  if (a.mappingsCheck) mappingsCheckSuite(a, a.mappingsCheck);
  else describe.skip(`mappings check (${a.label}): the adapter has no org for the CLI`, () => {});
}

function mappingsCheckSuite(a: CrmContractAdapter, m: MappingsCheckAdapter): void {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function startOrg(): Promise<CheckOrg> {
    const org = await m.startOrg();
    cleanups.push(() => org.stop());
    return org;
  }

  async function tempDir(): Promise<string> {
    const dir = await mkdtemp(path.join(tmpdir(), `expansion-sync-${a.name}-mcheck-`));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    return dir;
  }

  /** A config for the org in a temp dir, with the usage file next to it, as a user would set one up. */
  async function workspace(org: CheckOrg, mappings?: Files): Promise<Workspace> {
    const dir = await tempDir();
    const config = path.join(dir, 'config.json');
    const files = mappings
      ? { mappings: { [m.keys.account]: mappings.account, [m.keys.opportunity]: mappings.opportunity } }
      : {};
    const crm = { [a.name]: { ...org.crmConfig, ...files } };
    const usage = { source: 'file', path: 'usage.csv' };
    await writeFile(config, JSON.stringify({ name: 'mcheck', dataDir: '.', crm, usage }, null, 2));
    await writeFile(path.join(dir, 'usage.csv'), toCsv(defaultUsage()));
    return { dir, config, env: org.env };
  }

  /** The shipped mapping files with the edits made, written to a temp dir. */
  async function editedMappings(accountEdits: Edits, opportunityEdits: Edits): Promise<{ yaml: Files; files: Files }> {
    let account = await readFile(a.mappings.account, 'utf8');
    for (const [from, to] of accountEdits) account = edit(account, from, to);
    let opportunity = await readFile(a.mappings.opportunity, 'utf8');
    for (const [from, to] of opportunityEdits) opportunity = edit(opportunity, from, to);
    const dir = await tempDir();
    const files = { account: path.join(dir, 'accounts.yaml'), opportunity: path.join(dir, 'opportunities.yaml') };
    await writeFile(files.account, account);
    await writeFile(files.opportunity, opportunity);
    return { yaml: { account, opportunity }, files };
  }

  const check = (w: Workspace, ...extra: string[]) =>
    cli(['mappings', 'check', '--config', w.config, ...extra], w.env, { cwd: w.dir });

  describe(`mappings check (${a.label})`, () => {
    it("passes the shipped mappings on a fresh org, and after the first sync created the worker's fields", async () => {
      const org = await startOrg();
      const w = await workspace(org);
      const fresh = await check(w);
      expect(fresh.stderr).toBe('');
      expect(fresh.status).toBe(0);
      // Before the first sync the worker's own fields are missing: notes, not errors.
      expect(fresh.stdout).toMatch(new RegExp(`^OK: no errors \\(0 warnings, ${m.freshNotes} notes\\)\\.$`, 'm'));
      const note = `${a.fields.score} does not exist yet; the first sync creates it`;
      const where = `${path.basename(a.mappings.account)}:${m.scoreLine}`;
      expect(fresh.stdout).toContain(`${where}: info: ${note}`);

      const sync = await cli(['sync', '--config', w.config, '--as-of', AS_OF], w.env, { cwd: w.dir });
      expect(sync.status, sync.stderr).toBe(0);
      expect(org.writes()).toBeGreaterThan(0);

      const after = await check(w);
      expect(after.status).toBe(0);
      expect(after.stdout).toMatch(/^OK: no errors \(0 warnings, 0 notes\)\.$/m);
      expect(after.stdout).not.toMatch(/: (info|warning|error): /);
      expect(JSON.parse((await check(w, '--json')).stdout)).toEqual({ ok: true, problems: [] });
    }, 20_000);

    it('reports every broken rule at once, each with its file and line, and exits 2', async () => {
      const b = m.broken;
      const org = await startOrg();
      await org.prepareBroken();
      const { yaml, files } = await editedMappings(b.accountEdits, b.opportunityEdits);
      const w = await workspace(org, files);
      const writesBefore = org.writes();
      const expected = (p: ExpectedProblem): Brief => ({
        file: p.file === 'account' ? 'accounts.yaml' : 'opportunities.yaml',
        line: ruleLine(yaml[p.file], p.field, p.rule),
        rule: p.rule,
        field: p.field,
        message: p.message,
      });

      const result = await check(w, '--json');
      expect(result.stderr).toBe('');
      expect(result.status).toBe(2);
      const report = JSON.parse(result.stdout) as JsonReport;
      expect(report.ok).toBe(false);
      // Every error in one pass, in both files, each at the `- ` line of its rule in the YAML written above.
      const reported = (severity: MappingProblem['severity']) =>
        byLine(report.problems.filter((p) => p.severity === severity).map(brief));
      expect(reported('error')).toEqual(byLine(b.errors.map(expected)));
      const lines = Object.fromEntries(Object.keys(b.accountLines).map((f) => [f, ruleLine(yaml.account, f)]));
      expect(lines).toEqual(b.accountLines);
      // Too-short text fields are warnings (values are cut to fit); so is an enum map key the picklist lacks.
      expect(reported('warning')).toEqual(byLine(b.warnings.map(expected)));
      if (b.notes)
        expect(
          reported('info')
            .map((p) => p.field)
            .sort(),
        ).toEqual(b.notes);
      for (const p of report.problems) expect(p.fix.length).toBeGreaterThan(0);
      // The check writes nothing: fields the first sync would create stay missing.
      expect(org.writes()).toBe(writesBefore);

      const human = await check(w);
      expect(human.status).toBe(2);
      for (const p of [...b.errors, ...b.warnings]) {
        const { file, line, message } = expected(p);
        expect(human.stdout).toContain(`${file}:${line}: ${b.errors.includes(p) ? 'error' : 'warning'}: ${message}`);
      }
      expect(human.stdout).toMatch(b.summary);
    }, 20_000);

    // Provisioning's own key check only throws on a real sync, so a dry run lists this with the rest.
    it('reports an upsert key on a field that is not unique as a problem with its line, with the others', async () => {
      const k = m.nonUniqueKey;
      const org = await startOrg();
      await org.prepareNonUniqueKey();
      const { yaml, files } = await editedMappings([k.accountEdit], [k.opportunityEdit]);
      const result = await check(await workspace(org, files), '--json');
      expect(result.status).toBe(2);
      const report = JSON.parse(result.stdout) as JsonReport;
      const errors = report.problems.filter((p) => p.severity === 'error');
      expect(errors.map((p) => [path.basename(p.file), p.line, p.field])).toEqual([
        ['accounts.yaml', ruleLine(yaml.account, k.fields.missing), k.fields.missing],
        // Nothing writes the old key field any more, so nothing creates it, and its read rule has no field.
        ['opportunities.yaml', ruleLine(yaml.opportunity, k.fields.oldKey), k.fields.oldKey],
        ['opportunities.yaml', ruleLine(yaml.opportunity, k.fields.newKey, 'write'), k.fields.newKey],
      ]);
      const keyProblem = report.problems.find((p) => p.field === k.fields.newKey);
      expect(keyProblem?.message).toMatch(/holds the upsert key but is not unique/);
    }, 20_000);
  });
}
