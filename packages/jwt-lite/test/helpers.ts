// Test helpers: tokens built independently of the code under test (node:crypto createHmac and
// Buffer), so a bug in the library cannot make its own tests pass.
import { createHmac } from 'node:crypto'

export type Alg = 'HS256' | 'HS384' | 'HS512'

export const b64 = (text: string | Uint8Array): string => Buffer.from(text).toString('base64url')

export function mac(alg: Alg, key: Uint8Array | string, input: string): string {
  return createHmac(`sha${alg.slice(2)}`, key)
    .update(input)
    .digest('base64url')
}

/** A token over raw header / payload JSON text (or objects), correctly MACed with `key`. */
export function forge(
  header: string | Record<string, unknown>,
  payload: string | Record<string, unknown>,
  key: Uint8Array | string,
  alg: Alg = 'HS256',
): string {
  const h = b64(typeof header === 'string' ? header : JSON.stringify(header))
  const p = b64(typeof payload === 'string' ? payload : JSON.stringify(payload))
  return `${h}.${p}.${mac(alg, key, `${h}.${p}`)}`
}

/** A fixed instant (2030-01-01T00:00:00Z) and its NumericDate. */
export const NOW_MS = 1_893_456_000_000
export const NOW: number = NOW_MS / 1000

/** Deterministic 32/48/64-byte keys. */
export const KEY256: Uint8Array = Uint8Array.from({ length: 32 }, (_, i) => (i * 7 + 1) & 0xff)
export const KEY384: Uint8Array = Uint8Array.from({ length: 48 }, (_, i) => (i * 11 + 3) & 0xff)
export const KEY512: Uint8Array = Uint8Array.from({ length: 64 }, (_, i) => (i * 13 + 5) & 0xff)
export const KEYS: Record<Alg, Uint8Array> = { HS256: KEY256, HS384: KEY384, HS512: KEY512 }

/** The code of the JwtError a function throws (or the error's name if it is not one). */
export function codeOf(fn: () => unknown): string {
  try {
    fn()
  } catch (err) {
    return (err as { code?: string }).code ?? `${(err as Error).name}: ${(err as Error).message}`
  }
  return 'no error'
}

/** The same for a promise-returning function. */
export async function asyncCodeOf(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn()
  } catch (err) {
    return (err as { code?: string }).code ?? `${(err as Error).name}: ${(err as Error).message}`
  }
  return 'no error'
}
