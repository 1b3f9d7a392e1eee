import { flat, ramp, seatRange, step, type Case } from './case.ts';
import { Q } from './quotes.ts';

/** Seat pressure on otherwise healthy accounts: sustained, brief, capped, over the license, small teams. */
export const SEAT_CASES: readonly Case[] = [
  {
    id: 'S01-sustained-89', plan: 'growth', seats: 50, nps: 8, renewalIn: 200,
    usage: { seat: [[99, 0.62], [45, 0.89], [0, 0.89]] },
    label: {
      health: 'green', timing: 'now', motions: ['seat_add'], seats: seatRange(50, 0.89),
      why: {
        health: `no risk; seats grew 62% -> 89% then held: ${Q.green}`,
        timing: `six weeks at 86-92%: ${Q.sixWeeks}`,
        motions: Q.sixWeeks,
        seats: `${Q.exactly}: back under 85%, at most 70%`,
      },
    },
  },
  {
    id: 'S02-starter-long-crunch', plan: 'starter', seats: 20, nps: 9,
    usage: { seat: flat(0.93) },
    label: {
      health: 'green', timing: 'now', motions: ['seat_add'], seats: seatRange(20, 0.93),
      why: {
        health: `promoter, 93% of seats for three months: value realized (${Q.flags})`,
        timing: Q.twoWeeks,
        motions: Q.within8090,
        seats: Q.exactly,
      },
    },
  },
  {
    id: 'S03-enterprise-86', plan: 'enterprise', seats: 120, nps: 9, execAgo: 20,
    usage: { seat: [[99, 0.75], [49, 0.86], [0, 0.86]], dau: ramp(0.7, 0.76, 99, 49) },
    label: {
      health: 'green', timing: 'now', motions: ['seat_add'], seats: seatRange(120, 0.86),
      why: {
        health: `growth, promoter, exec meeting 20 days ago: ${Q.green}`,
        timing: `7 weeks at 86%: ${Q.twoWeeks}`,
        motions: Q.seatLimit,
        seats: Q.exactly,
      },
    },
  },
  {
    id: 'S04-spike-81-ten-days', plan: 'growth', seats: 40,
    usage: { seat: step(0.7, 0.81, 10) },
    label: {
      health: 'green', timing: '30d', motions: [],
      why: {
        health: `no risk, seats just stepped up: ${Q.green}`,
        timing: `re-check once the level has held: ${Q.twoWeeks}`,
        motions: `10 days at 81% is not yet sustained: ${Q.twoWeeks}`,
      },
      debatable: 'seed 004 fires a seat alert at >80% "within 24 hours"; seed 000 wants 2+ weeks sustained',
    },
  },
  {
    id: 'S05-capped-100', plan: 'growth', seats: 60, nps: 9,
    usage: { seat: ramp(0.85, 1, 60, 35), dau: flat(0.8) },
    label: {
      health: 'green', timing: 'now', motions: ['seat_add'], seats: seatRange(60, 1),
      why: {
        health: `promoter, every seat taken: ${Q.green}`,
        timing: `five weeks capped: ${Q.sixWeeks}`,
        motions: Q.seatLimit,
        seats: `capped, so demand is hidden: ${Q.exactly}`,
      },
    },
  },
  {
    id: 'S06-just-over-80-three-weeks', plan: 'growth', seats: 30,
    usage: { seat: step(0.72, 0.83, 21) },
    label: {
      health: 'green', timing: 'now', motions: ['seat_add'], seats: seatRange(30, 0.83),
      why: {
        health: `no risk, team grew: ${Q.green}`,
        timing: `three weeks over 80% meets ${Q.twoWeeks}`,
        motions: Q.within8090,
        seats: Q.exactly,
      },
      debatable: `meets seed 000's 2+ weeks but not ${Q.seventyFive}`,
    },
  },
  {
    id: 'S07-enterprise-92-headcount', plan: 'enterprise', seats: 200, employees: 1400, headcount: 0.25,
    usage: { seat: ramp(0.8, 0.92, 99, 70) },
    label: {
      health: 'green', timing: 'now', motions: ['seat_add'], seats: seatRange(200, 0.92, 0.125),
      why: {
        health: `no risk, company growing: ${Q.green}`,
        timing: `10 weeks at 92% plus hiring: ${Q.seatAndHeadcount}`,
        motions: Q.seatAndHeadcount,
        seats: `size for half a year of +25% YoY hiring: ${Q.headcount}`,
      },
    },
  },
  {
    id: 'S08-small-team-95', plan: 'starter', seats: 12,
    usage: { seat: ramp(0.8, 0.95, 99, 70) },
    label: {
      health: 'green', timing: 'now', motions: ['seat_add'], seats: seatRange(12, 0.95),
      why: {
        health: `no risk, 11-12 of 12 seats taken: ${Q.flags}`,
        timing: Q.twoWeeks,
        motions: Q.seatLimit,
        seats: `a small team still needs its seats: ${Q.exactly}`,
      },
    },
  },
  {
    id: 'S09-declining-with-pressure', plan: 'growth', seats: 80, nps: 7,
    usage: { seat: flat(0.88), dau: ramp(0.78, 0.6, 35, 0) },
    label: {
      health: 'yellow', timing: '90d', motions: [],
      why: {
        health: `active users down ~23% in five weeks: an early warning (${Q.red}), not yet churn`,
        timing: `stabilize first: ${Q.atRisk}`,
        motions: `seats are assigned but people stopped using them; ${Q.satisfaction}`,
      },
      debatable: 'red is defensible: a 20%+ decline is an early churn indicator',
    },
  },
  {
    id: 'S10-crunch-two-escalations', plan: 'growth', seats: 45, escalations: 2,
    usage: { seat: ramp(0.7, 0.9, 99, 45) },
    label: {
      health: 'yellow', timing: '30d', motions: ['seat_add'], seats: seatRange(45, 0.9),
      why: {
        health: `two open escalations: ${Q.noEscalations}`,
        timing: `close the escalations, then talk seats: ${Q.flags}`,
        motions: `the crunch is real (${Q.sixWeeks}); it waits, it is not dropped`,
        seats: Q.exactly,
      },
      debatable: 'some would hold with no deal until the escalations close; red if they are severe',
    },
  },
  {
    id: 'S11-nps5-heavy-growth', plan: 'growth', seats: 25, nps: 5,
    usage: { seat: ramp(0.7, 0.96, 99, 40), dau: ramp(0.7, 0.82, 99, 40) },
    label: {
      health: 'yellow', timing: '30d', motions: ['seat_add'], seats: seatRange(25, 0.96, 0.1),
      why: {
        health: `detractor NPS despite growth: ${Q.unhappy}`,
        timing: `address the NPS feedback first: ${Q.satisfaction}`,
        motions: `96% of seats after steady growth: ${Q.within8090}`,
        seats: Q.exactly,
      },
      debatable: 'behaviour says green (heavy growth), the survey says unhappy; both readings are defensible',
    },
  },
  {
    id: 'S12-growing-100d-to-renewal', plan: 'growth', seats: 50, renewalIn: 100,
    usage: { seat: ramp(0.68, 0.86), dau: ramp(0.7, 0.76) },
    label: {
      health: 'green', timing: 'now', motions: ['seat_add'], seats: seatRange(50, 0.86, 0.1),
      why: {
        health: Q.green,
        timing: `100 days out: ${Q.renewalWindow}`,
        motions: `over 80% for the last month and rising: ${Q.within8090}`,
        seats: `growth continues: ${Q.exactly}`,
      },
    },
  },
  {
    id: 'S13-renewal-40d-at-95', plan: 'growth', seats: 60, renewalIn: 40,
    usage: { seat: ramp(0.82, 0.95, 99, 56) },
    label: {
      health: 'green', timing: 'now', motions: ['seat_add'], seats: seatRange(60, 0.95),
      why: {
        health: `no risk, 95% of seats: ${Q.flags}`,
        timing: `the renewal conversation is happening anyway: ${Q.renewalUpgrade}`,
        motions: Q.sixWeeks,
        seats: Q.exactly,
      },
      debatable: `seeds conflict: ${Q.renewalWorst}; the seat add could be folded into the renewal instead`,
    },
  },
  {
    id: 'S14-new-customer-90', plan: 'growth', seats: 30, tenure: 42,
    usage: { seat: [[42, 0.5], [28, 0.9], [0, 0.9]] },
    label: {
      health: 'green', timing: '30d', motions: [],
      why: {
        health: `onboarding fast, no risk: ${Q.green}`,
        timing: `six weeks in; reach 3 months first: ${Q.valueRealization}`,
        motions: `too new to pitch: ${Q.tenure}`,
      },
      debatable: 'they may simply have bought too few seats; a CSM could fix that during onboarding',
    },
  },
  {
    id: 'S15-four-months-88', plan: 'growth', seats: 40, tenure: 120,
    usage: { seat: [[99, 0.7], [42, 0.88], [0, 0.88]] },
    label: {
      health: 'green', timing: 'now', motions: ['seat_add'], seats: seatRange(40, 0.88),
      why: {
        health: `four months in and growing: ${Q.green}`,
        timing: `past 3 months: ${Q.valueRealization}`,
        motions: Q.sixWeeks,
        seats: Q.exactly,
      },
    },
  },
  {
    id: 'S16-starter-wobbling-82', plan: 'starter', seats: 15,
    usage: { seat: ramp(0.7, 0.83, 99, 60) },
    label: {
      health: 'green', timing: 'now', motions: ['seat_add'], seats: seatRange(15, 0.83),
      why: {
        health: `no risk; 12-13 of 15 seats for two months: ${Q.flags}`,
        timing: Q.twoWeeks,
        motions: Q.within8090,
        seats: Q.exactly,
      },
    },
  },
];
