import { sendAlerts, type AlertTargets, type SendAlertsOptions } from './send.ts';
import type { Alert } from './types.ts';

/** One configured webhook and what happened to the test alert posted to it. */
export interface TestDelivery {
  /** Which webhook, in words that never contain its URL: `Slack channel webhook`, `Slack webhook of owner 2001`. */
  readonly target: string;
  readonly ok: boolean;
  /** The HTTP status of the last attempt, when a response arrived. */
  readonly status?: number;
  /** Failures only: what went wrong, without the URL. */
  readonly message?: string;
}

/** The test alert `check --send-test-alert` posts: fixed wording, no customer data. */
export function testAlert(input: { readonly sync: string; readonly at: Date }): Alert {
  return {
    kind: 'test',
    title: '🔔 expansion-sync test alert',
    summary: `Test alert from expansion-sync ${input.sync}: this webhook receives its alerts.`,
    fields: [
      { label: 'Sync', value: input.sync },
      { label: 'Sent', value: `${input.at.toISOString().slice(0, 16).replace('T', ' ')} UTC` },
    ],
    sections: [
      {
        entries: [
          {
            text: 'Sent by `expansion-sync check --send-test-alert`. Nothing needs doing: new opportunities, failed runs and the weekly digest arrive here the same way.',
          },
        ],
      },
    ],
    data: { test: true, sync: input.sync },
  };
}

/**
 * Posts the test alert once to every configured webhook: the Slack channel, each owner's own Slack webhook,
 * and the generic webhook. Each is reported on its own, so one broken URL is named among working ones.
 * A check is quick: no retries by default and a short timeout per attempt.
 */
export async function sendTestAlerts(
  targets: AlertTargets,
  options: { readonly sync: string; readonly now?: Date } & Omit<SendAlertsOptions, keyof AlertTargets>,
): Promise<TestDelivery[]> {
  const { sync, now, ...send } = options;
  const alert = testAlert({ sync, at: now ?? new Date() });
  const each: Array<{ readonly target: string; readonly targets: AlertTargets }> = [];
  if (targets.slack) {
    each.push({
      target: 'Slack channel webhook',
      targets: { slack: { channelUrl: targets.slack.channelUrl, ownerUrls: {} } },
    });
    for (const [owner, url] of Object.entries(targets.slack.ownerUrls))
      each.push({ target: `Slack webhook of owner ${owner}`, targets: { slack: { channelUrl: url, ownerUrls: {} } } });
  }
  if (targets.webhookUrl !== undefined)
    each.push({ target: 'alert webhook', targets: { webhookUrl: targets.webhookUrl } });
  const results: TestDelivery[] = [];
  for (const one of each) {
    const { deliveries } = await sendAlerts([alert], { retries: 0, timeoutMs: 5_000, ...send, ...one.targets });
    const d = deliveries[0];
    if (!d) continue;
    results.push({
      target: one.target,
      ok: d.ok,
      ...(d.status === undefined ? {} : { status: d.status }),
      // sendAlerts names the target by its route; here the route is always the one webhook named above.
      ...(d.message === undefined ? {} : { message: d.message.replace(/^[^:]*: /, '') }),
    });
  }
  return results;
}
