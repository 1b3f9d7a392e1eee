import { mkdtempSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.ts';
import { numbersIn } from '../../../src/scoring/evidence.ts';
import { SHIPPED_TEMPLATES_DIR, templateRenderer } from '../../../src/templates/templates.ts';
import { TEMPLATE_NAMES, type ViewObject } from '../../../src/templates/view.ts';
import { account, assess, config, usage } from './helpers.ts';

/** Every .hbs file shipped, partials included, with its text. */
function shippedFiles(): Array<{ readonly file: string; readonly text: string }> {
  const dirs = [SHIPPED_TEMPLATES_DIR, path.join(SHIPPED_TEMPLATES_DIR, 'partials')];
  return dirs.flatMap((dir) =>
    readdirSync(dir)
      .filter((f) => f.endsWith('.hbs'))
      .map((f) => ({ file: path.join(dir, f), text: readFileSync(path.join(dir, f), 'utf8') })),
  );
}

/** A fresh directory with the given files, for a RevOps override. */
function templatesDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'narrative-templates-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

function failure(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const view: ViewObject = { company: 'Acme Analytics', seat: { utilization: '92%' }, trend: { growth: false } };

describe('shipped templates', () => {
  it('has one template per narrative, and the partials they use', () => {
    const names = shippedFiles().map((f) => path.basename(f.file, '.hbs'));
    for (const name of TEMPLATE_NAMES) expect(names).toContain(name);
    expect(() => templateRenderer()).not.toThrow();
  });

  it.each(shippedFiles())('$file: no digit in the literal text, only inside {{...}}', ({ text }) => {
    const literal = text.replace(/\{\{!--[\s\S]*?--\}\}/g, '').replace(/\{\{[\s\S]*?\}\}/g, '');
    expect(literal).not.toMatch(/\d/);
  });
});

describe('templates RevOps edit', () => {
  it('replace the shipped ones file by file, and render plain text', () => {
    const title = 'Seats at {{seat.utilization}} for {{company}}';
    const text = `${title}\n\nHi & <b>{{company}}</b>,\n\n\n\nbye {{#if trend.growth}}x{{/if}}.`;
    const dir = templatesDir({ 'seat-add.hbs': text });
    const rendered = templateRenderer(dir).render('seat-add', view);
    // Plain text: no HTML escaping (the CRM connector escapes), blank runs and spaces before punctuation tidied.
    expect(rendered).toEqual({ title: 'Seats at 92% for Acme Analytics', body: 'Hi & <b>Acme Analytics</b>,\n\nbye.' });
    // Everything else still comes from the shipped set.
    expect(() => templateRenderer(dir).render('qbr-agenda', view)).toThrow(/qbr-agenda\.hbs/);
  });

  it('name the file, the line and the known variables for a misspelled one, even in a branch that did not run', () => {
    const dir = templatesDir({ 'seat-add.hbs': 'Title {{seat.utilization}}\n\n{{#if trend.grwth}}\nUp.\n{{/if}}' });
    const error = failure(() => templateRenderer(dir).render('seat-add', view));
    expect(error.message).toContain(`${path.join(dir, 'seat-add.hbs')}:3`);
    expect(error.message).toContain('"trend.grwth" is not a variable this template can use');
    expect(error.message).toContain('use one of: growth');
    const plain = templatesDir({ 'seat-add.hbs': 'Title\n\nAt {{seat.utilisation}}\n' });
    const misspelled = failure(() => templateRenderer(plain).render('seat-add', view));
    expect(misspelled.message).toMatch(/seat-add\.hbs:3: "seat\.utilisation"/);
  });

  it('name the file and line of a template that does not compile', () => {
    const dir = templatesDir({ 'tier-upgrade.hbs': 'Title\n\n{{#if next}}\nunclosed\n' });
    const error = failure(() => templateRenderer(dir));
    // Handlebars reports the end of the file, where the block should have closed.
    expect(error.message).toContain(`${path.join(dir, 'tier-upgrade.hbs')}:5`);
    expect(error.message).toMatch(/cannot parse/);
  });

  it('refuse digits in the text: a number must come from evidence', () => {
    const dir = templatesDir({ 'partials/supporting.hbs': 'Three signals:\nwithin 30 days\n' });
    const error = failure(() => templateRenderer(dir));
    expect(error.message).toContain(`${path.join(dir, 'partials', 'supporting.hbs')}:2`);
    expect(error.message).toMatch(/digit/);
  });

  it('refuse a directory that does not exist', () => {
    const missing = path.join(tmpdir(), 'no-such-templates-dir-for-narratives');
    expect(failure(() => templateRenderer(missing)).message).toMatch(/templatesDir/);
  });

  it('are what assess renders when scoring.narrative.templatesDir names them, still citing every number', () => {
    const text = '{{company}} is at {{seat.utilization}}; add {{sizing.seatsToAdd}} for {{sizing.arrPotential}}.';
    const dir = templatesDir({ 'seat-add.hbs': `Seats: {{sizing.seatsToAdd}}\n\n${text}\n` });
    const days = usage([
      { days: 30, seats: 70, active: 60 },
      { days: 30, seats: 92, active: 85 },
    ]);
    const scoring = config({ narrative: { templatesDir: dir }, pricing: { currency: 'EUR' } });
    const { opportunities } = assess({ account: account(), usage: days, config: scoring });
    const seat = opportunities.find((o) => o.motion === 'seat_add');
    expect(seat?.narrative.title).toMatch(/^Seats: \d+ seats$/);
    expect(seat?.narrative.body).toMatch(/^Acme Analytics is at 92%; add \d+ seats for €[\d,]+\.$/);
    const values = new Set(seat?.narrative.evidence.map((e) => e.value));
    for (const n of numbersIn(`${seat?.narrative.title}\n${seat?.narrative.body}`)) expect(values.has(n)).toBe(true);
  });
});
