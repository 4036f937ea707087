// @hotpath/jwt-lite: the node:crypto entry (Node, Bun, Deno). Synchronous.

export { generateSecret } from './node/generate-secret.js'
export type { KeyInput } from './node/key.js'
export { createSigner, type Signer, type SignerOptions, sign } from './node/sign.js'
export {
  createVerifier,
  type KeyResolver,
  type Verifier,
  type VerifierOptions,
  type VerifyKey,
  type VerifyOptions,
  verify,
} from './node/verify.js'
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
