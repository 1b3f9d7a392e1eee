import { flat, ramp, seatRange, step, type Case } from './case.ts';
import { Q } from './quotes.ts';

/** Tier graduation and module workarounds. */
export const MODULE_CASES: readonly Case[] = [
  {
    id: 'M01-growth-two-enterprise-features', plan: 'growth', seats: 60, modules: ['reporting'],
    usage: { seat: flat(0.7), perDay: { audit_log: step(0, 3, 45), sandbox: step(0, 1.5, 40) } },
    label: {
      health: 'green', timing: '30d', motions: ['tier_upgrade'],
      why: {
        health: `healthy and reaching for advanced features: ${Q.breadth}`,
        timing: `${Q.urgencyMedium}; ${Q.tierTiming}`,
        motions: Q.graduation,
      },
    },
  },
  {
    id: 'M02-growth-one-enterprise-feature', plan: 'growth', seats: 45,
    usage: { seat: flat(0.66), perDay: { audit_log: step(0, 3, 45) } },
    label: {
      health: 'yellow', timing: '90d', motions: [],
      why: { health: Q.yellow, timing: Q.monitor, motions: `one advanced feature is not ${Q.graduation}` },
    },
  },
  {
    id: 'M03-starter-using-growth-features', plan: 'starter', seats: 25,
    usage: { seat: flat(0.72), perUser: { scheduled_reports: step(0, 0.25, 60), custom_fields: step(0, 0.3, 60) } },
    label: {
      health: 'green', timing: '30d', motions: ['tier_upgrade'],
      why: { health: `healthy, feature breadth growing: ${Q.breadth}`, timing: Q.urgencyMedium, motions: Q.graduation },
    },
  },
  {
    id: 'M04-starter-graduating-and-crunched', plan: 'starter', seats: 20,
    usage: { seat: ramp(0.75, 0.88, 99, 50), perUser: { scheduled_reports: 0.2, custom_fields: 0.3, sso: 0.6 } },
    label: {
      health: 'green', timing: 'now', motions: ['seat_add', 'tier_upgrade'], seats: seatRange(20, 0.88),
      why: {
        health: `no risk, two pull signals: ${Q.flags}`,
        timing: Q.single,
        motions: `${Q.graduation}; ${Q.within8090}; 004 email: "Upgrade to {{next_tier}} ... and get more seats"`,
        seats: Q.exactly,
      },
      debatable: 'the two could be one deal (upgrade with more seats); the product may size them apart',
    },
  },
  {
    id: 'M05-enterprise-power-users-idle-seats', plan: 'enterprise', seats: 150, modules: ['reporting', 'automation'],
    usage: { seat: flat(0.64), power: { users: 9, topShare: 0.65 } },
    label: {
      health: 'yellow', timing: '90d', motions: [],
      why: {
        health: Q.yellow,
        timing: Q.monitor,
        motions: `${Q.concentrated}, but 36% of seats are idle: an adoption play, not a purchase; no tier above`,
      },
      debatable: `${Q.powerUsers} could be read as a seat-add signal on its own`,
    },
  },
  {
    id: 'M06-stray-clicks-enterprise', plan: 'growth', seats: 50,
    usage: { seat: flat(0.7), once: { audit_log: [[30, 2]], sandbox: [[12, 1]] } },
    label: {
      health: 'yellow', timing: '90d', motions: [],
      why: { health: Q.yellow, timing: Q.monitor, motions: `three clicks in 100 days is not exploring: ${Q.spam}` },
    },
  },
  {
    id: 'M07-graduation-plus-growth', plan: 'growth', seats: 80,
    usage: {
      seat: ramp(0.62, 0.74, 30, 0), dau: ramp(0.6, 0.77, 30, 0),
      perDay: { audit_log: step(0, 4, 42), custom_roles: step(0, 2, 42), sandbox: step(0, 1.5, 35) },
    },
    label: {
      health: 'green', timing: 'now', motions: ['tier_upgrade'],
      why: {
        health: `usage up ~40% in a month: ${Q.green}`,
        timing: `graduation confirmed by growth: ${Q.single}`,
        motions: `${Q.graduation}; ${Q.growth40}`,
      },
    },
  },
  {
    id: 'M08-starter-usage-up-40', plan: 'starter', seats: 30,
    usage: { seat: ramp(0.55, 0.75, 30, 0), dau: ramp(0.65, 0.75, 30, 0) },
    label: {
      health: 'green', timing: '30d', motions: [],
      why: {
        health: Q.green,
        timing: 'seats will cross 80% within weeks at this rate; look again then',
        motions: 'no higher-tier features used and seats at 75%: growth alone names no product',
      },
      debatable: `${Q.growth40} reads as a tier upgrade on growth alone`,
    },
  },
  {
    id: 'M09-heavy-exports-no-reporting', plan: 'growth', seats: 40, modules: ['automation'],
    usage: { seat: flat(0.68), perUser: { exports: 1.6 } },
    label: {
      health: 'green', timing: 'now', motions: ['module_cross_sell:reporting'],
      why: {
        health: `no risk, clear pain: ${Q.flags}`, timing: Q.writesItself, motions: `${Q.workaround}; ${Q.manual}`,
      },
    },
  },
  {
    id: 'M10-heavy-csv-imports-no-integrations', plan: 'growth', seats: 50, modules: ['reporting'],
    usage: { seat: flat(0.7), perUser: { csv_imports: 0.6 } },
    label: {
      health: 'green', timing: 'now', motions: ['module_cross_sell:integrations'],
      why: {
        health: `no risk, clear pain: ${Q.flags}`, timing: Q.writesItself, motions: `${Q.workaround}; ${Q.manual}`,
      },
    },
  },
  {
    id: 'M11-enterprise-adjacent-everything', plan: 'enterprise', seats: 200,
    usage: {
      seat: flat(0.66),
      perUser: { scheduled_reports: 0.5, dashboards: 1.5, custom_fields: 0.8 }, perDay: { webhooks: 60 },
    },
    label: {
      health: 'yellow', timing: '90d', motions: [],
      why: {
        health: Q.yellow,
        timing: Q.monitor,
        motions: `adjacent use with no workaround is resemblance only: ${Q.single}; four pitches would be ${Q.spam}`,
      },
      debatable: `${Q.adjacent}: one module (reporting, the strongest adjacency) could be pitched`,
    },
  },
  {
    id: 'M12-heavy-bulk-edits-no-automation', plan: 'growth', seats: 60, modules: ['integrations'],
    usage: { seat: flat(0.7), perUser: { bulk_edits: 1.3 } },
    label: {
      health: 'green', timing: 'now', motions: ['module_cross_sell:automation'],
      why: { health: `no risk, clear pain: ${Q.flags}`, timing: Q.writesItself, motions: Q.manual },
    },
  },
  {
    id: 'M13-moderate-exports-plus-adjacent', plan: 'growth', seats: 40,
    usage: { seat: flat(0.68), perUser: { exports: 0.5, scheduled_reports: 0.5, dashboards: 1.2 } },
    label: {
      health: 'green', timing: '30d', motions: ['module_cross_sell:reporting'],
      why: {
        health: `no risk, heavy reporting use: ${Q.flags}`,
        timing: 'moderate workaround: a use-case conversation, not an urgent one',
        motions: `workaround plus adjacent use: ${Q.single}`,
      },
      debatable: 'exports at ~6x normal is moderate; "monitor" is defensible',
    },
  },
  {
    id: 'M14-starter-two-workarounds', plan: 'starter', seats: 20,
    usage: { seat: flat(0.7), perUser: { exports: 1.5, csv_imports: 0.5 } },
    label: {
      health: 'green', timing: 'now', motions: ['module_cross_sell:reporting', 'module_cross_sell:integrations'],
      why: { health: `no risk, clear pain: ${Q.flags}`, timing: Q.writesItself, motions: Q.workaround },
    },
  },
  {
    id: 'M15-owns-reporting-still-exports', plan: 'growth', seats: 45, modules: ['reporting'],
    usage: { seat: flat(0.66), perUser: { exports: 1.5 } },
    label: {
      health: 'yellow', timing: '90d', motions: [],
      why: {
        health: `${Q.yellow}; heavy exports despite owning reporting is an adoption gap`,
        timing: Q.monitor,
        motions: 'they own the module the workaround points to: nothing to sell, something to train',
      },
    },
  },
  {
    id: 'M16-webhooks-no-api', plan: 'growth', seats: 35,
    usage: { seat: flat(0.64), perDay: { webhooks: 80 } },
    label: {
      health: 'yellow', timing: '90d', motions: [],
      why: { health: Q.yellow, timing: Q.monitor, motions: `webhooks alone is adjacent use: ${Q.single}` },
      debatable: `${Q.adjacent}: 80 webhook calls a day is a technical team reaching for the API`,
    },
  },
  {
    id: 'M17-enterprise-bulk-edits', plan: 'enterprise', seats: 120, modules: ['reporting', 'integrations'],
    usage: { seat: flat(0.7), perUser: { bulk_edits: 1.2 } },
    label: {
      health: 'green', timing: 'now', motions: ['module_cross_sell:automation'],
      why: { health: `no risk, clear pain: ${Q.flags}`, timing: Q.writesItself, motions: Q.manual },
    },
  },
  {
    id: 'M18-csv-imports-red', plan: 'growth', seats: 45, overdue: 90, escalations: 2,
    usage: { seat: flat(0.68), perUser: { csv_imports: 0.6 } },
    label: {
      health: 'red', timing: 'hold', motions: [],
      why: { health: `90 days unpaid and two escalations: ${Q.red}`, timing: Q.flags, motions: Q.flags },
    },
  },
  {
    id: 'M19-graduation-champion-left', plan: 'growth', seats: 50, championLeftAgo: 30,
    usage: { seat: flat(0.7), perDay: { audit_log: step(0, 3, 50), sandbox: step(0, 2, 45) } },
    label: {
      health: 'yellow', timing: '90d', motions: ['tier_upgrade'],
      why: {
        health: `champion left a month ago: ${Q.champion}`,
        timing: Q.newChampion,
        motions: `${Q.graduation}; it waits for a new champion`,
      },
      debatable: 'no deal until a new champion exists is as defensible',
    },
  },
  {
    id: 'M20-graduation-renewal-50d', plan: 'growth', seats: 55, renewalIn: 50,
    usage: { seat: flat(0.72), perDay: { audit_log: step(0, 3, 42), custom_roles: step(0, 2, 42) } },
    label: {
      health: 'green', timing: 'now', motions: ['tier_upgrade'],
      why: { health: `no risk: ${Q.flags}`, timing: Q.renewalUpgrade, motions: Q.graduation },
      debatable: `seeds conflict: ${Q.renewalWorst}`,
    },
  },
  {
    id: 'M21-starter-two-months-graduating', plan: 'starter', seats: 25, tenure: 60,
    usage: { seat: [[60, 0.6], [35, 0.88], [0, 0.88]], perUser: { scheduled_reports: 0.2, custom_fields: 0.3 } },
    label: {
      health: 'green', timing: '30d', motions: [],
      why: {
        health: `ramping fast, no risk: ${Q.green}`,
        timing: `three months is a month away: ${Q.valueRealization}`,
        motions: `too new: ${Q.tenure}`,
      },
      debatable: 'two strong signals at two months; some would pitch now',
    },
  },
  {
    id: 'M22-three-motions', plan: 'growth', seats: 60, modules: ['api'],
    usage: {
      seat: flat(0.7), perUser: { exports: 1.4, bulk_edits: 1.2 },
      perDay: { audit_log: step(0, 3, 45), sandbox: step(0, 2, 45) },
    },
    label: {
      health: 'green', timing: 'now',
      motions: ['module_cross_sell:reporting', 'module_cross_sell:automation', 'tier_upgrade'],
      why: { health: `no risk: ${Q.flags}`, timing: Q.writesItself, motions: `${Q.workaround}; ${Q.graduation}` },
    },
  },
  {
    id: 'M23-exports-started-three-weeks-ago', plan: 'growth', seats: 40,
    usage: { seat: flat(0.7), perUser: { exports: step(0, 1.5, 21) } },
    label: {
      health: 'green', timing: '30d', motions: ['module_cross_sell:reporting'],
      why: {
        health: `no risk: ${Q.flags}`,
        timing: 'a three-week-old habit: confirm it persists',
        motions: Q.manual,
      },
      debatable: 'three weeks may be a one-off project; waiting with no deal is defensible',
    },
  },
  {
    id: 'M24-light-csv-imports', plan: 'growth', seats: 50,
    usage: { seat: flat(0.68), perUser: { csv_imports: 0.04 } },
    label: {
      health: 'yellow', timing: '90d', motions: [],
      why: { health: Q.yellow, timing: Q.monitor, motions: `about one import a day is not a workaround: ${Q.spam}` },
    },
  },
  {
    id: 'M25-heavy-exports-detractor', plan: 'growth', seats: 45, nps: 4,
    usage: { seat: flat(0.66), perUser: { exports: 1.5 } },
    label: {
      health: 'red', timing: 'hold', motions: [],
      why: { health: `NPS 4: ${Q.unhappy}`, timing: Q.flags, motions: Q.unhappy },
      debatable: 'NPS 4 alone with stable usage could be yellow',
    },
  },
  {
    id: 'M26-starter-sso-only', plan: 'starter', seats: 18,
    usage: { seat: flat(0.67), perUser: { sso: 0.8 } },
    label: {
      health: 'yellow', timing: '90d', motions: [],
      why: { health: Q.yellow, timing: Q.monitor, motions: `one growth feature is not ${Q.graduation}` },
    },
  },
];
