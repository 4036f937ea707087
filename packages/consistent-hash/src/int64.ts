// 64-bit arithmetic on pairs of uint32 halves, integer operations only (no BigInt, no float
// division): every intermediate stays below 2^32, so `>>>` and Math.imul are exact.

/**
 * High 32 bits of the 64-bit product of two 32-bit words read as unsigned (Hacker's Delight,
 * mulhu, 16-bit halves), returned as an int32 so callers never hold a boxed number.
 * @internal
 */
export function mulhi(u: number, v: number): number {
  const u0 = u & 0xffff
  const u1 = u >>> 16
  const v0 = v & 0xffff
  const v1 = v >>> 16
  const t = u1 * v0 + ((u0 * v0) >>> 16)
  const w1 = u0 * v1 + (t & 0xffff)
  return (u1 * v1 + (t >>> 16) + (w1 >>> 16)) | 0
}
