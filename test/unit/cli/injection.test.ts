import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csvField, toCsv } from '../../../src/cli/csv.ts';
import { buildPipeline } from '../../../src/cli/pipeline-model.ts';
import { renderExplain, renderScoreLine } from '../../../src/cli/render-explain.ts';
import { renderPipeline, renderPipelineCsv } from '../../../src/cli/render-pipeline.ts';
import { readSummary, renderRunShow } from '../../../src/cli/render-runs.ts';
import { parseStored, type ParsedAssessment } from '../../../src/cli/stored-assessments.ts';
import { terminalText } from '../../../src/cli/terminal-text.ts';
import type { RunRecord } from '../../../src/state/store.ts';
import { BETA, RED, stored } from './pipeline-fixtures.ts';

const URGENCY = { now: 1, '30d': 0.6, '90d': 0.3 } as const;
const ESC = '\u001b';
const BEL = '\u0007';
const RLO = '\u202e';
const HOSTILE_NAME = `Evil${ESC}]0;pwned${BEL}${ESC}[2J Corp${RLO}gnp.exe\u2066x\u2069`;
const HOSTILE_OWNER = `Mallory${ESC}[31m${'\u009b'}1m\r`;

function parsedOf(rows: ReturnType<typeof stored>[]): ParsedAssessment[] {
  return rows.map(parseStored).flatMap((r): ParsedAssessment[] => (r.ok ? [r.value] : []));
}

/** No C0/C1 control other than newline, and no bidi embedding, override or isolate character. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;

describe('pipeline --csv neutralizes formula injection', () => {
  const rows = parsedOf([
    stored('=1+1', '=HYPERLINK("http://evil.example","click")', 'owner-1', BETA, '+Mallory'),
    stored('R9', '@SUM(A1:A9)', 'owner-2', RED, '-2+3'),
  ]);
  const csv = renderPipelineCsv(buildPipeline(rows, URGENCY), undefined);
  const records = parse(csv, { columns: true }) as Record<string, string>[];

  it('prefixes text cells starting with = + - @ with a single quote', () => {
    const beta = records.find((r) => r['account_name']?.includes('HYPERLINK'));
    expect(beta?.['account_name']).toBe(`'=HYPERLINK("http://evil.example","click")`);
    expect(beta?.['account_id']).toBe(`'=1+1`);
    expect(beta?.['owner']).toBe(`'+Mallory`);
    for (const record of records)
      for (const value of Object.values(record)) expect(value, JSON.stringify(record)).not.toMatch(/^[=+@\t\r]/);
  });

  it('neutralizes tab and carriage return at the start of a cell, and text starting with -', () => {
    expect(csvField('\t=1+1')).toBe(`'\t=1+1`);
    expect(csvField('\r=1+1')).toBe(`"'\r=1+1"`);
    expect(csvField('-2+3')).toBe(`'-2+3`);
    expect(csvField('-1200')).toBe('-1200');
  });

  it('keeps numbers numeric, negative ones included, and leaves ordinary text alone', () => {
    expect(toCsv(['a', 'b', 'c', 'd'], [[-1200, 0.35, 'Zoë 株式会社', 'a-b=c']])).toBe(
      'a,b,c,d\r\n-1200,0.35,Zoë 株式会社,a-b=c\r\n',
    );
    const beta = records.find((r) => r['account_name']?.includes('HYPERLINK'));
    expect(beta?.['arr_potential']).toBe('15000');
  });
});

describe('terminal output strips control and bidi characters from CRM names', () => {
  const rows = parsedOf([
    stored('B2', HOSTILE_NAME, 'owner-1', BETA, HOSTILE_OWNER),
    stored('C3', HOSTILE_NAME, 'owner-1', RED, HOSTILE_OWNER),
  ]);
  const pipeline = buildPipeline(rows, URGENCY);

  it('pipeline (plain and boxed) prints no ESC, BEL, C1 or bidi override', () => {
    for (const tty of [false, true]) {
      // eslint-disable-next-line no-control-regex -- cli-table3 colours its own header in a terminal
      const text = renderPipeline(pipeline, { tty, currency: 'USD' }).replace(/\u001b\[(?:\d+;)*\d*m/g, (sgr) =>
        // cli-table3 colours its own header in a terminal; only those SGR sequences are ours.
        sgr === '\u001b[36m' || sgr === '\u001b[39m' ? '' : sgr,
      );
      expect(text).not.toMatch(UNSAFE);
      expect(text).toContain('Evil');
      expect(text).toContain('Mallory');
    }
  });

  it('score and score --explain print no control or bidi character', () => {
    for (const item of rows) {
      const input = { ...item, urgency: URGENCY, currency: 'USD' };
      expect(renderExplain(input)).not.toMatch(UNSAFE);
      expect(renderScoreLine(input)).not.toMatch(UNSAFE);
    }
  });

  it('keeps accents and CJK intact and shows what was removed', () => {
    expect(terminalText('Zoë Müller — 株式会社テスト')).toBe('Zoë Müller — 株式会社テスト');
    expect(terminalText(`a${ESC}[2Jb`)).not.toMatch(UNSAFE);
    expect(terminalText(`a${ESC}[2Jb`)).toContain('b');
    expect(terminalText(`x${RLO}y`)).not.toMatch(UNSAFE);
  });
});

describe('URL credentials never reach the terminal', () => {
  it('runs show redacts user-info in a stored failure message', () => {
    const record = {
      id: 'run-1',
      sync: 'acme',
      system: 'hubspot',
      mode: 'live',
      status: 'failed',
      asOf: '2026-11-30',
      startedAt: '2026-11-30T00:00:00.000Z',
      finishedAt: '2026-11-30T00:00:01.000Z',
      summary: {
        message: 'request to http://user:s3cr3tTOKEN@crm.example/crm/v3/objects failed',
        code: 'hubspot_connection_failed',
      },
    } as unknown as RunRecord;
    const text = renderRunShow({ record, summary: readSummary(record), failures: [], maxRetries: 3, currency: 'USD' });
    expect(text).not.toContain('s3cr3tTOKEN');
    expect(text).toContain('crm.example');
  });

  it('terminalText redacts user-info from any URL', () => {
    expect(terminalText('see https://bob:hunter2@example.com/x')).not.toContain('hunter2');
    expect(terminalText('see https://bob:hunter2@example.com/x')).toContain('example.com/x');
  });
});
