import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { buildPipeline } from '../../../src/cli/pipeline-model.ts';
import { renderExplain, renderScoreLine } from '../../../src/cli/render-explain.ts';
import { pipelineJson, renderPipeline, renderPipelineCsv } from '../../../src/cli/render-pipeline.ts';
import { renderSummary, renderTop } from '../../../src/cli/render.ts';
import { parseStored, type ParsedAssessment } from '../../../src/cli/stored-assessments.ts';
import { money } from '../../../src/format.ts';
import { AssessmentSchema } from '../../../src/model/assessment.ts';
import { report } from '../alerts/fixtures.ts';
import { ROWS, stored } from './pipeline-fixtures.ts';

const URGENCY = { now: 1, '30d': 0.6, '90d': 0.3 } as const;
const parsed = ROWS.map(parseStored).flatMap((r): ParsedAssessment[] => (r.ok ? [r.value] : []));
const pipeline = buildPipeline(parsed, URGENCY);
const byId = (id: string): ParsedAssessment => {
  const found = parsed.find((p) => p.stored.accountId === id);
  if (!found) throw new Error(`no fixture ${id}`);
  return found;
};

describe('money in the configured currency', () => {
  it('formats whole units with en-US grouping: USD as $, EUR as €', () => {
    expect(money(12_345.4, 'USD')).toBe('$12,345');
    expect(money(12_345.6, 'EUR')).toBe('€12,346');
    expect(money(-1_500, 'EUR')).toBe('-€1,500');
    expect(money(0, 'GBP')).toBe('£0');
  });

  it('pipeline, score and run summaries show EUR amounts with € and no $', () => {
    const texts = [
      renderPipeline(pipeline, { tty: false, currency: 'EUR' }),
      renderExplain({ ...byId('A1'), urgency: URGENCY, currency: 'EUR' }),
      renderScoreLine({ ...byId('A1'), urgency: URGENCY, currency: 'EUR' }),
      renderSummary(report(), 'EUR'),
      renderTop(
        report({
          top: [
            {
              accountId: '1',
              accountName: 'Acme',
              motion: 'seat_add',
              timing: 'now',
              health: 'green',
              score: 70,
              arrPotential: 9_000,
              probability: 0.5,
              expectedValue: 4_500,
              headline: 'Add seats',
            },
          ],
        }),
        'EUR',
      ),
    ];
    for (const text of texts) {
      expect(text).toContain('€');
      expect(text).not.toContain('$');
    }
    expect(texts[0]).toContain('Total pitched: 4 opportunities, €53,000 potential ARR, €21,500 expected.');
    expect(texts[1]).toContain('potential €20,000 ARR (range €16,000–€25,000)');
    expect(texts[3]).toContain('€90,000 potential ARR, €50,000 expected');
  });

  it('money evidence in score --explain reads in the configured currency', () => {
    const a = AssessmentSchema.parse({
      ...byId('B2').assessment,
      signals: [
        {
          id: 'arr_gap',
          kind: 'expansion',
          strength: 0.5,
          summary: 'gap',
          evidence: [{ metric: 'arr_gap', value: 14_400, unit: 'money', window: 'now', source: 'derived' }],
        },
      ],
    });
    expect(renderExplain({ stored: byId('B2').stored, assessment: a, urgency: URGENCY, currency: 'EUR' })).toContain(
      'arr_gap = €14,400 (window: now; source: derived)',
    );
  });
});

