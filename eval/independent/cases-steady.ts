import { flat, ramp, type Case, type Label, type ModuleId, type Plan } from './case.ts';
import { Q } from './quotes.ts';

const FLAT: Label = {
  health: 'yellow',
  timing: '90d',
  motions: [],
  why: { health: Q.yellow, timing: Q.monitor, motions: 'no workaround, no graduation, seats under 75%' },
};

const GROWING: Label = {
  health: 'green',
  timing: '90d',
  motions: [],
  why: {
    health: Q.green,
    timing: 'growing but nothing to propose yet',
    motions: 'seats under 75%, no graduation, no workaround',
  },
};

function steady(
  id: string,
  plan: Plan,
  seats: number,
  modules: readonly ModuleId[],
  utilization: number,
  grownTo?: number,
): Case {
  const seat = grownTo === undefined ? flat(utilization) : ramp(utilization, grownTo, 70, 0);
  const usage = grownTo === undefined ? { seat } : { seat, dau: ramp(0.68, 0.76, 70, 0) };
  return { id, plan, seats, modules, usage, label: grownTo === undefined ? FLAT : GROWING };
}

/**
 * The quiet majority: module owners (the peers cross-sell resemblance needs) and accounts with nothing to
 * sell. They test that the product stays silent where a CS leader would.
 */
export const STEADY_CASES: readonly Case[] = [
  steady('P01-reporting', 'growth', 60, ['reporting'], 0.62),
  steady('P02-reporting-automation', 'growth', 80, ['reporting', 'automation'], 0.68),
  steady('P03-ent-reporting-integrations', 'enterprise', 150, ['reporting', 'integrations'], 0.7),
  steady('P04-ent-all-modules', 'enterprise', 220, ['reporting', 'automation', 'integrations', 'api'], 0.66),
  steady('P05-integrations', 'growth', 45, ['integrations'], 0.6),
  steady('P06-automation', 'growth', 35, ['automation'], 0.58),
  steady('P07-api-integrations-growing', 'growth', 70, ['api', 'integrations'], 0.6, 0.7),
  steady('P08-starter-bare', 'starter', 15, [], 0.66),
  steady('P09-starter-reporting', 'starter', 25, ['reporting'], 0.6),
  steady('P10-ent-automation-api', 'enterprise', 300, ['automation', 'api'], 0.72),
  steady('P11-reporting-growing', 'growth', 55, ['reporting'], 0.58, 0.68),
  steady('P12-automation-reporting', 'growth', 50, ['automation', 'reporting'], 0.7),
  steady('P13-integrations-automation', 'growth', 40, ['integrations', 'automation'], 0.64),
  steady('P14-ent-api', 'enterprise', 180, ['api'], 0.61),
  steady('P15-starter-small', 'starter', 12, [], 0.58),
  steady('P16-growth-bare', 'growth', 65, [], 0.55),
  steady('P17-reporting-integrations', 'growth', 90, ['reporting', 'integrations'], 0.73),
  steady('P18-ent-three-modules', 'enterprise', 130, ['reporting', 'automation', 'integrations'], 0.69),
  steady('P19-api', 'growth', 30, ['api'], 0.66),
  steady('P20-starter-automation', 'starter', 40, ['automation'], 0.62),
  steady('P21-bare-growing', 'growth', 48, [], 0.55, 0.66),
  steady('P22-ent-bare', 'enterprise', 260, [], 0.57),
  steady('P23-reporting-api', 'growth', 75, ['reporting', 'api'], 0.7),
  steady('P24-integrations', 'growth', 42, ['integrations'], 0.63),
];
