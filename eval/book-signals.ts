import type { ModuleId, PlanName } from './catalog.ts';
import { pick } from './prng.ts';
import { compose, type Draft, type Trait } from './scenario.ts';
import {
  graduation,
  renewalIn,
  seatCrunch,
  supportTrait,
  SUPPORTS,
  usageGrowth,
  workaround,
  type Support,
} from './traits.ts';

/** Every expansion signal alone and in combination, on healthy accounts of every plan and size. */

const MAIN = ['seat', 'growth', 'graduation', 'workaround', 'support'] as const;
type Main = (typeof MAIN)[number];
const WORKAROUND_MODULES: readonly ModuleId[] = ['reporting', 'automation', 'integrations'];
const SIZES = [24, 40, 64, 120, 30] as const;

const NOTES: Readonly<Record<Main, string>> = {
  seat: 'seat utilization 84-92% sustained (seed 004 Seat Limit >80%)',
  growth: 'active users +32% month over month (seed 000 usage growth)',
  graduation: '2 higher-plan features x10 events (seed 004 Feature Graduation)',
  workaround: 'heavy module workaround (seed 001 whitespace: doing by hand what the module automates)',
  support: 'a supporting signal (seed 004 signal table)',
};

/** One account per subset of the main signals (a bit mask over MAIN) and variant (plan, size, module). */
function comboDraft(mask: number, variant: number): Draft {
  const on = MAIN.filter((_, i) => (mask & (1 << i)) !== 0);
  const has = (m: Main): boolean => on.includes(m);
  const plans: readonly PlanName[] = has('graduation') ? ['starter', 'growth'] : ['starter', 'growth', 'enterprise'];
  const module = pick(WORKAROUND_MODULES, mask + variant);
  const support: Support = pick(SUPPORTS, mask * 3 + variant);
  const traits: Trait[] = [];
  if (has('seat')) traits.push(seatCrunch);
  if (has('growth')) traits.push(usageGrowth());
  if (has('graduation')) traits.push(graduation());
  if (has('workaround')) traits.push(workaround(module));
  if (has('support')) traits.push(supportTrait(support));
  const name = on.map((m) => (m === 'workaround' ? `wa-${module}` : m === 'support' ? support : m)).join('+');
  const base: Draft = {
    id: `combo-${name}-${variant}`,
    archetype: `signals: ${on.length === 1 ? 'alone' : 'combined'}`,
    note: on.map((m) => NOTES[m]).join(' + '),
    plan: pick(plans, mask + variant),
    seats: pick(SIZES, mask + variant * 2),
    // An owned module the signals do not involve: whitespace is judged per module.
    ...(variant === 2 && module !== 'reporting' ? { modules: ['api'] } : {}),
  };
  return compose(base, ...traits);
}

function supportSingles(): Draft[] {
  return SUPPORTS.flatMap((kind, i) =>
    [0, 1].map((v) =>
      compose(
        {
          id: `single-${kind}-${v}`,
          archetype: 'signals: supporting alone',
          plan: pick(['growth', 'starter', 'enterprise'], i + v),
          seats: pick(SIZES, i + v),
          note: `only ${kind} on steady usage: green, no motion, no rush (seed 004 signal table)`,
        },
        supportTrait(kind),
      ),
    ),
  );
}

function renewalWindow(): Draft[] {
  const extras: ReadonlyArray<[string, Trait | undefined]> = [
    ['alone', undefined],
    ['seat', seatCrunch],
    ['graduation', graduation()],
    ['workaround', workaround('automation')],
  ];
  return extras.flatMap(([name, trait]) =>
    [0, 1].map((v) =>
      compose(
        {
          id: `renewal-window-${name}-${v}`,
          archetype: 'renewal: 91-120 days out',
          plan: v === 0 ? 'starter' : 'growth',
          seats: v === 0 ? 40 : 64,
          note: `renewal ${100 + v * 12} days out${trait === undefined ? '' : ` + ${name}`} (seed 003 90-120 days before)`,
        },
        renewalIn(100 + v * 12),
        ...(trait === undefined ? [] : [trait]),
      ),
    ),
  );
}

function quiet(): Draft[] {
  return Array.from({ length: 10 }, (_, i) => ({
    id: `quiet-${i}`,
    archetype: 'quiet: no signal',
    plan: pick(['starter', 'growth', 'enterprise'], i),
    seats: pick([12, 24, 40, 80, 200], i),
    note: 'steady usage at ~60% of seats, no signal (seed 000 yellow light: healthy but flat)',
  }));
}

export function signalDrafts(): Draft[] {
  const combos: Draft[] = [];
  for (let mask = 1; mask < 1 << MAIN.length; mask += 1) {
    for (let v = 0; v < 3; v += 1) combos.push(comboDraft(mask, v));
  }
  return [...combos, ...supportSingles(), ...renewalWindow(), ...quiet()];
}
