/**
 * Largest-remainder apportionment (Hamilton's method): splits a whole-number total over weights
 * into whole numbers that add up exactly to the total — the floors of the quotas, then one more
 * to the largest remainders (ties to the lower index, so the result is deterministic). A town's
 * residents, split over grid cells or over its towns, never gain or lose a person to rounding.
 * All weights zero means equal weights.
 */
export function apportion(total: number, weights: ArrayLike<number>): number[] {
  if (!Number.isInteger(total) || total < 0) throw new RangeError(`total must be a whole number ≥ 0, got ${total}`);
  const n = weights.length;
  if (n === 0) {
    if (total === 0) return [];
    throw new RangeError(`cannot apportion ${total} over no weights`);
  }
  let sum = 0;
  for (let i = 0; i < n; i++) {
    if (!(weights[i] >= 0) || !Number.isFinite(weights[i])) throw new RangeError(`weights must be finite and ≥ 0, got ${weights[i]} at ${i}`);
    sum += weights[i];
  }
  const parts = new Array<number>(n);
  const rem = new Float64Array(n);
  let given = 0;
  for (let i = 0; i < n; i++) {
    const quota = sum > 0 ? (total * weights[i]) / sum : total / n;
    parts[i] = Math.floor(quota);
    rem[i] = quota - parts[i];
    given += parts[i];
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => rem[b] - rem[a] || a - b);
  for (let k = 0; given < total; k = (k + 1) % n, given++) parts[order[k]]++;
  return parts;
}
