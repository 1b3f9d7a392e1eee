import type { Evidence, Signal } from '../../model/assessment.ts';
import type { ScoringConfig } from '../config.ts';
import { clamp01, collected, daysBetween, mean, period, round2, type Day } from '../days.ts';
import { citations, oneDecimal, plural, wholePercent } from '../evidence.ts';
import type { Evaluation } from '../result.ts';
import { SIGNAL, type SignalContext, type SignalFacts } from './context.ts';
import { activeTeams, hasTeamMetric, teamMeans } from './team-adoption.ts';

/** Named evidence so a narrative cites exactly what the signal measured. */
export interface PowerUserEvidence {
  readonly averagePowerUsers: Evidence;
  /** Share of activity from the most active tenth of users; absent when the source does not report it. */
  readonly topDecileShare?: Evidence;
  /** How activity is spread across teams; absent when usage carries no team metrics. */
  readonly teamsActive?: Evidence;
  readonly largestTeamShare?: Evidence;
  readonly windowDays: Evidence;
}

export interface PowerUserFacts extends SignalFacts {
  /** Mean daily power users over the window's days that report them, at the one decimal the text shows. */
  readonly averagePowerUsers: number;
  /** 0..1 at the whole percent the text shows; undefined when unknown. */
  readonly topDecileShare: number | undefined;
  readonly strength: number;
  readonly evidence: PowerUserEvidence;
}

/**
 * Power-user concentration: a few users drive most of the activity, so there is room to spread
 * adoption. Days without the power-user metric are unknown, not zero; the activity share is used only
 * when the source reports it, otherwise the rule rests on power users alone.
 */
export function evaluatePowerUsers(context: SignalContext): Evaluation<PowerUserFacts> {
  const { metric, windowDays, minPowerUsers, shareAt } = context.config.powerUsers;
  const from = context.usageEnd - windowDays + 1;
  const window = daysBetween(context.days, from, context.usageEnd);
  const reported = window.filter((d) => Object.hasOwn(d.events, metric));
  if (reported.length === 0) {
    return {
      evaluated: false,
      missing: ['usage.powerUsers'],
      reason: 'Usage does not report power users, so power-user concentration was not evaluated.',
    };
  }
  const evidence = powerUserEvidence({ window, reported, from, context });
  const average = evidence.averagePowerUsers.value;
  const share = evidence.topDecileShare === undefined ? undefined : evidence.topDecileShare.value / 100;
  // Decided on the rounded values the text shows, so "3 power users a day" and the threshold agree.
  const fires = average >= minPowerUsers && (share === undefined || share >= shareAt);
  const strength = fires ? powerUserStrength(average, share, context.config) : 0;
  return {
    evaluated: true,
    averagePowerUsers: average,
    topDecileShare: share,
    strength,
    evidence,
    signal: fires ? powerUserSignal(evidence, strength) : undefined,
  };
}

/**
 * 0.4 on firing, plus up to 0.3 as the share climbs from shareAt to 100% and up to 0.3 as power users
 * climb from minPowerUsers to three times it. An unknown share adds nothing: it cannot strengthen a claim.
 */
function powerUserStrength(average: number, share: number | undefined, config: ScoringConfig): number {
  const { minPowerUsers, shareAt } = config.powerUsers;
  const byShare = share === undefined ? 0 : shareAt >= 1 ? 1 : clamp01((share - shareAt) / (1 - shareAt));
  const byUsers = clamp01((average - minPowerUsers) / (2 * minPowerUsers));
  return round2(clamp01(0.4 + 0.3 * byShare + 0.3 * byUsers));
}

/** The events key names an activity event: not one of the two metrics and not a team metric. */
function isActivity(key: string, config: ScoringConfig): boolean {
  return (
    key !== config.powerUsers.metric &&
    key !== config.powerUsers.topEventsMetric &&
    !key.startsWith(config.teams.prefix)
  );
}

/**
 * Share of activity from the top tenth of users, over the window's days that report top-decile events
 * (the total over the same days, so days without the metric do not dilute it). Undefined when no day
 * reports it or there was no activity. Capped at 100%: a source that counts differently must not read as more than all.
 */
