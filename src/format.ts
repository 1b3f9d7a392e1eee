import type { ExpansionOpportunity } from './model/assessment.ts';

/**
 * Formats shared by the CLI, the alerts and the reports. Always the `en-US` conventions, never the host's
 * locale, so output reads the same on every machine; only the currency follows the config.
 */

const formatters = new Map<string, Intl.NumberFormat>();

/** `$12,345` in USD, `€12,345` in EUR: whole units of the configured currency (`scoring.pricing.currency`). */
export function money(value: number, currency: string): string {
  let formatter = formatters.get(currency);
  if (formatter === undefined) {
    formatter = new Intl.NumberFormat('en-US', { style: 'currency', currency, maximumFractionDigits: 0 });
    formatters.set(currency, formatter);
  }
  return formatter.format(value);
}

/** 0.734 -> `73%`. */
export const percent = (share: number): string => `${Math.round(share * 100)}%`;

export interface Owned {
  readonly ownerId?: string | undefined;
  readonly ownerName?: string | undefined;
}

/** Who a person-facing line names: the CRM owner's name, their id when the CRM has no name, else `unassigned`. */
export function ownerLabel(owner: Owned): string {
  // An empty name or id (a CRM user with no name filled in) reads as absent.
  return owner.ownerName?.trim() || owner.ownerId?.trim() || 'unassigned';
}

/** Why an identified opportunity is not pitched (no CRM deal, no note, no alert). */
export type Withheld = NonNullable<ExpansionOpportunity['withheld']>;

export const WITHHELD_LABEL: Readonly<Record<Withheld, string>> = {
  renewal_evaluation: 'renewal: held for the renewal conversation',
  ramping: 'ramping: too new a customer to pitch',
  watch: 'watch: resemblance only, not confirmed',
  holdout: 'holdout: never pitched, the baseline outcomes are measured against',
};
