import { base64urlEncode } from '../shared/base64url.js'
import { payloadJson } from '../shared/claims.js'
import { headerJson } from '../shared/header.js'
import { optionsObject, signPolicy } from '../shared/policy.js'
import type { JwtPayload, SignOptions } from '../shared/types.js'
import { utf8Encoder } from '../shared/utf8.js'
import { type WebKeyInput, webCrypto, webKeys } from './webcrypto.js'

/** Options of the web {@link createSigner}: the sign options plus the key. */
export interface WebSignerOptions extends SignOptions {
  /** The secret: at least 32/48/64 bytes for HS256/384/512, or an HMAC CryptoKey with the "sign" usage. */
  key: WebKeyInput
}

/** Signs a payload into a compact JWS. Created by the web {@link createSigner}. */
export type WebSigner = (payload: JwtPayload) => Promise<string>

const SIGN_KEYS = webKeys('sign')

/**
 * Validates the options and checks the key synchronously (throwing TypeError / JwtError), imports
 * it into WebCrypto once, and returns an async function that signs.
 *
 * @example
 * ```ts
 * import { createSigner } from '@hotpath/jwt-lite/web'
 * const signAccess = createSigner({ key: secretBytes, expiresIn: '15m' })
 * const token = await signAccess({ sub: 'user-42' })
 * ```
 */
export function createSigner(options: WebSignerOptions): WebSigner {
  const { key, ...rest } = optionsObject(options, 'createSigner') as Partial<WebSignerOptions>
  const policy = signPolicy(rest, 'createSigner', ['key'])
  if (!SIGN_KEYS.isMaterial(key)) {
    throw new TypeError(`\`key\` must be ${SIGN_KEYS.accepted}, got ${key === null ? 'null' : typeof key}`)
  }
  const cryptoKey = SIGN_KEYS.prepare(key, policy.info, policy.allowShortKeys)
  const headerDot = `${base64urlEncode(utf8Encoder.encode(headerJson(policy)))}.`
  const { maxTokenLength, now } = policy
  return async (payload: JwtPayload): Promise<string> => {
    const input = headerDot + base64urlEncode(utf8Encoder.encode(payloadJson(payload, policy, now())))
    const mac = await webCrypto().subtle.sign('HMAC', await cryptoKey, utf8Encoder.encode(input))
    const token = `${input}.${base64urlEncode(new Uint8Array(mac))}`
    if (token.length > maxTokenLength) {
      throw new RangeError(
        `the token would be ${token.length} characters, more than \`maxTokenLength\` (${maxTokenLength})`,
      )
    }
    return token
  }
}

/**
 * Signs one token (validating options and importing the key each call; prefer {@link createSigner}).
 *
 * @example
 * ```ts
 * import { sign } from '@hotpath/jwt-lite/web'
 * const token = await sign({ sub: 'user-42' }, secretBytes, { expiresIn: '15m' })
 * ```
 */
export async function sign(payload: JwtPayload, key: WebKeyInput, options?: SignOptions): Promise<string> {
  return createSigner({ ...optionsObject(options, 'sign'), key } as WebSignerOptions)(payload)
}