export function topDecileShare(days: readonly Day[], config: ScoringConfig): number | undefined {
  const key = config.powerUsers.topEventsMetric;
  let top = 0;
  let total = 0;
  let reported = false;
  for (const d of days) {
    const value = d.events[key];
    if (value === undefined) continue;
    reported = true;
    top += value;
    for (const [name, count] of Object.entries(d.events)) if (isActivity(name, config)) total += count;
  }
  return reported && total > 0 ? clamp01(top / total) : undefined;
}

interface PowerUserEvidenceInput {
  readonly window: readonly Day[];
  readonly reported: readonly Day[];
  readonly from: number;
  readonly context: SignalContext;
}

function powerUserEvidence(input: PowerUserEvidenceInput): PowerUserEvidence {
  const { config, usageEnd: asOf } = input.context;
  const window = period(input.from, asOf);
  const average = mean(input.reported.map((d) => d.events[config.powerUsers.metric] ?? 0));
  const share = topDecileShare(input.window, config);
  const evidence: PowerUserEvidence = {
    averagePowerUsers: {
      metric: 'power_users_daily_mean',
      value: oneDecimal(average),
      unit: 'users',
      window,
      comparison: `${input.reported.length} days reporting power users`,
      source: 'usage',
    },
    windowDays: {
      metric: 'power_users_window_days',
      value: config.powerUsers.windowDays,
      unit: 'days',
      window: 'config',
      source: 'config',
    },
  };
  const withShare: PowerUserEvidence =
    share === undefined
      ? evidence
      : {
          ...evidence,
          topDecileShare: {
            metric: 'top_decile_activity_share',
            value: wholePercent(share),
            unit: 'percent',
            window,
            comparison: 'events by the most active 10% of users vs all events',
            source: 'usage',
          },
        };
  return { ...withShare, ...teamSpread(input.window, window, config) };
}

/** Teams active in the window and the largest team's share of active users, when usage carries team metrics. */
function teamSpread(
  days: readonly Day[],
  window: string,
  config: ScoringConfig,
): Pick<PowerUserEvidence, 'teamsActive' | 'largestTeamShare'> {
  const { prefix, minActiveUsers } = config.teams;
  if (!days.some((d) => hasTeamMetric(d, prefix))) return {};
  const means = teamMeans(days, prefix);
  const teamsActive: Evidence = {
    metric: 'teams_active',
    value: activeTeams(means, minActiveUsers).length,
    unit: 'count',
    window,
    comparison: `at least ${minActiveUsers} active users a day on average`,
    source: 'usage',
  };
  const activeUsers = mean(collected(days, (d) => d.activeUsers));
  const [largest, largestMean] = [...means].reduce((best, entry) => (entry[1] > best[1] ? entry : best), ['', 0]);
  if (activeUsers === 0 || largest === '') return { teamsActive };
  const share = wholePercent(clamp01(largestMean / activeUsers));
  return {
    teamsActive,
    largestTeamShare: {
      metric: 'largest_team_active_user_share',
      value: share,
      unit: 'percent',
      window,
      comparison: `team ${largest}`,
      source: 'derived',
    },
  };
}

/** "4.2 power users a day over the last 30 days; the most active tenth of users drive 62% of activity; 3 teams active, the largest with 45% of active users". */
function powerUserSignal(evidence: PowerUserEvidence, strength: number): Signal {
  const c = citations();
  const parts = [
    `${c.cite(evidence.averagePowerUsers)} power users a day over the last ${c.cite(evidence.windowDays)} days`,
  ];
  if (evidence.topDecileShare !== undefined)
    parts.push(`the most active tenth of users drive ${c.cite(evidence.topDecileShare)} of activity`);
  if (evidence.teamsActive !== undefined) {
    const teams = plural(c.cite(evidence.teamsActive), evidence.teamsActive.value, 'team');
    parts.push(
      evidence.largestTeamShare === undefined
        ? `${teams} active`
        : `${teams} active, the largest with ${c.cite(evidence.largestTeamShare)} of active users`,
    );
  }
  return {
    id: SIGNAL.powerUsers,
    kind: 'expansion',
    strength,
    summary: parts.join('; '),
    evidence: Object.values(evidence),
  };
}
