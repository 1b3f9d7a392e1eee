import type { Evidence } from '../model/assessment.ts';
import { adjacentScore, type AffinityProfile, type FeatureSpace } from './affinity-features.ts';
import type { ScoringConfig } from './config.ts';
import { round2 } from './days.ts';
import { wholePercent } from './evidence.ts';

/**
 * Cross-sell affinity (seed 000: "which accounts look most like the accounts that adopted Product B"):
 * k-nearest-neighbour matching over z-scored usage features against a fixed reference sample of each
 * module's adopters and non-adopters. The vote is re-weighted by the portfolio's real adoption rate,
 * so sampling half adopters does not inflate the probability. Linear in accounts: each account is
 * compared with at most `crossSell.referenceSize` peers per module.
 */
export interface AffinityModel {
  readonly space: FeatureSpace;
  readonly means: Float64Array;
  readonly scales: Float64Array;
  readonly modules: ReadonlyMap<string, ModuleReference>;
}

/** Adopters and accounts in a group of comparable accounts. */
interface Tally {
  adopters: number;
  total: number;
}

interface ModuleReference {
  readonly adopters: number;
  readonly portfolio: number;
  /** By plan and size band (`plan|band`), and by plan alone: the adoption rates lift is measured against. */
  readonly cohorts: ReadonlyMap<string, Tally>;
  readonly plans: ReadonlyMap<string, Tally>;
  /**
   * Where the adjacent-feature milestone separates adopters from the rest: adopters' lower quartile of use,
   * above the rest's upper quartile. Undefined when it does not separate them (everyone uses dashboards),
   * so reaching it confirms nothing.
   */
  readonly milestoneAt: number | undefined;
  /** Normalised vectors of the sampled peers, with whether each owns the module. */
  readonly peers: ReadonlyArray<{ readonly accountId: string; readonly vector: Float64Array; readonly owns: boolean }>;
  /** Vote weight of an adopter and a non-adopter, from the true adoption rate over the sampled shares. */
  readonly weightAdopter: number;
  readonly weightOther: number;
}

export function buildAffinityModel(
  profiles: readonly AffinityProfile[],
  space: FeatureSpace,
  config: ScoringConfig,
): AffinityModel {
  const { means, scales } = normaliser(profiles, space.names.length);
  const modules = new Map<string, ModuleReference>();
  // Deterministic sample: by a hash of the id, so the same portfolio always matches the same peers.
  const ordered = [...profiles].sort(
    (a, b) => hash(a.accountId) - hash(b.accountId) || a.accountId.localeCompare(b.accountId),
  );
  const half = Math.max(1, Math.floor(config.crossSell.referenceSize / 2));
  for (const module of config.catalog.modules) {
    const owners = ordered.filter((p) => p.modulesOwned.has(module.id));
    if (owners.length < config.crossSell.minAdopters) continue;
    const others = ordered.filter((p) => !p.modulesOwned.has(module.id));
    const sample = [...owners.slice(0, half), ...others.slice(0, half)];
    const sampledOwners = Math.min(half, owners.length);
    const rate = owners.length / profiles.length;
    const sampledShare = sampledOwners / sample.length;
    modules.set(module.id, {
      adopters: owners.length,
      portfolio: profiles.length,
      ...tallies(profiles, module.id),
      milestoneAt: milestoneLevel(profiles, module.id, space.adjacentFor.get(module.id) ?? []),
      peers: sample.map((p) => ({
        accountId: p.accountId,
        vector: normalise(p.vector, means, scales),
        owns: p.modulesOwned.has(module.id),
      })),
      weightAdopter: sampledShare > 0 ? rate / sampledShare : 0,
      weightOther: sampledShare < 1 ? (1 - rate) / (1 - sampledShare) : 0,
    });
  }
  return { space, means, scales, modules };
}

function tallies(
  profiles: readonly AffinityProfile[],
  moduleId: string,
): { cohorts: Map<string, Tally>; plans: Map<string, Tally> } {
  const cohorts = new Map<string, Tally>();
  const plans = new Map<string, Tally>();
  const add = (map: Map<string, Tally>, key: string, owns: boolean): void => {
    const tally = map.get(key) ?? { adopters: 0, total: 0 };
    tally.total += 1;
    if (owns) tally.adopters += 1;
    map.set(key, tally);
  };
  for (const p of profiles) {
    const owns = p.modulesOwned.has(moduleId);
    add(plans, p.plan ?? '', owns);
    add(cohorts, cohortKey(p), owns);
  }
  return { cohorts, plans };
}

