/**
 * Data keyed by user input (spec entries, assignment configurations, CSV columns) lives in null-prototype
 * objects, so a name like "constructor" or "toString" is an entry like any other and never finds
 * Object.prototype's member by accident.
 */

/** A copy of plain data with every object (not arrays) made null-prototype. Other values are returned as is. */
export function nullPrototypeDeep<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => nullPrototypeDeep(v)) as T;
  if (value !== null && typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return value;
    const out: Record<string, unknown> = Object.create(null);
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = nullPrototypeDeep(v);
    return out as T;
  }
  return value;
}

/**
 * nullPrototypeDeep without the copy: makes every plain object of `value` (not arrays, not class instances)
 * null-prototype in place and returns `value`. For data nobody else holds (a parser's or a schema's fresh
 * output): a spec of 10,000 entries is not allocated twice.
 */
export function nullPrototypeInPlace<T>(value: T): T {
  if (Array.isArray(value)) {
    for (const item of value) nullPrototypeInPlace(item);
  } else if (value !== null && typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return value;
    if (proto !== null) Object.setPrototypeOf(value, null);
    for (const key of Object.keys(value)) nullPrototypeInPlace((value as Record<string, unknown>)[key]);
  }
  return value;
}
