import { type Algorithm, algorithmOption } from '../shared/algorithms.js'
import { webCrypto } from './webcrypto.js'

/**
 * A new random secret of exactly the algorithm's hash size (32, 48 or 64 bytes), from
 * `crypto.getRandomValues`.
 *
 * @example
 * ```ts
 * import { generateSecret } from '@hotpath/jwt-lite/web'
 * const secret = generateSecret('HS512') // Uint8Array(64)
 * ```
 */
export function generateSecret(algorithm: Algorithm = 'HS256'): Uint8Array {
  const info = algorithmOption(algorithm, 'algorithm')
  return webCrypto().getRandomValues(new Uint8Array(info.size))
}