function milestoneLevel(
  profiles: readonly AffinityProfile[],
  moduleId: string,
  dims: readonly number[],
): number | undefined {
  const adopters: number[] = [];
  const others: number[] = [];
  for (const p of profiles) {
    const score = adjacentScore(p.vector, dims);
    if (score !== undefined) (p.modulesOwned.has(moduleId) ? adopters : others).push(score);
  }
  if (adopters.length === 0 || others.length === 0) return undefined;
  const level = quantile(adopters, 0.25);
  return level > 0 && level > quantile(others, 0.75) ? level : undefined;
}

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

const cohortKey = (p: AffinityProfile): string => `${p.plan ?? ''}|${p.sizeBand ?? ''}`;

/**
 * The adoption rate among accounts comparable to this one: the same plan and size band when there are
 * enough of them, else the same plan, else the whole portfolio. Looking like an adopter means something
 * only against accounts that could have bought the module just as easily.
 */
function comparableRate(
  reference: ModuleReference,
  profile: AffinityProfile,
  minComparable: number,
): { rate: number; group: 'cohort' | 'plan' | 'portfolio'; size: number } {
  const cohort = reference.cohorts.get(cohortKey(profile));
  if (cohort !== undefined && cohort.total >= minComparable)
    return { rate: cohort.adopters / cohort.total, group: 'cohort', size: cohort.total };
  const plan = reference.plans.get(profile.plan ?? '');
  if (plan !== undefined && plan.total >= minComparable)
    return { rate: plan.adopters / plan.total, group: 'plan', size: plan.total };
  return { rate: reference.adopters / reference.portfolio, group: 'portfolio', size: reference.portfolio };
}

export interface AffinityEvidence {
  readonly probability: Evidence;
  readonly adopterNeighbours: Evidence;
  readonly neighbours: Evidence;
  readonly adopters: Evidence;
  readonly portfolio: Evidence;
  readonly peers: readonly Evidence[];
}

export interface AffinityScore {
  /** 0..1, the re-weighted share of nearest peers that own the module. */
  readonly probability: number;
  /** Share of comparable accounts (same plan and size band) that own the module: the rate lift is measured against. */
  readonly baseRate: number;
  /** probability / baseRate: how much more the account looks like an adopter than its comparable accounts are. */
  readonly lift: number;
  /** True when the account uses the module's adjacent features at the level that separates adopters from the rest. */
  readonly milestoneReached: boolean;
  /** Matched adopter peers, nearest first. */
  readonly peerIds: readonly string[];
  readonly evidence: AffinityEvidence;
}

/** Undefined when the module has too few adopters, or the account has no usage features to match on. */
export function scoreAffinity(
  model: AffinityModel,
  profile: AffinityProfile,
  moduleId: string,
  config: ScoringConfig,
): AffinityScore | undefined {
  const reference = model.modules.get(moduleId);
  if (
    reference === undefined ||
    !profile.vector.some((v, i) => model.space.names[i]?.startsWith('events.') === true && !Number.isNaN(v))
  )
    return undefined;
  const vector = normalise(profile.vector, model.means, model.scales);
  const skip = new Set(model.space.excludedFor.get(moduleId) ?? []);
  const nearest = nearestPeers(vector, reference, { skip, self: profile.accountId, k: config.crossSell.neighbours });
  if (nearest.length === 0) return undefined;
  let owned = 0;
  let total = 0;
  let adopterCount = 0;
  for (const n of nearest) {
    const w = n.owns ? reference.weightAdopter : reference.weightOther;
    total += w;
    if (n.owns) {
      owned += w;
      adopterCount += 1;
    }
  }
  const probability = round2(total > 0 ? owned / total : 0);
  const peers = nearest.filter((n) => n.owns).slice(0, config.crossSell.peersShown);
  const evidence: AffinityEvidence = {
    probability: {
      metric: 'cross_sell_affinity',
      value: wholePercent(probability),
      unit: 'percent',
      window: 'last 30 days of usage',
      comparison: `nearest ${nearest.length} peers, weighted by the portfolio adoption rate`,
      source: 'derived',
    },
    adopterNeighbours: {
      metric: 'nearest_peers_owning_module',
      value: adopterCount,
      unit: 'count',
      window: moduleId,
      source: 'derived',
    },
    neighbours: { metric: 'nearest_peers', value: nearest.length, unit: 'count', window: moduleId, source: 'derived' },
    adopters: {
      metric: 'module_adopters_in_portfolio',
      value: reference.adopters,
      unit: 'count',
      window: moduleId,
      source: 'crm',
    },
    portfolio: {
      metric: 'accounts_in_portfolio',
      value: reference.portfolio,
      unit: 'count',
      window: 'this run',
      source: 'crm',
    },
    peers: peers.map((p) => ({
      metric: 'peer_similarity',
      value: wholePercent(p.similarity),
      unit: 'percent',
      window: p.accountId,
      comparison: `peer ${p.accountId} owns ${moduleId}`,
      source: 'derived',
    })),
  };
  const base = comparableRate(reference, profile, config.crossSell.minComparable);
  const lift = base.rate > 0 ? probability / base.rate : probability > 0 ? Number.POSITIVE_INFINITY : 0;
  const adjacent = adjacentScore(profile.vector, model.space.adjacentFor.get(moduleId) ?? []);
  const milestoneReached =
    reference.milestoneAt !== undefined && adjacent !== undefined && adjacent >= reference.milestoneAt;
  return { probability, baseRate: base.rate, lift, milestoneReached, peerIds: peers.map((p) => p.accountId), evidence };
}

