/**
 * Alerts: pure builders (opportunity, the summary of a burst of them, weekly digest, failed run, failed
 * records, schema drift) into one neutral Alert shape, renderers for Slack Block Kit and generic webhook JSON, the sender, and the rule
 * that decides which alerts a finished run produces.
 */
export type { Alert, AlertEntry, AlertField, AlertKind, AlertSection } from './types.ts';
export { opportunityAlert, opportunityAlertKey, type AlertAccount, type OpportunityAlertInput } from './opportunity.ts';
export { weeklyDigestAlert, type DigestOptions } from './digest.ts';
export { failedRecordsAlert, hasSchemaDrift, runFailedAlert, schemaDriftAlert, writeTotals } from './run-alerts.ts';
export { clip, escapeSlack, renderSlack, type SlackBlock, type SlackPayload } from './slack.ts';
export { alertText, renderWebhook, safeJson, type WebhookPayload } from './webhook.ts';
export {
  fetchPost,
  routesFor,
  sendAlerts,
  type AlertTargets,
  type Delivery,
  type DeliveryTarget,
  type PostFn,
  type PostRequest,
  type PostResponse,
  type SendAlertsOptions,
  type SendAlertsResult,
} from './send.ts';
export {
  alertKeys,
  alertsForRun,
  deliveredOpportunityKeys,
  MAX_OPPORTUNITY_ALERTS,
  meetsTier,
  newOpportunities,
  newOpportunityAlerts,
  type AlertRules,
} from './select.ts';
export { opportunitySummaryAlert, type NewOpportunity, type OpportunitySummaryOptions } from './summary.ts';
export { sendTestAlerts, testAlert, type TestDelivery } from './test-alert.ts';
