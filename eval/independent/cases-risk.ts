import { flat, ramp, seatRange, type Case } from './case.ts';
import { Q } from './quotes.ts';

/** Churn indicators alone and together, on quiet accounts and on accounts with expansion signals. */
export const RISK_CASES: readonly Case[] = [
  {
    id: 'R01-champion-left-last-month', plan: 'growth', seats: 50, championLeftAgo: 30,
    usage: { seat: flat(0.7) },
    label: {
      health: 'yellow', timing: '90d', motions: [],
      why: { health: Q.champion, timing: Q.newChampion, motions: 'no expansion signal' },
    },
  },
  {
    id: 'R02-invoice-45-overdue', plan: 'growth', seats: 40, overdue: 45,
    usage: { seat: flat(0.65) },
    label: {
      health: 'yellow', timing: '90d', motions: [],
      why: { health: Q.payment, timing: Q.noEscalations, motions: 'no expansion signal' },
      debatable: 'hold is as defensible as 90d for a yellow account with nothing to pitch',
    },
  },
  {
    id: 'R03-three-escalations', plan: 'growth', seats: 60, escalations: 3, nps: 6,
    usage: { seat: flat(0.65) },
    label: {
      health: 'red', timing: 'hold', motions: [],
      why: { health: `three open escalations and a detractor NPS (6): ${Q.red}`, timing: Q.flags, motions: Q.flags },
    },
  },
  {
    id: 'R04-nps-2', plan: 'starter', seats: 30, nps: 2, csat: 60,
    usage: { seat: flat(0.6) },
    label: {
      health: 'red', timing: 'hold', motions: [],
      why: { health: `NPS 2, CSAT 60: ${Q.unhappy}`, timing: Q.flags, motions: Q.flags },
    },
  },
  {
    id: 'R05-usage-down-33', plan: 'growth', seats: 50,
    usage: { seat: ramp(0.72, 0.66, 42, 0), dau: ramp(0.75, 0.5, 42, 0) },
    label: {
      health: 'red', timing: 'hold', motions: [],
      why: { health: `active use down a third in six weeks: ${Q.red}`, timing: Q.flags, motions: Q.flags },
    },
  },
  {
    id: 'R06-usage-down-12', plan: 'growth', seats: 45,
    usage: { seat: flat(0.68), dau: ramp(0.75, 0.66, 30, 0) },
    label: {
      health: 'yellow', timing: '90d', motions: [],
      why: { health: `a mild decline: not flat, not yet churn (${Q.yellow})`, timing: Q.monitor, motions: 'no signal' },
      debatable: 'a 12% dip can be noise or season; green-flat is defensible',
    },
  },
  {
    id: 'R07-invoice-95-overdue', plan: 'enterprise', seats: 100, modules: ['reporting'], overdue: 95,
    usage: { seat: flat(0.7) },
    label: {
      health: 'red', timing: 'hold', motions: [],
      why: { health: `three months unpaid: ${Q.payment}`, timing: Q.flags, motions: Q.flags },
    },
  },
  {
    id: 'R08-champion-left-usage-down', plan: 'growth', seats: 40, championLeftAgo: 14,
    usage: { seat: flat(0.7), dau: ramp(0.75, 0.6, 30, 0) },
    label: {
      health: 'red', timing: 'hold', motions: [],
      why: { health: `champion gone and use falling: ${Q.champion}`, timing: Q.atRisk, motions: Q.flags },
    },
  },
  {
    id: 'R09-crunch-new-sponsor-after-departure', plan: 'growth', seats: 50, championLeftAgo: 40, execAgo: 10,
    usage: { seat: ramp(0.75, 0.88, 99, 50) },
    label: {
      health: 'yellow', timing: '30d', motions: ['seat_add'], seats: seatRange(50, 0.88),
      why: {
        health: `champion left, but an executive engaged 10 days ago: ${Q.exec}`,
        timing: `the new sponsor shortens ${Q.newChampion}`,
        motions: Q.sixWeeks,
        seats: Q.exactly,
      },
      debatable: `${Q.green} ("new champion introduced") would make it green/now`,
    },
  },
  {
    id: 'R10-csv-imports-one-escalation', plan: 'growth', seats: 45, escalations: 1,
    usage: { seat: flat(0.7), perUser: { csv_imports: 0.6 } },
    label: {
      health: 'yellow', timing: '30d', motions: ['module_cross_sell:integrations'],
      why: {
        health: `an open escalation: ${Q.noEscalations}`,
        timing: 'resolve the escalation first, then the integration conversation',
        motions: Q.manual,
      },
      debatable: 'one escalation on a 45-seat account is routine; green/now is defensible',
    },
  },
  {
    id: 'R11-low-csat', plan: 'growth', seats: 40, csat: 55,
    usage: { seat: flat(0.66) },
    label: {
      health: 'yellow', timing: '90d', motions: [],
      why: { health: `CSAT 55: ${Q.satisfaction}`, timing: Q.monitor, motions: 'no signal' },
    },
  },
  {
    id: 'R12-passive-nps-crunch', plan: 'growth', seats: 45, nps: 7,
    usage: { seat: ramp(0.74, 0.88, 99, 50) },
    label: {
      health: 'green', timing: 'now', motions: ['seat_add'], seats: seatRange(45, 0.88),
      why: {
        health: `NPS 7 is passive, not unhappy: ${Q.flags}`,
        timing: Q.sixWeeks,
        motions: Q.sixWeeks,
        seats: Q.exactly,
      },
    },
  },
  {
    id: 'R13-nothing-on-file', plan: 'growth', seats: 35, sparse: true,
    usage: { seat: flat(0.62) },
    label: {
      health: 'yellow', timing: '90d', motions: [],
      why: {
        health: `no NPS, CSAT or renewal on file is unknown, not risk: ${Q.yellow}`,
        timing: Q.monitor,
        motions: 'no signal',
      },
    },
  },
  {
    id: 'R14-crunch-invoice-20-late', plan: 'growth', seats: 60, overdue: 20,
    usage: { seat: ramp(0.75, 0.9, 99, 50) },
    label: {
      health: 'green', timing: 'now', motions: ['seat_add'], seats: seatRange(60, 0.9),
      why: {
        health: '20 days late is ordinary AP lag, not a churn indicator',
        timing: Q.sixWeeks,
        motions: Q.sixWeeks,
        seats: Q.exactly,
      },
      debatable: `${Q.payment} read literally makes any late invoice a blocker`,
    },
  },
  {
    id: 'R15-several-mild-risks', plan: 'growth', seats: 50, nps: 5, escalations: 1,
    usage: { seat: flat(0.7), dau: ramp(0.75, 0.67, 30, 0) },
    label: {
      health: 'red', timing: 'hold', motions: [],
      why: {
        health: `detractor, escalation and a dip together: ${Q.single} (risk side too)`,
        timing: Q.flags,
        motions: Q.flags,
      },
      debatable: 'each risk is mild; yellow is defensible',
    },
  },
  {
    id: 'R16-three-weeks-old-ramping', plan: 'starter', seats: 20, tenure: 21,
    usage: { seat: ramp(0.3, 0.55, 21, 0) },
    label: {
      health: 'green', timing: '90d', motions: [],
      why: { health: `onboarding on track: ${Q.green}`, timing: Q.valueRealization, motions: Q.tenure },
      debatable: 'too little history to call health; yellow is defensible',
    },
  },
  {
    id: 'R17-renewal-20d-flat', plan: 'growth', seats: 40, nps: 8, renewalIn: 20,
    usage: { seat: flat(0.62) },
    label: {
      health: 'yellow', timing: '90d', motions: [],
      why: { health: Q.yellow, timing: `after the renewal: ${Q.renewalWorst}`, motions: 'no signal' },
    },
  },
  {
    id: 'R18-renewal-25d-declining-detractor', plan: 'growth', seats: 45, nps: 4, renewalIn: 25,
    usage: { seat: flat(0.68), dau: ramp(0.75, 0.56, 35, 0) },
    label: {
      health: 'red', timing: 'hold', motions: [],
      why: { health: `decline, NPS 4, renewal in 25 days: ${Q.red}`, timing: Q.flags, motions: Q.flags },
    },
  },
  {
    id: 'R19-old-departure-growing-crunch', plan: 'growth', seats: 50, championLeftAgo: 240,
    usage: { seat: ramp(0.7, 0.86, 99, 40), dau: ramp(0.7, 0.76, 99, 40) },
    label: {
      health: 'green', timing: 'now', motions: ['seat_add'], seats: seatRange(50, 0.86),
      why: {
        health: `the champion left eight months ago and use has grown since: ${Q.green}`,
        timing: Q.sixWeeks,
        motions: Q.within8090,
        seats: Q.exactly,
      },
    },
  },
  {
    id: 'R20-three-mid-risks', plan: 'growth', seats: 40, escalations: 1, overdue: 30, championLeftAgo: 45,
    usage: { seat: flat(0.68) },
    label: {
      health: 'red', timing: 'hold', motions: [],
      why: { health: `escalation, late invoice, champion gone: ${Q.atRisk}`, timing: Q.flags, motions: Q.flags },
    },
  },
  {
    id: 'R21-enterprise-crunch-four-escalations', plan: 'enterprise', seats: 250, escalations: 4, nps: 6,
    modules: ['reporting', 'automation', 'integrations'],
    usage: { seat: ramp(0.8, 0.9, 99, 50) },
    label: {
      health: 'red', timing: 'hold', motions: [],
      why: { health: `four open escalations: ${Q.red}`, timing: Q.flags, motions: `${Q.noEscalations}; ${Q.flags}` },
    },
  },
  {
    id: 'R22-detractor-but-growing', plan: 'growth', seats: 30, nps: 4,
    usage: { seat: ramp(0.7, 0.84, 99, 40), dau: ramp(0.7, 0.76, 99, 40) },
    label: {
      health: 'red', timing: 'hold', motions: [],
      why: { health: `NPS 4: ${Q.unhappy}`, timing: Q.flags, motions: Q.unhappy },
      debatable: 'growing use contradicts the survey; yellow/30d with a seat add is defensible',
    },
  },
  {
    id: 'R23-nps-6-flat', plan: 'growth', seats: 50, nps: 6,
    usage: { seat: flat(0.66) },
    label: {
      health: 'yellow', timing: '90d', motions: [],
      why: { health: `NPS 6, flat: ${Q.yellow}`, timing: Q.monitor, motions: 'no signal' },
    },
  },
];
