import type { Assessment, ExpansionOpportunity, PriorityTier } from '../model/assessment.ts';
import { count, money, motionName, ownerLabel } from './format.ts';
import type { AlertAccount } from './opportunity.ts';
import type { Alert, AlertEntry } from './types.ts';

/** One new opportunity worth an alert, as the selection found it. */
export interface NewOpportunity {
  readonly account: AlertAccount;
  readonly assessment: Assessment;
  readonly opportunity: ExpansionOpportunity;
  /** Its alert key (account, motion, module): remembered once the summary is delivered. */
  readonly key: string;
}

export interface OpportunitySummaryOptions {
  /** The configured currency (scoring.pricing.currency): every amount is in it. */
  readonly currency: string;
  /** How many of the best ranked the summary names; 5 by default. */
  readonly top?: number;
  /** alerts.maxOpportunityAlerts, named in the message so a reader knows why it is a summary. */
  readonly threshold?: number;
  /** The run that found them, for the footer. */
  readonly runId?: string;
  readonly sync?: string;
}

const TIERS: readonly PriorityTier[] = ['P1', 'P2', 'P3'];
/** Owners listed by name with their count; the rest are folded into one line. */
const OWNER_LIMIT = 10;

/**
 * Many new opportunities in one run (the first run on a portfolio, a new price book): one message to the
 * channel instead of a burst. It gives the count, the total potential ARR and expected value, the best
 * ranked few with account and owner, how many each owner received, and where to see them all. It carries
 * every opportunity's key, so delivering it marks all of them as alerted.
 */
export function opportunitySummaryAlert(items: readonly NewOpportunity[], options: OpportunitySummaryOptions): Alert {
  const m = (value: number): string => money(value, options.currency);
  const ranked = [...items].sort((a, b) => rankOf(a) - rankOf(b));
  const top = ranked.slice(0, options.top ?? 5);
  const arrPotential = sum(items, (i) => i.opportunity.arrPotential);
  const expectedValue = sum(items, (i) => i.opportunity.expectedValue);
  const byTier = TIERS.map((t) => [t, items.filter((i) => i.opportunity.priority?.tier === t).length] as const).filter(
    ([, n]) => n > 0,
  );
  const owners = byOwner(items);
  const opportunities = count(items.length, 'new expansion opportunity', 'new expansion opportunities');
  const run = [options.sync === undefined ? '' : `Sync ${options.sync}`, options.runId ? `run ${options.runId}` : '']
    .filter((s) => s !== '')
    .join(', ');
  return {
    kind: 'opportunity_summary',
    title: '💰 NEW EXPANSION OPPORTUNITIES',
    summary: `${opportunities}, ${m(arrPotential)} potential ARR: run \`expansion-sync pipeline\` to see them all`,
    fields: [
      { label: 'New opportunities', value: String(items.length) },
      { label: 'Potential ARR', value: m(arrPotential) },
      { label: 'Expected Value', value: m(expectedValue) },
      ...(byTier.length > 0 ? [{ label: 'By priority', value: byTier.map(([t, n]) => `${t}: ${n}`).join(', ') }] : []),
    ],
    sections: [
      {
        entries: [
          {
            text:
              `This run found ${opportunities}, more than alerts.maxOpportunityAlerts` +
              `${options.threshold === undefined ? '' : ` (${options.threshold})`}, so they are summed up here ` +
              'instead of one message each.',
          },
        ],
      },
      { heading: `🔥 Top ${top.length} by Priority`, entries: top.map((i) => topEntry(i, m)) },
      { heading: '🎯 By Owner', entries: ownerEntries(owners) },
      {
        entries: [
          {
            text: 'Run `expansion-sync pipeline --config <file>` for the whole ranked list, with owners and amounts.',
          },
        ],
      },
    ],
    ...(run === '' ? {} : { footer: run }),
    keys: items.map((i) => i.key),
    data: {
      opportunities: items.length,
      currency: options.currency,
      arrPotential: Math.round(arrPotential),
      expectedValue: Math.round(expectedValue),
      byTier: Object.fromEntries(byTier),
      byOwner: owners.map(({ owner, n }) => ({ owner, opportunities: n })),
      top: top.map(({ account, opportunity: o }) => ({
        accountId: account.id,
        accountName: account.name,
        ...(account.ownerId === undefined ? {} : { ownerId: account.ownerId }),
        owner: ownerLabel(account),
        motion: o.motion,
        ...(o.module === undefined ? {} : { module: o.module }),
        arrPotential: o.arrPotential,
        expectedValue: o.expectedValue,
        ...(o.priority ? { priority: o.priority } : {}),
      })),
      ...(options.runId === undefined ? {} : { runId: options.runId }),
      ...(options.sync === undefined ? {} : { sync: options.sync }),
    },
  };
}

function rankOf(item: NewOpportunity): number {
  return item.opportunity.priority?.rank ?? Number.MAX_SAFE_INTEGER;
}

function sum(items: readonly NewOpportunity[], value: (item: NewOpportunity) => number): number {
  return items.reduce((n, item) => n + value(item), 0);
}

function topEntry({ account, opportunity: o }: NewOpportunity, m: (value: number) => string): AlertEntry {
  const tier = o.priority ? `${o.priority.tier} #${o.priority.rank}` : 'unranked';
  return {
    label: `${account.name}: ${motionName(o)}`,
    text: `${m(o.arrPotential)} potential ARR (${tier}), owner ${ownerLabel(account)}`,
    bullet: true,
  };
}

function byOwner(items: readonly NewOpportunity[]): Array<{ readonly owner: string; readonly n: number }> {
  const counts = new Map<string, number>();
  for (const { account } of items) counts.set(ownerLabel(account), (counts.get(ownerLabel(account)) ?? 0) + 1);
  return [...counts].map(([owner, n]) => ({ owner, n })).sort((a, b) => b.n - a.n || a.owner.localeCompare(b.owner));
}

function ownerEntries(owners: ReadonlyArray<{ readonly owner: string; readonly n: number }>): AlertEntry[] {
  const shown = owners.slice(0, OWNER_LIMIT).map(({ owner, n }) => ({
    text: `${owner}: ${count(n, 'opportunity', 'opportunities')}`,
    bullet: true,
  }));
  const rest = owners.slice(OWNER_LIMIT);
  const more = rest.reduce((n, o) => n + o.n, 0);
  return rest.length > 0
    ? [...shown, { text: `${count(rest.length, 'more owner')}: ${count(more, 'opportunity', 'opportunities')}` }]
    : shown;
}
