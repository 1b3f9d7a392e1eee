/**
 * The neutral shape every alert is built in. Builders fill it from run reports and assessments; renderers
 * turn it into a Slack Block Kit payload or generic webhook JSON. All text here is plain: a renderer
 * escapes it for its surface, so a company called `<!channel>` or `a & b` reads as written.
 */
export type AlertKind =
  'opportunity' | 'opportunity_summary' | 'weekly_digest' | 'run_failed' | 'failed_records' | 'schema_drift' | 'test';

/** A label and its value, shown side by side (Slack section fields, `Label: value` in plain text). */
export interface AlertField {
  readonly label: string;
  readonly value: string;
}

/** One line of a section: an optional bold label above or before its text, optionally as a bullet. */
export interface AlertEntry {
  readonly label?: string;
  readonly text?: string;
  readonly bullet?: boolean;
}

export interface AlertSection {
  /** Section heading, e.g. `📊 Signals Detected`; none for a lead paragraph. */
  readonly heading?: string;
  readonly entries?: readonly AlertEntry[];
  readonly fields?: readonly AlertField[];
}

export interface Alert {
  readonly kind: AlertKind;
  /** Fixed wording (never customer data), e.g. `💰 EXPANSION OPPORTUNITY DETECTED`. */
  readonly title: string;
  /** One plain line for notifications and the webhook's fallback: what happened, to whom. */
  readonly summary: string;
  /** The headline facts under the title. */
  readonly fields: readonly AlertField[];
  readonly sections: readonly AlertSection[];
  /** Small print at the end: when the signal was detected, which run. */
  readonly footer?: string;
  /** Opportunity alerts: the CRM owner, to route to their own Slack webhook. */
  readonly ownerId?: string;
  /** Opportunity alerts: account+motion+module, remembered so the same opportunity is alerted once. */
  readonly key?: string;
  /**
   * The opportunity summary: the keys of every opportunity it stands for, all remembered once it is
   * delivered. `alertKeys` reads either field.
   */
  readonly keys?: readonly string[];
  /** Structured facts for machine receivers (the generic webhook's `data`). */
  readonly data: Readonly<Record<string, unknown>>;
}
