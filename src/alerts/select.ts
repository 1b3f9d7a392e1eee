import type { Config } from '../config/schema.ts';
import type { RunReport } from '../engine/report.ts';
import type { PriorityTier } from '../model/assessment.ts';
import type { StoredAssessment } from '../state/store.ts';
import { opportunityAlert, opportunityAlertKey } from './opportunity.ts';
import { parseStoredAssessments } from './parse.ts';
import { failedRecordsAlert, hasSchemaDrift, runFailedAlert, schemaDriftAlert, writeTotals } from './run-alerts.ts';
import { opportunitySummaryAlert, type NewOpportunity } from './summary.ts';
import type { Alert } from './types.ts';

/**
 * The parts of the `alerts` config that decide which alerts a run produces, and the configured currency
 * (scoring.pricing.currency) their amounts are shown in. `maxOpportunityAlerts` is 5 when not given.
 */
export type AlertRules = Pick<Config['alerts'], 'opportunityMinTier' | 'failedRecordRate'> &
  Partial<Pick<Config['alerts'], 'maxOpportunityAlerts'>> & {
    readonly currency: string;
  };

/** The documented default of alerts.maxOpportunityAlerts. */
export const MAX_OPPORTUNITY_ALERTS = 5;

const TIER_ORDER: Readonly<Record<PriorityTier, number>> = { P1: 1, P2: 2, P3: 3 };

/** P1 is at or above P2; an opportunity without a priority is never alerted. */
export function meetsTier(tier: PriorityTier | undefined, minTier: PriorityTier): boolean {
  return tier !== undefined && TIER_ORDER[tier] <= TIER_ORDER[minTier];
}

/**
 * The alerts a finished run produces, in the order they should go out: a failed or stopped run; a
 * failed-record rate over `failedRecordRate`; any schema drift; then each new opportunity at or above
 * `opportunityMinTier`, pitched (never a withheld one), not queued behind its owner's capacity and not
 * alerted before (by account, motion and module), best ranked first. More new opportunities than
 * `maxOpportunityAlerts` go out as one summary alert instead. Opportunity alerts carry their keys (see
 * `alertKeys`): remember the keys of those delivered and pass them back as `previousAlertedKeys` next run.
 */
export function alertsForRun(
  report: RunReport,
  assessments: readonly StoredAssessment[],
  previousAlertedKeys: Iterable<string>,
  config: AlertRules,
): Alert[] {
  const alerts: Alert[] = [];
  if (report.status === 'failed' || report.status === 'stopped') alerts.push(runFailedAlert(report));
  const totals = writeTotals(report);
  if (totals.attempted > 0 && totals.rate > config.failedRecordRate)
    alerts.push(failedRecordsAlert(report, config.failedRecordRate));
  if (hasSchemaDrift(report)) alerts.push(schemaDriftAlert(report));
  const fresh = newOpportunities(assessments, new Set(previousAlertedKeys), config);
  const threshold = config.maxOpportunityAlerts ?? MAX_OPPORTUNITY_ALERTS;
  if (fresh.length > threshold)
    alerts.push(
      opportunitySummaryAlert(fresh, { currency: config.currency, threshold, runId: report.runId, sync: report.sync }),
    );
  else alerts.push(...fresh.map((item) => opportunityAlert({ ...item, currency: config.currency })));
  return alerts;
}

/** New opportunities worth an alert, best ranked first, each key once; withheld ones (no CRM deal) never. */
export function newOpportunityAlerts(
  assessments: readonly StoredAssessment[],
  alerted: ReadonlySet<string>,
  rules: Pick<AlertRules, 'opportunityMinTier' | 'currency'>,
): Alert[] {
  return newOpportunities(assessments, alerted, rules).map((item) =>
    opportunityAlert({ ...item, currency: rules.currency }),
  );
}

/** The opportunities behind `newOpportunityAlerts`, with their accounts and keys. */
export function newOpportunities(
  assessments: readonly StoredAssessment[],
  alerted: ReadonlySet<string>,
  rules: Pick<AlertRules, 'opportunityMinTier'>,
): NewOpportunity[] {
  const { items } = parseStoredAssessments(assessments);
  const seen = new Set(alerted);
  const picked = items.flatMap(({ stored, assessment }) =>
    assessment.opportunities
      .filter(
        (o) =>
          o.withheld === undefined &&
          o.priority?.queued !== true &&
          meetsTier(o.priority?.tier, rules.opportunityMinTier),
      )
      .map((opportunity) => ({
        stored,
        assessment,
        opportunity,
        key: opportunityAlertKey(stored.accountId, opportunity),
      })),
  );
  picked.sort((a, b) => (a.opportunity.priority?.rank ?? 0) - (b.opportunity.priority?.rank ?? 0));
  const out: NewOpportunity[] = [];
  for (const p of picked) {
    if (seen.has(p.key)) continue;
    seen.add(p.key);
    const { stored } = p;
    const account = {
      id: stored.accountId,
      name: stored.accountName,
      ...(stored.ownerId === undefined ? {} : { ownerId: stored.ownerId }),
      ...(stored.ownerName === undefined ? {} : { ownerName: stored.ownerName }),
    };
    out.push({ account, assessment: p.assessment, opportunity: p.opportunity, key: p.key });
  }
  return out;
}

/** Every opportunity key an alert stands for: its own `key`, or all of a summary's `keys`. */
export function alertKeys(alert: Pick<Alert, 'key' | 'keys'>): string[] {
  return [...(alert.keys ?? []), ...(alert.key === undefined ? [] : [alert.key])];
}

/**
 * The opportunity keys to remember after sending: those of every alert delivered to at least one
 * destination, each once. A summary delivered marks all its opportunities as alerted.
 */
export function deliveredOpportunityKeys(
  deliveries: ReadonlyArray<{ readonly ok: boolean; readonly alert: Pick<Alert, 'key' | 'keys'> }>,
): string[] {
  return [...new Set(deliveries.flatMap((d) => (d.ok ? alertKeys(d.alert) : [])))];
}
