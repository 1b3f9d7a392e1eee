import { mulberry32, type Random } from '../src/demo/portfolio-traits.ts';
/**
 * The book's only source of variation: a seeded mulberry32 generator, one stream per scenario id, so a
 * scenario's usage does not change when scenarios are added or reordered. Never Math.random.
 */
export type { Random } from '../src/demo/portfolio-traits.ts';

/** The demo portfolio's mulberry32: one generator for every synthetic data set in the project. */
export const createRandom = mulberry32;

export const BOOK_SEED = 20_261_120;

/** FNV-1a of the text, mixed with the book seed. */
export function seedFor(text: string, seed = BOOK_SEED): number {
  let hash = 0x811c9dc5 ^ seed;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export const between = (random: Random, low: number, high: number): number => low + (high - low) * random();

export const pick = <T>(items: readonly T[], index: number): T => {
  const item = items[((index % items.length) + items.length) % items.length];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
};
