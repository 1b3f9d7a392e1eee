import type { Evidence, Signal } from '../../model/assessment.ts';
import { daysBetween, period, round2, type Day } from '../days.ts';
import { citations, plural } from '../evidence.ts';
import type { Evaluation } from '../result.ts';
import { SIGNAL, type SignalContext, type SignalFacts } from './context.ts';

/** Named evidence so a narrative cites exactly what the signal measured. */
export interface TeamEvidence {
  readonly teamsRecent: Evidence;
  readonly teamsBaseline: Evidence;
  readonly newTeams: Evidence;
  readonly recentDays: Evidence;
}

export interface TeamFacts extends SignalFacts {
  /** Teams active in the recent window but not in the baseline, sorted. */
  readonly newTeams: readonly string[];
  /** Teams active in each window, sorted. */
  readonly teamsRecent: readonly string[];
  readonly teamsBaseline: readonly string[];
  readonly strength: number;
  readonly evidence: TeamEvidence;
}

/** True when the day carries at least one team metric (`<prefix><team>`). */
export function hasTeamMetric(day: Day, prefix: string): boolean {
  for (const key of Object.keys(day.events)) if (key.length > prefix.length && key.startsWith(prefix)) return true;
  return false;
}

/**
 * Each team's mean daily active users over `days` (the days of a window that have usage rows). A row
 * without a team's key counts as zero for that team: sources write team metrics only for teams with
 * someone active, so a quiet weekend row must pull the mean down rather than drop out of it.
 */
export function teamMeans(days: readonly Day[], prefix: string): Map<string, number> {
  const totals = new Map<string, number>();
  for (const d of days) {
    for (const [key, value] of Object.entries(d.events)) {
      if (key.length <= prefix.length || !key.startsWith(prefix)) continue;
      const team = key.slice(prefix.length);
      totals.set(team, (totals.get(team) ?? 0) + value);
    }
  }
  const means = new Map<string, number>();
  for (const [team, total] of totals) means.set(team, total / days.length);
  return means;
}

/** Names of the teams whose mean daily active users reach `minActiveUsers`, sorted. */
export function activeTeams(means: ReadonlyMap<string, number>, minActiveUsers: number): string[] {
  return [...means]
    .filter(([, m]) => m >= minActiveUsers)
    .map(([team]) => team)
    .sort();
}

/**
 * Adoption by a new team: a team active over the recent window that was not active in the baseline.
 * Both windows must carry team metrics: a new account (or one whose source only lately started to
 * report teams) has no baseline, and reading that as "no teams then" would call every team new.
 */
export function evaluateTeamAdoption(context: SignalContext): Evaluation<TeamFacts> {
  const { prefix, minActiveUsers, recentDays, baselineDays, gapDays } = context.config.teams;
  const recentFrom = context.usageEnd - recentDays + 1;
  const baselineTo = context.usageEnd - recentDays - gapDays;
  const baselineFrom = baselineTo - baselineDays + 1;
  const recent = daysBetween(context.days, recentFrom, context.usageEnd);
  const baseline = daysBetween(context.days, baselineFrom, baselineTo);
  const recentHasTeams = recent.some((d) => hasTeamMetric(d, prefix));
  const baselineHasTeams = baseline.some((d) => hasTeamMetric(d, prefix));
  if (!recentHasTeams && !baselineHasTeams) {
    return {
      evaluated: false,
      missing: ['usage.teams'],
      reason: 'Usage carries no team metrics, so new-team adoption was not evaluated.',
    };
  }
  if (!baselineHasTeams) {
    return {
      evaluated: false,
      missing: ['usage.teamsBaseline'],
      reason: 'No team usage in the baseline period to compare with, so new-team adoption was not evaluated.',
    };
  }
  if (!recentHasTeams) {
    return {
      evaluated: false,
      missing: ['usage.teamsRecent'],
      reason: 'No recent team usage, so new-team adoption was not evaluated.',
    };
  }
  const teamsRecent = activeTeams(teamMeans(recent, prefix), minActiveUsers);
  const teamsBaseline = activeTeams(teamMeans(baseline, prefix), minActiveUsers);
  const before = new Set(teamsBaseline);
  const newTeams = teamsRecent.filter((t) => !before.has(t));
  const strength = newTeams.length === 0 ? 0 : round2(Math.min(1, 0.5 + 0.2 * (newTeams.length - 1)));
  const evidence: TeamEvidence = {
    teamsRecent: {
      metric: 'teams_active_recent',
      value: teamsRecent.length,
      unit: 'count',
      window: period(recentFrom, context.usageEnd),
      comparison: `at least ${minActiveUsers} active users a day on average`,
      source: 'usage',
    },
    teamsBaseline: {
      metric: 'teams_active_baseline',
      value: teamsBaseline.length,
      unit: 'count',
      window: period(baselineFrom, baselineTo),
      comparison: `at least ${minActiveUsers} active users a day on average`,
      source: 'usage',
    },
    newTeams: {
      metric: 'teams_new',
      value: newTeams.length,
      unit: 'count',
      window: period(baselineFrom, context.usageEnd),
      comparison: newTeams.length > 0 ? `new: ${newTeams.join(', ')}` : 'none new',
      source: 'derived',
    },
    recentDays: {
      metric: 'teams_recent_window_days',
      value: recentDays,
      unit: 'days',
      window: 'config',
      source: 'config',
    },
  };
  return {
    evaluated: true,
    newTeams,
    teamsRecent,
    teamsBaseline,
    strength,
    evidence,
    signal: newTeams.length > 0 ? teamSignal(evidence, strength) : undefined,
  };
}

/**
 * "2 new teams using the product in the last 14 days (5 active now, 3 before)". Team names stay out
 * of the summary: they come from metric keys and may hold digits no evidence accounts for.
 */
function teamSignal(evidence: TeamEvidence, strength: number): Signal {
  const c = citations();
  const teams = plural(c.cite(evidence.newTeams), evidence.newTeams.value, 'new team');
  const summary = `${teams} using the product in the last ${c.cite(evidence.recentDays)} days (${c.cite(evidence.teamsRecent)} active now, ${c.cite(evidence.teamsBaseline)} before)`;
  return { id: SIGNAL.newTeam, kind: 'expansion', strength, summary, evidence: Object.values(evidence) };
}
