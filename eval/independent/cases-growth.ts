import { flat, ramp, seatRange, step, type Case } from './case.ts';
import { Q } from './quotes.ts';

/** Company growth, renewal timing, engagement and seasonality. */
export const GROWTH_CASES: readonly Case[] = [
  {
    id: 'G01-headcount-35-seats-72', plan: 'growth', seats: 50, employees: 800, headcount: 0.35,
    usage: { seat: flat(0.72) },
    label: {
      health: 'green', timing: '30d', motions: ['seat_add'], seats: seatRange(50, 0.72, 0.175),
      why: {
        health: `the company is growing fast: ${Q.green}`,
        timing: `one medium-urgency signal: ${Q.headcount004}`,
        motions: Q.headcount,
        seats: `half a year of +35% YoY hiring: ${Q.exactly}`,
      },
      debatable: `${Q.single}: headcount alone may only warrant a growth conversation, no deal`,
    },
  },
  {
    id: 'G02-headcount-35-seats-86', plan: 'growth', seats: 60, employees: 900, headcount: 0.35,
    usage: { seat: ramp(0.74, 0.86, 99, 35) },
    label: {
      health: 'green', timing: 'now', motions: ['seat_add'], seats: seatRange(60, 0.86, 0.175),
      why: {
        health: Q.green,
        timing: Q.seatAndHeadcount,
        motions: Q.seatAndHeadcount,
        seats: `sized for the hiring: ${Q.headcount}`,
      },
    },
  },
  {
    id: 'G03-headcount-8', plan: 'growth', seats: 50, employees: 600, headcount: 0.08,
    usage: { seat: flat(0.7) },
    label: {
      health: 'yellow', timing: '90d', motions: [],
      why: { health: Q.yellow, timing: Q.monitor, motions: `+8% is under ${Q.headcount004}` },
    },
  },
  {
    id: 'G04-layoffs-seats-86', plan: 'growth', seats: 60, employees: 500, headcount: -0.15,
    usage: { seat: flat(0.86) },
    label: {
      health: 'yellow', timing: '90d', motions: [],
      why: {
        health: 'a company cutting 15% of staff: budgets are under review',
        timing: `${Q.satisfaction}; revisit after the cuts settle`,
        motions: 'seat pressure during layoffs tends to resolve itself as people leave',
      },
      debatable: `${Q.within8090} and the seat data do not show the cuts yet; green/now seat add is defensible`,
    },
  },
  {
    id: 'G05-growing-100d-renewal-76', plan: 'growth', seats: 50, renewalIn: 100, execAgo: 30,
    usage: { seat: ramp(0.62, 0.77), dau: ramp(0.68, 0.76) },
    label: {
      health: 'green', timing: 'now', motions: ['seat_add'], seats: seatRange(50, 0.78, 0.1),
      why: {
        health: `steady growth, exec engaged: ${Q.green}`,
        timing: Q.renewalWindow,
        motions: 'at this rate they cross 80% before renewal; put the seats in the renewal conversation',
        seats: Q.exactly,
      },
      debatable: 'seats are still under 80%: "no pitch yet, conversation at 90 days" is as defensible',
    },
  },
  {
    id: 'G06-flat-healthy', plan: 'growth', seats: 50, nps: 8,
    usage: { seat: flat(0.6) },
    label: {
      health: 'yellow', timing: '90d', motions: [],
      why: { health: Q.yellow, timing: Q.monitor, motions: 'no signal' },
    },
  },
  {
    id: 'G07-holiday-dip-recovered', plan: 'growth', seats: 45,
    usage: { seat: flat(0.66), dau: [[99, 0.74], [36, 0.74], [32, 0.55], [22, 0.55], [18, 0.74], [0, 0.74]] },
    label: {
      health: 'yellow', timing: '90d', motions: [],
      why: { health: `a dip that recovered is not a trend: ${Q.yellow}`, timing: Q.monitor, motions: 'no signal' },
    },
  },
  {
    id: 'G08-exec-nps10-growing', plan: 'growth', seats: 50, nps: 10, execAgo: 7,
    usage: { seat: ramp(0.62, 0.7, 60, 0), dau: ramp(0.65, 0.78, 60, 0) },
    label: {
      health: 'green', timing: '90d', motions: [],
      why: {
        health: Q.green,
        timing: 'nothing specific to propose yet; relationship is strong',
        motions: 'seats at 70%, no graduation, no workaround',
      },
      debatable: `${Q.exec}: 30d for a QBR-style whitespace conversation is defensible`,
    },
  },
  {
    id: 'G09-large-enterprise-flat', plan: 'enterprise', seats: 400, modules: ['reporting'],
    usage: { seat: flat(0.6) },
    label: {
      health: 'yellow', timing: '90d', motions: [],
      why: { health: Q.yellow, timing: Q.monitor, motions: 'no signal' },
    },
  },
  {
    id: 'G10-new-team-seats-84', plan: 'growth', seats: 40,
    usage: {
      seat: step(0.68, 0.84, 30),
      teams: { sales: ramp(0.7, 0.58, 33, 30), success: ramp(0.3, 0.24, 33, 30), support: step(0, 0.18, 30) },
    },
    label: {
      health: 'green', timing: 'now', motions: ['seat_add'], seats: seatRange(40, 0.84),
      why: {
        health: `a new department adopted it: ${Q.green}`,
        timing: `${Q.newDepartment} plus 84% of seats for a month: ${Q.single}`,
        motions: Q.within8090,
        seats: Q.exactly,
      },
    },
  },
  {
    id: 'G11-starter-growing-25', plan: 'starter', seats: 30, nps: 9,
    usage: { seat: ramp(0.58, 0.72, 60, 0), dau: ramp(0.68, 0.76, 60, 0) },
    label: {
      health: 'green', timing: '90d', motions: [],
      why: { health: Q.green, timing: 'growth with no named product yet', motions: 'seats at 72%, no graduation' },
    },
  },
  {
    id: 'G12-hypergrowth-near-80', plan: 'growth', seats: 40, employees: 350, headcount: 0.5,
    usage: { seat: ramp(0.72, 0.78, 60, 0) },
    label: {
      health: 'green', timing: '30d', motions: ['seat_add'], seats: seatRange(40, 0.78, 0.25),
      why: {
        health: Q.green,
        timing: `nearly at the line and hiring hard: ${Q.seatAndHeadcount}`,
        motions: Q.headcount,
        seats: `half a year of +50% hiring: ${Q.exactly}`,
      },
      debatable: 'now is defensible given +50% hiring',
    },
  },
  {
    id: 'G13-enterprise-500-at-82', plan: 'enterprise', seats: 500, nps: 8,
    usage: { seat: ramp(0.74, 0.82, 99, 25) },
    label: {
      health: 'green', timing: 'now', motions: ['seat_add'], seats: seatRange(500, 0.82),
      why: {
        health: Q.green,
        timing: `over 80% for about a month: ${Q.twoWeeks}`,
        motions: Q.within8090,
        seats: Q.exactly,
      },
    },
  },
  {
    id: 'G14-seats-removed', plan: 'growth', seats: 50,
    usage: { seat: ramp(0.8, 0.6, 50, 20) },
    label: {
      health: 'yellow', timing: '90d', motions: [],
      why: {
        health: `they unassigned a quarter of their seats: a contraction warning (${Q.red} if it continues)`,
        timing: Q.atRisk,
        motions: 'no signal',
      },
      debatable: 'red is defensible: seat removal often precedes a downsized renewal',
    },
  },
];
