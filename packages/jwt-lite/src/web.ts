// @hotpath/jwt-lite/web: the WebCrypto entry (browsers, edge workers, Deno, Bun, Node).
// Asynchronous; the same options, checks and error codes as the default entry; no node: imports.

export { ALGORITHMS, type Algorithm } from './shared/algorithms.js'
export type { Clock } from './shared/clock.js'
export { decodeUnverified, type UnverifiedToken } from './shared/decode-unverified.js'
export {
  JWT_ERROR_CODES,
  JwtClaimError,
  type JwtClaimErrorCode,
  type JwtClaimReason,
  JwtError,
  type JwtErrorCode,
} from './shared/errors.js'
export type { KeyEntry } from './shared/key-rules.js'
export type {
  DecodeOptions,
  JwtHeader,
  JwtPayload,
  SignOptions,
  VerifyOptionsBase,
  VerifyResult,
} from './shared/types.js'
export { generateSecret } from './web/generate-secret.js'
export { createSigner, sign, type WebSigner, type WebSignerOptions } from './web/sign.js'
export {
  type Awaitable,
  createVerifier,
  verify,
  type WebKeyResolver,
  type WebVerifier,
  type WebVerifierOptions,
  type WebVerifyKey,
  type WebVerifyOptions,
} from './web/verify.js'
export type { WebCryptoKey, WebKeyInput } from './web/webcrypto.js'
