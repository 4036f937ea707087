import { Buffer } from 'node:buffer'
import { base64urlEncode } from '../shared/base64url.js'
import { payloadJson } from '../shared/claims.js'
import { headerJson } from '../shared/header.js'
import { optionsObject, signPolicy } from '../shared/policy.js'
import type { JwtPayload, SignOptions } from '../shared/types.js'
import { utf8Encoder } from '../shared/utf8.js'
import { type KeyInput, signerKey } from './key.js'

/** Options of {@link createSigner}: the sign options plus the key. */
export interface SignerOptions extends SignOptions {
  /** The secret: at least 32/48/64 bytes for HS256/384/512. */
  key: KeyInput
}

/**
 * Signs a payload into a compact JWS. Created by {@link createSigner}.
 *
 * @example
 * ```ts
 * const signAccess: Signer = createSigner({ key: secret, expiresIn: '15m' })
 * const token = signAccess({ sub: 'user-42' }) // 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIi...'
 * ```
 */
export type Signer = (payload: JwtPayload) => string

/**
 * Validates the options and prepares the key once, and returns a function that signs: the
 * fast path. The header segment is encoded once per signer; the payload is serialised once per
 * call and never copied or mutated.
 *
 * @example
 * ```ts
 * import { createSigner, generateSecret } from '@hotpath/jwt-lite'
 * const signAccess = createSigner({ key: generateSecret('HS256'), expiresIn: '15m', issuer: 'auth.example.com' })
 * const token = signAccess({ sub: 'user-42', scope: 'read' })
 * ```
 */
export function createSigner(options: SignerOptions): Signer {
  const { key, ...rest } = optionsObject(options, 'createSigner') as Partial<SignerOptions>
  const policy = signPolicy(rest, 'createSigner', ['key'])
  const mac = signerKey(key, policy.info, policy.allowShortKeys)
  const headerDot = `${base64urlEncode(utf8Encoder.encode(headerJson(policy)))}.`
  const { maxTokenLength, now } = policy
  // The payload's UTF-8 goes through one reusable buffer: Buffer.from would allocate per token.
  // A UTF-16 code unit never takes more than 3 UTF-8 bytes, so length * 3 always fits.
  let scratch = Buffer.alloc(4096)
  return (payload: JwtPayload): string => {
    const json = payloadJson(payload, policy, now())
    if (json.length * 3 > scratch.length) scratch = Buffer.alloc(json.length * 3)
    const input = headerDot + scratch.toString('base64url', 0, scratch.write(json, 0, 'utf8'))
    const token = `${input}.${mac.sign(input)}`
    if (token.length > maxTokenLength) {
      throw new RangeError(
        `the token would be ${token.length} characters, more than \`maxTokenLength\` (${maxTokenLength})`,
      )
    }
    return token
  }
}

/**
 * Signs one token. Validates the options and prepares the key on every call; for more than a
 * few tokens, {@link createSigner} does that once.
 *
 * @example
 * ```ts
 * import { sign } from '@hotpath/jwt-lite'
 * const token = sign({ sub: 'user-42' }, process.env.JWT_SECRET!, { expiresIn: '15m' })
 * ```
 */
export function sign(payload: JwtPayload, key: KeyInput, options?: SignOptions): string {
  return createSigner({ ...optionsObject(options, 'sign'), key } as SignerOptions)(payload)
}
