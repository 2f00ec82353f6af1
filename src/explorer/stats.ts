/** Small numeric helpers with pandas' semantics (linear quantiles, sample std). */

/** Linear-interpolation quantile of an ascending-sorted array (pandas/numpy default). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const pos = (n - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Equal-width binning over [min, max]: the same arithmetic the kernel helper uses. */
export interface Binning {
  min: number;
  max: number;
  bins: number;
  width: number;
}

export function makeBinning(min: number, max: number, bins: number): Binning {
  const width = max > min ? (max - min) / bins : 0;
  return { min, max, bins: width === 0 ? 1 : bins, width };
}

/** Bin index of `v` (must be finite and within [min, max]). */
export function binIndex(b: Binning, v: number): number {
  if (b.width === 0) return 0;
  return Math.min(b.bins - 1, Math.floor((v - b.min) / b.width));
}

export function binStart(b: Binning, i: number): number {
  return b.min + i * b.width;
}

export function binEnd(b: Binning, i: number): number {
  return b.width === 0 ? b.max : b.min + (i + 1) * b.width;
}

/** Evenly spaced sample positions: floor(i * total / limit), as the kernel does. */
export function strideSample(total: number, limit: number): number[] {
  if (total <= limit) return Array.from({ length: total }, (_, i) => i);
  const out = new Array<number>(limit);
  for (let i = 0; i < limit; i++) out[i] = Math.floor((i * total) / limit);
  return out;
}
