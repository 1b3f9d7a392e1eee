import { MOTION_LABELS, type Motion } from '../model/account.ts';
import type { Timing } from '../model/assessment.ts';

export { money, ownerLabel, percent, WITHHELD_LABEL, type Withheld } from '../format.ts';

/** A 0..100 readiness score on the seed's ten-point scale: 71 -> `7.1/10`. */
export function scoreOutOfTen(score: number): string {
  return `${(Math.round(score) / 10).toFixed(1)}/10`;
}

/** The one motion label map (src/model/account.ts), under the name the alert builders use. */
export const MOTION_NAME = MOTION_LABELS;

/** `Seat expansion`, `Tier upgrade to enterprise`, `Module cross-sell: reporting`. */
export function motionName(o: {
  readonly motion: Motion;
  readonly module?: string | undefined;
  readonly targetPlan?: string | undefined;
}): string {
  if (o.motion === 'module_cross_sell' && o.module) return `${MOTION_NAME[o.motion]}: ${o.module}`;
  if (o.motion === 'tier_upgrade' && o.targetPlan) return `${MOTION_NAME[o.motion]} to ${o.targetPlan}`;
  return MOTION_NAME[o.motion];
}

export const TIMING_NAME: Readonly<Record<Timing, string>> = {
  now: '🟢 Now',
  '30d': '🟡 Within 30 days',
  '90d': '🟠 Within 90 days',
  hold: '⏸️ Hold',
};

/** `seat_utilization` -> `Seat utilization`; `module_workaround:reporting` -> `Module workaround (reporting)`. */
export function signalName(id: string): string {
  const [base = id, detail] = id.split(':');
  const words = base.replace(/_/g, ' ');
  const name = `${words.charAt(0).toUpperCase()}${words.slice(1)}`;
  return detail ? `${name} (${detail})` : name;
}

/** `1 account`, `3 accounts`. */
export function count(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}

/** The first sentence of a text, for a suggested opening line. */
export function firstSentence(text: string, max = 280): string {
  const paragraph = text.split(/\n\s*\n/)[0] ?? '';
  const sentence = /^.*?[.!?](?=\s|$)/s.exec(paragraph)?.[0] ?? paragraph;
  const trimmed = sentence.trim();
  return trimmed.length > max ? `${trimmed.slice(0, max - 1)}…` : trimmed;
}
