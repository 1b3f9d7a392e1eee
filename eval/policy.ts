/**
 * The labelling policy: the seed rules with the product's documented default thresholds, written down
 * before the scorer was tuned. Labels read these numbers, never the scorer's config, so a changed default
 * shows up as a worse figure instead of silently moving the labels with it.
 */
export const POLICY = {
  trend: { windowDays: 28, minDaysPerWindow: 14, trimShare: 0.1, growthAt: 0.2, yellowDecline: -0.1, redDecline: -0.3 },
  seats: { enterAt: 0.8, exitBelow: 0.75, minDays: 14, maxGapDays: 3, staleAfterDays: 7 },
  graduation: { windowDays: 30, minEvents: 5, minFeatures: 2 },
  workaround: { windowDays: 30, perUserPerWeek: 5, minEvents: 20 },
  adjacentPerUserPerWeek: 1,
  headcountGrowthAt: 0.2,
  powerUsers: { minAverage: 3, topShareAt: 0.5 },
  teams: { minActiveUsers: 2, minHistoryDays: 61 },
  executiveWithinDays: 90,
  championWithinDays: 120,
  renewal: { holdWithinDays: 90, windowEndDays: 120 },
  tenureDays: 90,
  risk: { npsAtMost: 6, csatBelow: 70, escalationsAt: 1, overdueDaysAt: 30 },
  red: { npsAtMost: 3, overdueDaysAt: 60, escalationsAt: 3, riskCount: 2 },
  sizing: { recentDays: 28, lowUtilization: 0.8, highUtilization: 0.7, maxAddShare: 0.5, horizonDays: 90, minSeats: 1 },
  minDealArr: 1_000,
} as const;

/**
 * Margins the book keeps from each threshold it does not mean to sit on, so day-to-day noise or a
 * one-day difference in window edges cannot flip a label. Builders throw when a scenario strays inside.
 */
export const MARGIN = { trend: 0.05, ratePerWeek: 1.5, adjacentPerWeek: 0.4 } as const;

/** Seed citations the rationales quote. */
export const SEED = {
  seat: 'seed 004 Seat Limit >80%, seed 000 80%+ sustained 2+ weeks',
  seatDip: 'seed 000 sustained 2+ weeks (hysteresis: a dip above 75% does not end it)',
  growth: 'seed 000 usage growth trend (green light)',
  graduation: 'seed 004 Feature Graduation 2+ advanced features -> tier upgrade',
  workaround: 'seed 000/001 module gap: workarounds a module replaces',
  affinity: 'seed 000 cohort similarity + behavioral milestone',
  watch: 'seed 004 single signals suggest, multiple confirm (resemblance alone is watch)',
  headcount: 'seed 004 Headcount Growth >20% YoY',
  power: 'seed 004 Power Users 3+ in top 10%',
  team: 'seed 004 New Department +1 from baseline',
  exec: 'seed 004 Exec Engagement',
  renewalWindow: 'seed 003 begin expansion 90-120 days before renewal',
  renewalHold: 'seed 000 renewal is mid-evaluation: no pitch',
  ramping: 'seed 003 3+ months consistent usage',
  red: 'seed 000 red light: retention first, no pitch',
  risk: 'seed 003 no escalations, payment current; seed 000 health as qualifier',
  flat: 'seed 000 yellow light: healthy but flat',
  thin: 'too little history to read a trend',
  small: 'policy: under 1,000 a year is not worth a call',
} as const;
