/**
 * Largest-remainder apportionment (Hamilton's method): splits an integer total over weights so
 * that the parts are integers and sum exactly to the total — a town's residents, split over
 * grid cells or over its towns, never gain or lose a person to rounding.
 */
export function apportion(total: number, weights: readonly number[]): number[] {
  if (!Number.isInteger(total) || total < 0) throw new RangeError(`total must be a non-negative integer, got ${total}`);
  if (weights.some((w) => !(w >= 0) || !Number.isFinite(w))) throw new RangeError('weights must be finite and non-negative');
  const sum = weights.reduce((a, b) => a + b, 0);
  if (weights.length === 0 || sum === 0) {
    if (total === 0) return weights.map(() => 0);
    throw new RangeError(`cannot apportion ${total} over ${weights.length} zero weights`);
  }
  const exact = weights.map((w) => (total * w) / sum);
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  // Ties go to the lower index so the result is deterministic.
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; left > 0; k++, left--) parts[order[k][1]]++;
  return parts;
}
