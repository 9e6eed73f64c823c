/** Small helpers the bench scripts share: reading numeric knobs, medians, a seeded generator. */

/** `raw` as a whole number from `min` to `max`, or an error naming the knob `name`. */
export function wholeNumber(name, raw, min, max) {
  const value = Number(String(raw).trim());
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name}: ${raw} is not a whole number from ${min} to ${max}`);
  return value;
}

/** The median of the finite values, NaN when there are none. */
export function median(values) {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (!sorted.length) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** A small deterministic generator (mulberry32): the same seed gives the same data every run. */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