interface Neighbour {
  readonly accountId: string;
  readonly owns: boolean;
  readonly distance: number;
  readonly similarity: number;
}

function nearestPeers(
  vector: Float64Array,
  reference: ModuleReference,
  options: { readonly skip: ReadonlySet<number>; readonly self: string; readonly k: number },
): Neighbour[] {
  const best: Neighbour[] = [];
  for (const peer of reference.peers) {
    if (peer.accountId === options.self) continue;
    const distance = distanceBetween(vector, peer.vector, options.skip);
    if (distance === undefined) continue;
    if (best.length === options.k && distance >= (best.at(-1)?.distance ?? Infinity)) continue;
    const entry = { accountId: peer.accountId, owns: peer.owns, distance, similarity: 1 / (1 + distance) };
    let i = best.length;
    while (i > 0 && (best[i - 1]?.distance ?? 0) > distance) i -= 1;
    best.splice(i, 0, entry);
    if (best.length > options.k) best.pop();
  }
  return best;
}

/** Euclidean distance over the dimensions both vectors have, scaled up to the full dimension count. */
function distanceBetween(a: Float64Array, b: Float64Array, skip: ReadonlySet<number>): number | undefined {
  let sum = 0;
  let used = 0;
  let possible = 0;
  for (let i = 0; i < a.length; i += 1) {
    if (skip.has(i)) continue;
    possible += 1;
    const x = a[i] ?? Number.NaN;
    const y = b[i] ?? Number.NaN;
    if (Number.isNaN(x) || Number.isNaN(y)) continue;
    sum += (x - y) ** 2;
    used += 1;
  }
  return used === 0 ? undefined : Math.sqrt((sum * possible) / used);
}

function normaliser(profiles: readonly AffinityProfile[], size: number): { means: Float64Array; scales: Float64Array } {
  const means = new Float64Array(size);
  const scales = new Float64Array(size).fill(1);
  for (let i = 0; i < size; i += 1) {
    let n = 0;
    let sum = 0;
    let squares = 0;
    for (const p of profiles) {
      const v = p.vector[i] ?? Number.NaN;
      if (Number.isNaN(v)) continue;
      n += 1;
      sum += v;
      squares += v * v;
    }
    if (n === 0) continue;
    const mean = sum / n;
    const sd = Math.sqrt(Math.max(0, squares / n - mean * mean));
    means[i] = mean;
    scales[i] = sd > 1e-9 ? sd : 1;
  }
  return { means, scales };
}

function normalise(vector: Float64Array, means: Float64Array, scales: Float64Array): Float64Array {
  const out = new Float64Array(vector.length);
  for (let i = 0; i < vector.length; i += 1) out[i] = ((vector[i] ?? Number.NaN) - (means[i] ?? 0)) / (scales[i] ?? 1);
  return out;
}

/** FNV-1a: a stable, spread-out order for sampling. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}
