import { createHash } from 'node:crypto';

/**
 * The selection-bias controls of the outcome loop, by hash so every run, process and machine draws the same
 * sets without storing them: the holdout (accounts never pitched, the baseline uplift is measured against)
 * and exploration (opportunities pitched past their owner's capacity, with the probability logged).
 */

/** A uniform draw in [0, 1) from the first 48 bits of sha256(salt, system, id). */
export function hashUnit(salt: string, system: string, id: string): number {
  const digest = createHash('sha256').update(`${salt}\u0000${system}\u0000${id}`).digest();
  return digest.readUIntBE(0, 6) / 2 ** 48;
}

const HOLDOUT_SALT = 'expansion-sync/holdout/v1';
const EXPLORATION_SALT = 'expansion-sync/exploration/v1';

/** The account's draw in [0, 1): it is in the holdout for every `learning.holdoutShare` above it. */
export function holdoutDraw(system: string, accountId: string): number {
  return hashUnit(HOLDOUT_SALT, system, accountId);
}

/** Whether the account is in the never-pitched holdout (`learning.holdoutShare`): no deal and no note, ever. */
export function isHoldout(system: string, accountId: string, share: number): boolean {
  return share > 0 && holdoutDraw(system, accountId) < share;
}

/**
 * Whether an opportunity queued behind its owner's capacity is pitched anyway (`learning.explorationShare`).
 * `id` names the opportunity and the period (account, motion, module, cycle), so each period draws afresh
 * while reruns within it agree.
 */
export function explorationPick(system: string, id: string, share: number): boolean {
  return share > 0 && hashUnit(EXPLORATION_SALT, system, id) < share;
}

/**
 * The probability an opportunity was pitched under these settings, for reweighting: an account outside the
 * holdout is pitched when its owner has capacity; past capacity only when exploration picks it.
 */
export function pitchPropensity(options: {
  readonly holdoutShare: number;
  readonly explorationShare: number;
  readonly pastCapacity: boolean;
}): number {
  const outside = 1 - options.holdoutShare;
  return options.pastCapacity ? outside * options.explorationShare : outside;
}