describe('people by name', () => {
  it('the pipeline table, its totals and the stabilize list name owners; the id only when the CRM has no name', () => {
    const text = renderPipeline(pipeline, { tty: false, currency: 'USD' });
    expect(text).toMatch(/Acme, Inc\. "North"\s+Dana Whitfield\s+seat add/);
    expect(text).toMatch(/Beta Labs\s+owner-2\s+tier upgrade/);
    expect(text).toMatch(/Echo\s+unassigned\s+seat add/);
    expect(text).toMatch(/By owner:\nOwner\s+Count[^\n]*\n[-\s]+\nDana Whitfield\s+2/);
    expect(text).toMatch(/Gamma Red\s+Dana Whitfield\s+red/);
    expect(text).not.toContain('owner-1');
  });

  it('the CSV carries the name next to the id', () => {
    const records = parse(renderPipelineCsv(pipeline, undefined), { columns: true }) as Record<string, string>[];
    expect(records.map((r) => `${r['account_id']}:${r['owner']}:${r['owner_id']}`)).toEqual([
      'A1:Dana Whitfield:owner-1',
      'B2:owner-2:owner-2',
      'A1:Dana Whitfield:owner-1',
      'E5:unassigned:',
      'D4:owner-2:owner-2',
      'G7:Lee Park:owner-3',
      'A1:Dana Whitfield:owner-1',
    ]);
  });

  it('score --explain names the owner, or says unassigned', () => {
    expect(renderExplain({ ...byId('A1'), urgency: URGENCY, currency: 'USD' }).split('\n')[0]).toBe(
      'Acme, Inc. "North" [A1] (hubspot, owner Dana Whitfield), assessed as of 2026-11-30 in run run-1',
    );
    expect(renderExplain({ ...byId('E5'), urgency: URGENCY, currency: 'USD' }).split('\n')[0]).toContain(
      '(hubspot, unassigned)',
    );
  });
});

describe('withheld opportunities are shown, with why, apart from what is pitched', () => {
  it('the table marks each with its state after the pitched rows, and the totals keep withheld value out of the pitched total', () => {
    const text = renderPipeline(pipeline, { tty: false, currency: 'USD' });
    expect(text).toMatch(/5\s+Delta Renewing\s+owner-2.*renewal: held for the renewal conversation/);
    expect(text).toMatch(/6\s+Golf Ramping\s+Lee Park.*ramping/);
    expect(text).toMatch(/7\s+Acme, Inc\. "North".*watch/);
    expect(text).toContain('Expansion pipeline: 4 opportunities to pitch');
    expect(text).toContain('3 more identified but not pitched ($25,000 potential ARR)');
    expect(text).toMatch(
      /Withheld \(identified, not pitched: no CRM deal or note\):\n.*\n.*\nramping: too new a customer to pitch\s+1\s+\$12,000/,
    );
    const pitchedTotal = pipeline.opportunities
      .filter((r) => r.withheld === undefined)
      .reduce((s, r) => s + r.arrPotential, 0);
    expect(pipeline.totals.pitched.arrPotential).toBe(pitchedTotal);
  });

  it('--json rows carry `withheld`, and the totals split pitched from withheld', () => {
    const out = JSON.parse(JSON.stringify(pipelineJson(pipeline, { limit: undefined, currency: 'EUR' }))) as {
      currency: string;
      opportunities: { withheld?: string }[];
      totals: { pitched: { count: number }; withheld: { count: number } };
    };
    expect(out.currency).toBe('EUR');
    expect(out.opportunities.map((o) => o.withheld ?? '-')).toEqual([
      '-',
      '-',
      '-',
      '-',
      'renewal_evaluation',
      'ramping',
      'watch',
    ]);
    expect([out.totals.pitched.count, out.totals.withheld.count]).toEqual([4, 3]);
  });

  it('an account with only withheld opportunities says nothing is pitched, and why', () => {
    const line = renderScoreLine({ ...byId('G7'), urgency: URGENCY, currency: 'USD' });
    expect(line).toMatch(/nothing pitched: 1 opportunity withheld \(ramping: too new a customer to pitch\)$/);
    const explain = renderExplain({ ...byId('D4'), urgency: URGENCY, currency: 'USD' });
    expect(explain).toContain(
      'withheld: renewal: held for the renewal conversation (identified, not pitched: no CRM deal, note or alert)',
    );
  });

  it('a red account stays in Stabilize first, not in the rows, whatever its opportunities', () => {
    const red = parseStored(
      stored(
        'R9',
        'Red Co',
        'owner-1',
        AssessmentSchema.parse({ ...byId('C3').assessment, accountId: 'R9' }),
        'Dana Whitfield',
      ),
    );
    if (!red.ok) throw new Error(red.message);
    const withRed = buildPipeline([...parsed, red.value], URGENCY);
    expect(withRed.opportunities.some((r) => r.accountId === 'R9')).toBe(false);
    expect(withRed.stabilize.map((s) => s.accountId)).toEqual(['C3', 'R9']);
  });
});
