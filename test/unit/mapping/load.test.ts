import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, type ConfigIssue } from '../../../src/errors.ts';
import { loadMappingFile, type MappingExpectation } from '../../../src/mapping/index.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'expansion-sync-mapping-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const HEAD = 'version: 1\nsystem: hubspot\nobject: companies\nentity: account\n';

async function load(text: string, options: { readonly name?: string; readonly expect?: MappingExpectation } = {}) {
  const file = path.join(dir, options.name ?? 'companies.yaml');
  await writeFile(file, text);
  return loadMappingFile(file, options.expect);
}

async function issuesOf(
  text: string,
  options: { readonly name?: string; readonly expect?: MappingExpectation } = {},
): Promise<ConfigIssue[]> {
  const error = await load(text, options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return [...(error as ConfigError).issues];
}

describe('loadMappingFile', () => {
  it("loads a valid file, filling defaults and remembering each rule's line", async () => {
    const mapping = await load(
      `${HEAD}read:\n  - field: name\n    to: name\nwrite:\n  - from: score\n    field: es_score\n`,
    );
    expect(mapping.read).toEqual([{ field: 'name', to: 'name', transforms: [], line: 6 }]);
    expect(mapping.write).toEqual([{ from: 'score', field: 'es_score', policy: 'unless-edited', line: 9 }]);
    expect(mapping.file).toBe(path.join(dir, 'companies.yaml'));
  });

  it('reports an unknown transform on its line, suggesting the closest one', async () => {
    const issues = await issuesOf(
      `${HEAD}read:\n  - field: name\n    to: name\n    transforms:\n      - trim\n      - lowercse\n`,
    );
    expect(issues).toEqual([
      expect.objectContaining({
        path: 'read[0].transforms[1]',
        line: 10,
        message: 'unknown transform "lowercse"',
        fix: expect.stringMatching(/^did you mean lowercase\? use one of: trim, lowercase/),
      }),
    ]);
  });

  it('reports an unknown canonical field on its line with the fields allowed for the entity', async () => {
    const issues = await issuesOf(`${HEAD}read:\n  - field: arr\n    to: annualRevenue\n    transforms: [number]\n`);
    expect(issues).toEqual([
      expect.objectContaining({
        path: 'read[0].to',
        line: 7,
        message: 'unknown canonical field "annualRevenue" for entity account',
        fix: expect.stringContaining('name, domain, ownerId, arr, licensedSeats'),
      }),
    ]);
  });

  it('reports a bad write policy on its line with the allowed policies', async () => {
    const issues = await issuesOf(`${HEAD}write:\n  - from: score\n    field: es_score\n    policy: sometimes\n`);
    expect(issues).toEqual([
      expect.objectContaining({
        path: 'write[0].policy',
        line: 8,
        message: 'unknown write policy "sometimes"',
        fix: 'use one of: always, if-empty, unless-edited, create-only',
      }),
    ]);
  });

  it('reports several problems at once, in file order', async () => {
    const text = `${HEAD}read:
  - field: name
    to: nam
  - field: arr
    to: arr
  - field: modules
    to: modulesOwned
    transforms: [{ split: ";" }, {uppercase: true}]
write:
  - from: score
    field: es_score
    polcy: always
  - from: weather
    field: es_weather
`;
    const issues = await issuesOf(text);
    expect(issues.map((i) => [i.line, i.path])).toEqual([
      [7, 'read[0].to'],
      [9, 'read[1].to'],
      [12, 'read[2].transforms[1]'],
      [16, 'write[0].polcy'],
      [17, 'write[1].from'],
    ]);
    expect(issues[1]).toMatchObject({
      message: 'arr needs a number, but these transforms produce text',
      fix: 'add the number transform',
    });
    expect(issues[3]?.fix).toMatch(/did you mean "policy"/);
  });

  it('checks that transforms fit together before any run', async () => {
    const issues = await issuesOf(
      `${HEAD}read:\n  - field: seats\n    to: licensedSeats\n    transforms: [integer, lowercase]\n  - field: renewal\n    to: renewalDate\n    transforms: [date, { default: "2027-01-01" }]\n`,
    );
    expect(issues.map((i) => [i.path, i.message])).toEqual([
      ['read[0].transforms[1]', 'lowercase applies to text, but the value is a whole number here'],
      [
        'read[1].transforms[1]',
        'default must come while the value is still text, before the transforms that convert it',
      ],
    ]);
  });

  it('refuses a default the later transforms would reject', async () => {
    const issues = await issuesOf(
      `${HEAD}read:\n  - field: seats\n    to: licensedSeats\n    transforms: [{ default: "some" }, integer]\n`,
    );
    expect(issues[0]).toMatchObject({
      path: 'read[0].transforms[0]',
      message: expect.stringMatching(/default "some" fails the transforms after it: not a whole number/),
    });
  });

  it('refuses an enum that maps to a motion that does not exist', async () => {
    const text =
      'version: 1\nsystem: hubspot\nobject: deals\nentity: opportunity\nread:\n  - field: es_motion\n    to: motion\n    transforms: [{ enum: { map: { Seats: seats } } }]\n';
    const issues = await issuesOf(text, { name: 'deals.yaml' });
    expect(issues[0]).toMatchObject({ line: 8, message: 'enum maps to "seats", which the field does not allow' });
  });

  it('explains a malformed transform instead of "invalid input"', async () => {
    const issues = await issuesOf(
      `${HEAD}read:\n  - field: modules\n    to: modulesOwned\n    transforms: [split, { split: 1 }, { trim: true }, { split: ";", default: x }]\n`,
    );
    expect(issues.map((i) => i.message)).toEqual([
      'split needs a value',
      'split needs its separator as text',
      'trim takes no value',
      'a transform has exactly one name, found split, default',
    ]);
  });

  it('says when the file maps a different object than the config uses it for', async () => {
    const issues = await issuesOf(`version: 1\nsystem: hubspot\nobject: deals\nentity: account\n`, {
      expect: { system: 'hubspot', object: 'companies' },
    });
    expect(issues).toEqual([
      expect.objectContaining({
        path: 'object',
        line: 3,
        message: 'this file maps object "deals", but the config uses it for "companies"',
      }),
    ]);
  });

  it('refuses a canonical field read twice and a CRM field written twice', async () => {
    const issues = await issuesOf(
      `${HEAD}read:\n  - field: name\n    to: name\n  - field: legal_name\n    to: name\nwrite:\n  - from: score\n    field: es_score\n  - from: health\n    field: es_score\n`,
    );
    expect(issues.map((i) => [i.line, i.message])).toEqual([
      [9, '"name": this canonical field is read twice (also by read[0])'],
      [14, '"es_score": this CRM field is written twice (also by write[0])'],
    ]);
  });

  it('reports a missing or unknown entity with the allowed values', async () => {
    const [missing] = await issuesOf('version: 1\nsystem: hubspot\nobject: companies\n');
    expect(missing).toMatchObject({
      path: 'entity',
      message: 'missing required key "entity"',
      fix: 'add it: one of account, opportunity',
    });
    const [unknown] = await issuesOf('version: 1\nsystem: hubspot\nobject: companies\nentity: company\n');
    expect(unknown).toMatchObject({ path: 'entity', line: 4, fix: 'use one of: account, opportunity' });
  });

  it('reports YAML syntax errors with their line', async () => {
    const issues = await issuesOf(`${HEAD}read:\n  - field: name\n   to: name\n`);
    expect(issues[0]?.line).toBe(7);
  });

  it('reads JSON mapping files too, and locates their problems', async () => {
    const json = JSON.stringify(
      {
        version: 1,
        system: 'hubspot',
        object: 'companies',
        entity: 'account',
        read: [{ field: 'arr', to: 'arr', transforms: ['numbr'] }],
      },
      null,
      2,
    );
    const issues = await issuesOf(json, { name: 'companies.json' });
    expect(issues).toEqual([
      expect.objectContaining({ path: 'read[0].transforms[0]', line: 11, message: 'unknown transform "numbr"' }),
    ]);
  });

  it('names a missing mapping file and where its path comes from', async () => {
    const error = await loadMappingFile(path.join(dir, 'nope.yaml')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain(path.join(dir, 'nope.yaml'));
    expect((error as ConfigError).issues[0]?.fix).toMatch(/crm\.<system>\.mappings/);
  });
});
