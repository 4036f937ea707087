import { randomBytes } from 'node:crypto'
import { type Algorithm, algorithmOption } from '../shared/algorithms.js'

/**
 * A new random secret of exactly the algorithm's hash size (32, 48 or 64 bytes), the minimum
 * RFC 7518 section 3.2 allows and all the strength the MAC can use.
 *
 * @example
 * ```ts
 * import { generateSecret } from '@hotpath/jwt-lite'
 * const secret = generateSecret('HS256')
 * console.log(Buffer.from(secret).toString('base64url')) // store this in your secret manager
 * ```
 */
export function generateSecret(algorithm: Algorithm = 'HS256'): Uint8Array {
  const info = algorithmOption(algorithm, 'algorithm')
  return new Uint8Array(randomBytes(info.size))
}
