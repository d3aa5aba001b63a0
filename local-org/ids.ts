/**
 * Salesforce record ids: 15 case-sensitive characters (key prefix, pod, reserved, counter) plus the
 * 3-character case-safe suffix that encodes which of the 15 characters are upper case.
 */

const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const ID_PATTERN = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

/** The 3-character suffix: each 5-character chunk gives a 5-bit mask of its upper-case letters. */
export function caseSafeSuffix(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charCodeAt(chunk * 5 + i);
      if (c >= 65 && c <= 90) bits |= 1 << i;
    }
    suffix += SUFFIX_ALPHABET[bits];
  }
  return suffix;
}

export function to18(id: string): string {
  const id15 = id.slice(0, 15);
  return id15 + caseSafeSuffix(id15);
}

export function isIdLike(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value);
}

/** A 15- or 18-character id in its 18-character form, or undefined when it isn't id-shaped. */
export function normalizeId(value: unknown): string | undefined {
  if (!isIdLike(value)) return undefined;
  // Most ids the org sees are its own 18-character ones, suffix already right: returned as they are, no new string.
  return value.length === 18 && hasOwnSuffix(value) ? value : to18(value);
}

/** Whether an 18-character id's last 3 characters are the case-safe suffix of its first 15 (caseSafeSuffix, without building it). */
function hasOwnSuffix(id18: string): boolean {
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id18.charCodeAt(chunk * 5 + i);
      if (c >= 65 && c <= 90) bits |= 1 << i;
    }
    if (SUFFIX_ALPHABET.charCodeAt(bits) !== id18.charCodeAt(15 + chunk)) return false;
  }
  return true;
}

/** The pod segment is fixed ("8d" + reserved "0") so ids look like a single-instance org's. */
export function makeId(keyPrefix: string, counter: number): string {
  let digits = '';
  let n = counter;
  for (let i = 0; i < 9; i++) {
    digits = BASE62[n % 62] + digits;
    n = Math.floor(n / 62);
  }
  return to18(`${keyPrefix}8d0${digits}`);
}
