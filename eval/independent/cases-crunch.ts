import { flat, ramp, seatRange, step, type Case } from './case.ts';
import { Q } from './quotes.ts';

/** More seat situations: just under the line, data gaps, over the license, seat pressure beside a risk. */
export const CRUNCH_CASES: readonly Case[] = [
  {
    id: 'S17-flat-78', plan: 'growth', seats: 100, nps: 8,
    usage: { seat: ramp(0.72, 0.78, 99, 63) },
    label: {
      health: 'yellow', timing: '90d', motions: [],
      why: {
        health: Q.yellow,
        timing: `no pull signal yet: ${Q.monitor}`,
        motions: `78% is under the line most seeds use: ${Q.seatLimit}`,
      },
      debatable: `${Q.seventyFive} would already trigger; so would ${Q.seventy}`,
    },
  },
  {
    id: 'S18-enterprise-300-rising', plan: 'enterprise', seats: 300, nps: 9, execAgo: 14,
    usage: { seat: ramp(0.78, 0.86, 99, 30), dau: ramp(0.72, 0.76, 99, 30) },
    label: {
      health: 'green', timing: 'now', motions: ['seat_add'], seats: seatRange(300, 0.86),
      why: {
        health: `promoter, exec meeting two weeks ago, rising use: ${Q.green}`,
        timing: `over 80% for about two months: ${Q.twoWeeks}`,
        motions: Q.within8090,
        seats: Q.exactly,
      },
    },
  },
  {
    id: 'S19-crunch-invoice-45-overdue', plan: 'growth', seats: 40, overdue: 45,
    usage: { seat: ramp(0.72, 0.9, 99, 45) },
    label: {
      health: 'yellow', timing: '30d', motions: ['seat_add'], seats: seatRange(40, 0.9),
      why: {
        health: `invoice 45 days late: ${Q.payment}`,
        timing: `get the invoice paid first: ${Q.noEscalations}`,
        motions: `the crunch stands: ${Q.sixWeeks}`,
        seats: Q.exactly,
      },
      debatable: 'late payment can be AP process, not intent; others would withhold the deal until paid',
    },
  },
  {
    id: 'S20-crunch-sparse-seat-data', plan: 'growth', seats: 35,
    usage: { seat: ramp(0.7, 0.9, 99, 50), seatGaps: 0.5 },
    label: {
      health: 'green', timing: 'now', motions: ['seat_add'], seats: seatRange(35, 0.9),
      why: {
        health: `no risk, rising seats: ${Q.green}`,
        timing: `seven weeks at 90% on the days measured: ${Q.sixWeeks}`,
        motions: 'half the seat counts are missing, but every collected one says 90%',
        seats: Q.exactly,
      },
    },
  },
  {
    id: 'S21-ten-of-ten', plan: 'starter', seats: 10, nps: 10,
    usage: { seat: ramp(0.8, 1, 99, 70) },
    label: {
      health: 'green', timing: 'now', motions: ['seat_add'], seats: seatRange(10, 1),
      why: {
        health: `NPS 10, every seat used: ${Q.green}`,
        timing: Q.twoWeeks,
        motions: Q.seatLimit,
        seats: Q.exactly,
      },
    },
  },
  {
    id: 'S22-over-license-105', plan: 'growth', seats: 70,
    usage: { seat: [[99, 0.86], [30, 0.9], [27, 1.05], [0, 1.05]] },
    label: {
      health: 'green', timing: 'now', motions: ['seat_add'], seats: seatRange(70, 1.05),
      why: {
        health: `no risk, more users than seats: ${Q.flags}`,
        timing: 'already over the license for four weeks: a true-up is due',
        motions: Q.seatLimit,
        seats: `cover the overage plus headroom: ${Q.exactly}`,
      },
    },
  },
  {
    id: 'S23-new-department-82', plan: 'enterprise', seats: 150,
    usage: {
      seat: step(0.65, 0.82, 25),
      teams: {
        engineering: ramp(0.75, 0.62, 28, 25), operations: ramp(0.25, 0.2, 28, 25), marketing: step(0, 0.18, 25),
      },
    },
    label: {
      health: 'green', timing: 'now', motions: ['seat_add'], seats: seatRange(150, 0.82),
      why: {
        health: `a new team adopted it: ${Q.green}`,
        timing: `two signals: ${Q.newDepartment} and 82% of seats for 3+ weeks (${Q.single})`,
        motions: Q.within8090,
        seats: Q.exactly,
      },
    },
  },
  {
    id: 'S24-85-with-power-users', plan: 'growth', seats: 50,
    usage: { seat: ramp(0.74, 0.85, 99, 56), power: { users: 6, topShare: 0.62 } },
    label: {
      health: 'green', timing: 'now', motions: ['seat_add'], seats: seatRange(50, 0.85),
      why: {
        health: `no risk, deep engagement: ${Q.flags}`,
        timing: `seat limit confirmed by power users: ${Q.single}`,
        motions: `${Q.within8090}; ${Q.powerUsers}`,
        seats: Q.exactly,
      },
    },
  },
  {
    id: 'S25-crunch-champion-left', plan: 'growth', seats: 40, championLeftAgo: 21,
    usage: { seat: ramp(0.75, 0.9, 99, 45) },
    label: {
      health: 'yellow', timing: '90d', motions: ['seat_add'], seats: seatRange(40, 0.9),
      why: {
        health: `champion left three weeks ago: ${Q.champion}`,
        timing: Q.newChampion,
        motions: `the need is real (${Q.sixWeeks}); pitch it with the new champion`,
        seats: Q.exactly,
      },
      debatable: 'usage is unaffected so far; 30d is defensible, so is no deal until a new champion exists',
    },
  },
  {
    id: 'S26-crunch-detractor-escalation', plan: 'growth', seats: 50, nps: 3, escalations: 1,
    usage: { seat: ramp(0.8, 0.9, 99, 56) },
    label: {
      health: 'red', timing: 'hold', motions: [],
      why: {
        health: `NPS 3 and an open escalation: ${Q.red}`,
        timing: Q.flags,
        motions: Q.unhappy,
      },
    },
  },
  {
    id: 'S27-seats-held-users-gone', plan: 'growth', seats: 60,
    usage: { seat: flat(0.92), dau: ramp(0.78, 0.5, 40, 0) },
    label: {
      health: 'red', timing: 'hold', motions: [],
      why: {
        health: `active users down ~35% in six weeks: ${Q.red}`,
        timing: Q.flags,
        motions: 'assigned seats are not used seats; nobody buys more shelfware',
      },
    },
  },
  {
    id: 'S28-fast-growth-just-at-80', plan: 'growth', seats: 40,
    usage: { seat: ramp(0.55, 0.81, 99, 4), dau: ramp(0.66, 0.76) },
    label: {
      health: 'green', timing: '30d', motions: ['seat_add'], seats: seatRange(40, 0.81, 0.15),
      why: {
        health: `seats +45% in three months: ${Q.green}`,
        timing: `crossed 80% days ago; confirm it holds: ${Q.twoWeeks}`,
        motions: `the trajectory is unambiguous: ${Q.within8090}`,
        seats: `size for the growth rate: ${Q.exactly}`,
      },
      debatable: 'not yet sustained 2+ weeks, so "no pitch yet" is as defensible',
    },
  },
  {
    id: 'S29-five-of-five', plan: 'starter', seats: 5,
    usage: { seat: ramp(0.8, 1, 99, 60) },
    label: {
      health: 'green', timing: 'now', motions: ['seat_add'], seats: seatRange(5, 1),
      why: {
        health: `no risk, every seat used: ${Q.flags}`,
        timing: Q.twoWeeks,
        motions: Q.seatLimit,
        seats: 'one to three seats: a small deal, still the right one',
      },
      debatable: 'a deal this small (a few hundred a year) may not be worth a CRM opportunity',
    },
  },
  {
    id: 'S30-flat-84-three-months', plan: 'growth', seats: 45, nps: 8,
    usage: { seat: flat(0.84) },
    label: {
      health: 'green', timing: 'now', motions: ['seat_add'], seats: seatRange(45, 0.84),
      why: {
        health: `84% of seats for three months is pull, not flatness: ${Q.flags}`,
        timing: Q.twoWeeks,
        motions: Q.within8090,
        seats: Q.exactly,
      },
      debatable: `${Q.yellow}: a team sized right at 84% may need nothing`,
    },
  },
  {
    id: 'S31-right-at-80-81', plan: 'growth', seats: 50,
    usage: { seat: ramp(0.7, 0.81, 99, 45) },
    label: {
      health: 'green', timing: 'now', motions: ['seat_add'], seats: seatRange(50, 0.81),
      why: {
        health: `no risk, seats rose: ${Q.green}`,
        timing: `six weeks at 80-82%: ${Q.twoWeeks}`,
        motions: Q.seatLimit,
        seats: Q.exactly,
      },
      debatable: 'right at the threshold; 80-82% may read as "approaching" rather than "at"',
    },
  },
];
