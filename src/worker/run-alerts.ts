import { z } from 'zod';
import {
  alertsForRun,
  deliveredOpportunityKeys,
  sendAlerts,
  weeklyDigestAlert,
  type AlertTargets,
} from '../alerts/index.ts';
import { configSystem, type LoadedConfig } from '../config/load.ts';
import type { RunReport } from '../engine/report.ts';
import type { Logger } from '../logger.ts';
import type { StateStore } from '../state/store.ts';

const ALERTED = 'alerted-opportunities';
/** The checkpoint of alerted opportunity keys; anything else stored there (a hand edit, an old shape) reads as none. */
const AlertedKeys = z.array(z.string()).catch([]);

/** True when the config names anywhere to send alerts. */
export function alertsConfigured(targets: AlertTargets): boolean {
  return targets.slack !== undefined || targets.webhookUrl !== undefined;
}

/**
 * After a run: its alerts (failed or stopped run, failed-record rate, schema drift, new high-priority
 * opportunities not alerted before) are sent, and the keys of delivered opportunity alerts are kept in
 * the store, so an opportunity is announced once, not every run. Shadow and dry runs alert nothing
 * about opportunities (nothing was created in the CRM) but still report their own failures.
 */
export async function alertAfterRun(options: {
  readonly loaded: LoadedConfig;
  readonly store: StateStore;
  readonly log: Logger;
  readonly report: RunReport;
}): Promise<void> {
  const { loaded, store, log, report } = options;
  const targets = loaded.alertTargets();
  if (!alertsConfigured(targets)) return;
  const sync = loaded.config.name;
  const alerted = AlertedKeys.parse((await store.getCheckpoint(sync, ALERTED)) ?? []);
  const assessments =
    report.mode === 'live'
      ? (await store.listAssessments(configSystem(loaded))).filter((a) => a.runId === report.runId)
      : [];
  const alerts = alertsForRun(report, assessments, alerted, {
    ...loaded.config.alerts,
    currency: loaded.config.scoring.pricing.currency,
  });
  if (alerts.length === 0) return;
  const result = await sendAlerts(alerts, targets);
  // A summary alert stands for many opportunities: every key it carries counts as alerted.
  const delivered = deliveredOpportunityKeys(result.deliveries);
  if (delivered.length > 0) await store.setCheckpoint(sync, ALERTED, [...new Set([...alerted, ...delivered])]);
  for (const f of result.failures)
    log.warn(
      { sync, target: f.target, status: f.status },
      `alert "${f.alert.title}" not delivered: ${f.message ?? 'unknown error'}`,
    );
  log.info({ sync, alerts: alerts.length, delivered: result.deliveries.filter((d) => d.ok).length }, 'alerts sent');
}

/** The weekly pipeline digest from the latest stored assessments. */
export async function sendWeeklyDigest(options: {
  readonly loaded: LoadedConfig;
  readonly store: StateStore;
  readonly log: Logger;
  readonly now: Date;
}): Promise<void> {
  const { loaded, store, log } = options;
  const targets = loaded.alertTargets();
  if (!alertsConfigured(targets)) return;
  const system = configSystem(loaded);
  const [assessments, outcomes, pitches, sightings] = await Promise.all([
    store.listAssessments(system),
    store.listOutcomes(system),
    store.listPitches(system),
    store.listSignalSightings(system),
  ]);
  const digest = weeklyDigestAlert(assessments, {
    weekOf: options.now.toISOString().slice(0, 10),
    currency: loaded.config.scoring.pricing.currency,
    outcomes: { outcomes, pitches, sightings, config: loaded.config.scoring },
  });
  const result = await sendAlerts([digest], targets);
  for (const f of result.failures)
    log.warn({ target: f.target, status: f.status }, `weekly digest not delivered: ${f.message ?? 'unknown error'}`);
}
