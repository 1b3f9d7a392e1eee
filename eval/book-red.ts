import { daysAgo, daysAhead } from './calendar.ts';
import { pick } from './prng.ts';
import { compose, withCrm, type Draft, type Trait } from './scenario.ts';
import { decline, graduation, headcount, powerUsers, seatCrunch, usageGrowth, workaround } from './traits.ts';

/**
 * Red accounts of every kind, most of them with strong expansion signals: retention comes first, so none
 * of them may be pitched whatever their usage says (seed 000 red light; seed 003 no escalations, payment current).
 */

const crm =
  (fields: Parameters<typeof withCrm>[1]): Trait =>
  (d) =>
    withCrm(d, fields);

interface RedCase {
  readonly id: string;
  readonly traits: readonly Trait[];
  readonly note: string;
}
const c = (id: string, traits: readonly Trait[], note: string): RedCase => ({ id, traits, note });

const CASES: readonly RedCase[] = [
  c('decline-45', [decline(-0.45)], 'active users -45% month over month (seed 000 early churn indicator)'),
  c('decline-45-crunch', [decline(-0.45), seatCrunch], 'users -45%, seats still assigned at 85-92%: a paper crunch'),
  c('decline-40-graduation', [decline(-0.4), graduation()], 'users -40% while exploring the next tier'),
  c('decline-50-workaround', [decline(-0.5), workaround('reporting')], 'users -50% with heavy exports'),
  c('nps-2-crunch-graduation', [crm({ nps: 2 }), seatCrunch, graduation()], 'NPS 2 with a crunch and tier graduation'),
  c(
    'nps-2-growth-workaround',
    [crm({ nps: 2 }), usageGrowth(), workaround('automation')],
    'NPS 2 with usage +32% and heavy bulk edits',
  ),
  c('nps-2-quiet', [crm({ nps: 2 })], 'NPS 2, steady usage'),
  c('nps-3-crunch', [crm({ nps: 3 }), seatCrunch], 'NPS 3 (at the red threshold) with a crunch'),
  c('escalations-3-crunch', [crm({ openEscalations: 3 }), seatCrunch], '3 open escalations with a crunch'),
  c(
    'escalations-3-growth-graduation',
    [crm({ openEscalations: 3 }), usageGrowth(), graduation()],
    '3 open escalations, growth and graduation',
  ),
  c(
    'escalations-5-workaround',
    [crm({ openEscalations: 5 }), workaround('integrations')],
    '5 open escalations with heavy CSV imports',
  ),
  c('overdue-65-crunch', [crm({ paymentOverdueDays: 65 }), seatCrunch], 'invoice 65 days overdue with a crunch'),
  c(
    'overdue-90-growth',
    [crm({ paymentOverdueDays: 90 }), usageGrowth(), headcount()],
    'invoice 90 days overdue, usage +32% and hiring',
  ),
  c('overdue-60-graduation', [crm({ paymentOverdueDays: 60 }), graduation()], 'invoice 60 days overdue, graduation'),
  c(
    'two-risks-nps-csat',
    [crm({ nps: 5, csat: 60 }), seatCrunch, usageGrowth()],
    'NPS 5 and CSAT 60 with a crunch and growth: two soft risks',
  ),
  c(
    'two-risks-escalation-champion',
    [crm({ openEscalations: 1, championDepartedOn: daysAgo(30) }), graduation(), headcount()],
    '1 escalation and the champion left 30 days ago; graduation and hiring',
  ),
  c('two-risks-nps-csat-quiet', [crm({ nps: 5, csat: 60 })], 'NPS 5 and CSAT 60 on steady usage: two soft risks'),
  c(
    'two-risks-csat-escalation-growth',
    [crm({ csat: 65, openEscalations: 1 }), usageGrowth()],
    'CSAT 65 and 1 escalation with usage +32%',
  ),
  c(
    'two-risks-nps-overdue-crunch',
    [crm({ nps: 5, paymentOverdueDays: 45 }), seatCrunch],
    'NPS 5 and invoice 45 days overdue with a crunch',
  ),
  c('two-risks-decline-nps', [decline(-0.18), crm({ nps: 6 }), seatCrunch], 'users -18% and NPS 6 with a crunch'),
  c(
    'two-risks-overdue-csat',
    [crm({ paymentOverdueDays: 40, csat: 50 }), workaround('reporting')],
    'invoice 40 days overdue and CSAT 50 with heavy exports',
  ),
  c(
    'two-risks-champion-decline',
    [crm({ championDepartedOn: daysAgo(100) }), decline(-0.2), seatCrunch],
    'champion left 100 days ago and users -20%; a crunch',
  ),
  c(
    'two-risks-nps-escalations',
    [crm({ nps: 6, openEscalations: 2 }), seatCrunch, graduation(), workaround('automation')],
    'NPS 6 and 2 escalations with a crunch, graduation and heavy bulk edits',
  ),
  c(
    'three-risks-power',
    [crm({ csat: 55, openEscalations: 1, paymentOverdueDays: 31 }), powerUsers, seatCrunch],
    'CSAT 55, 1 escalation and invoice 31 days overdue; power users and a crunch',
  ),
  c(
    'nps-1-renewal-window',
    [crm({ nps: 1, renewalDate: daysAhead(100) }), seatCrunch],
    'NPS 1 with renewal 100 days out and a crunch',
  ),
];

export function redDrafts(): Draft[] {
  return CASES.map((k, i) =>
    compose(
      {
        id: `red-${k.id}`,
        archetype: 'red',
        note: k.note,
        plan: pick(['starter', 'growth'], i),
        seats: pick([40, 64, 30, 120], i),
      },
      ...k.traits,
    ),
  );
}
