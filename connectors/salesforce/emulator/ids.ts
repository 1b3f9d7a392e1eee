/**
 * Salesforce record ids: a 3-character key prefix, then 12 case-sensitive base-62 characters (15), plus a
 * 3-character case-insensitive checksum suffix (18). Each suffix character encodes which of 5 characters of
 * one 5-character chunk are upper case (https://help.salesforce.com/s/articleView?id=000385585).
 */
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SUFFIX = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

export function checksumSuffix(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk += 1) {
    let bits = 0;
    for (let i = 0; i < 5; i += 1) {
      const ch = id15.charAt(chunk * 5 + i);
      if (ch >= 'A' && ch <= 'Z') bits |= 1 << i;
    }
    suffix += SUFFIX.charAt(bits);
  }
  return suffix;
}

/** A deterministic 18-character id: prefix, the org's pod characters, then the counter in base 62. */
export function makeId(prefix: string, counter: number): string {
  let digits = '';
  let n = counter;
  do {
    digits = BASE62.charAt(n % 62) + digits;
    n = Math.floor(n / 62);
  } while (n > 0);
  const id15 = `${prefix}Hs${digits.padStart(10, '0')}`;
  return id15 + checksumSuffix(id15);
}

const ID_PATTERN = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-5]{3})?$/;

/** The 18-character form of a 15- or 18-character id, or undefined when it is not an id at all. */
export function normalizeId(raw: string): string | undefined {
  if (!ID_PATTERN.test(raw)) return undefined;
  const id15 = raw.slice(0, 15);
  return id15 + checksumSuffix(id15);
}
