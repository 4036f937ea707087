import { md5String, md5Words } from './md5.js'

// libketama compatibility. libketama (last.fm, 2007) gives server i of n
//
//   float pct = (float)slist[i].memory / (float)memory;
//   unsigned int ks = floorf( pct * 40.0 * (float)numservers );
//
// MD5 digests of "<server>-<k>" for k < ks, and takes 4 points from each digest (the digest's
// four little-endian 32-bit words). The arithmetic is the trap: `pct` is a C float, the product
// is computed in double (40.0 is a double literal), and floorf() takes a float, so the double
// product is rounded to float before the floor. Done in doubles all the way, as the npm
// `hashring` package does, 7 equal servers get 39 digests each instead of libketama's 40
// ((1/7) * 40 * 7 = 39.99999999999999 in doubles). Both rules are here: 'ketama' is the C
// rule, 'hashring' the double rule, so a ring can agree with either client exactly.

/** Which client's point placement a {@link HashRing} reproduces. */
export type KetamaCompat = 'ketama' | 'hashring'

/**
 * Digests (4 points each) for every node, in node order.
 * @param digestsPerNode - libketama's 40.
 * @internal
 */
export function ketamaDigestCounts(
  weights: readonly number[],
  digestsPerNode: number,
  compat: KetamaCompat,
): number[] {
  const n = weights.length
  // Summed in node order, as hashring's reduce does; libketama sums integers, where order
  // cannot matter.
  let total = 0
  for (const w of weights) total += w
  const counts = new Array<number>(n)
  if (compat === 'ketama') {
    const fTotal = Math.fround(total)
    for (let i = 0; i < n; i++) {
      const pct = Math.fround(Math.fround(weights[i]!) / fTotal)
      counts[i] = Math.floor(Math.fround(pct * digestsPerNode * Math.fround(n)))
    }
  } else {
    for (let i = 0; i < n; i++) counts[i] = Math.floor((weights[i]! / total) * digestsPerNode * n)
  }
  return counts
}

/**
 * Appends the points of digests `from` to `to` (exclusive) of node `id` to `out` (which must
 * have room), in generation order.
 * @internal
 */
export function ketamaPoints(id: string, from: number, to: number, out: Uint32Array): void {
  for (let k = from; k < to; k++) {
    md5String(`${id}-${k}`)
    const at = k * 4
    out[at] = md5Words[0]! >>> 0
    out[at + 1] = md5Words[1]! >>> 0
    out[at + 2] = md5Words[2]! >>> 0
    out[at + 3] = md5Words[3]! >>> 0
  }
}

/** libketama's key hash: the first little-endian word of MD5(key). @internal */
export function ketamaHash(key: string): number {
  md5String(key)
  return md5Words[0]! >>> 0
}
