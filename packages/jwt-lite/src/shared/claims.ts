import { describe } from './algorithms.js'
import { JwtClaimError, type JwtClaimErrorCode, type JwtClaimReason, JwtError } from './errors.js'
import type { VerifiedHeader } from './header.js'
import { parseJsonObject } from './json.js'
import type { SignPolicy, VerifyPolicy } from './policy.js'
import type { JwtPayload } from './types.js'

const NUMERIC_DATES = ['exp', 'nbf', 'iat'] as const
const STRING_CLAIMS = ['iss', 'sub', 'jti'] as const
// One pass over the JSON (measured faster than three includes()); a hit only triggers the exact check.
const SUSPICIOUS = /__proto__|constructor|prototype/

/**
 * The payload JSON for one token. The payload object is never copied or mutated: it is
 * serialised once and the generated claims are spliced in before the closing brace, which is
 * what makes `sign` cheap (JSON.stringify of a spread copy costs as much again).
 */
export function payloadJson(payload: unknown, policy: SignPolicy, nowMs: number): string {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new TypeError(`\`payload\` must be a plain object, got ${describe(payload)}`)
  }
  const proto: unknown = Object.getPrototypeOf(payload)
  if (proto !== Object.prototype && proto !== null) {
    throw new TypeError(`\`payload\` must be a plain object, got ${describe(payload)}`)
  }
  const claims = payload as JwtPayload
  for (const name of NUMERIC_DATES) {
    const v = claims[name]
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v))) {
      throw new TypeError(
        `\`payload.${name}\` must be a finite number of seconds (NumericDate), got ${describe(v)}`,
      )
    }
  }
  for (const name of STRING_CLAIMS) {
    const v = claims[name]
    if (v !== undefined && typeof v !== 'string') {
      throw new TypeError(`\`payload.${name}\` must be a string, got ${describe(v)}`)
    }
  }
  if (claims.aud !== undefined && !isAudience(claims.aud)) {
    throw new TypeError(
      `\`payload.aud\` must be a string or an array of strings, got ${describe(claims.aud)}`,
    )
  }
  for (const name of policy.fixedNames) {
    if (claims[name] !== undefined) {
      throw new TypeError(`\`payload.${name}\` conflicts with the signer's option for it; set one of them`)
    }
  }
  let json: string | undefined
  try {
    json = JSON.stringify(payload)
  } catch (cause) {
    throw new TypeError('`payload` cannot be serialised to JSON', { cause })
  }
  if (json === undefined || json.charCodeAt(0) !== 123) {
    throw new TypeError('`payload` must serialise to a JSON object (check its toJSON)')
  }
  if (SUSPICIOUS.test(json)) {
    // Rare, so the exact (slower) check runs only here: verifiers reject these member names.
    try {
      parseJsonObject(json, 'payload')
    } catch (err) {
      if (err instanceof JwtError) throw new TypeError(`\`payload\`: ${err.message}; verifiers reject it`)
      throw err
    }
  }
  const nowSeconds = Math.floor(nowMs / 1000)
  let extra = policy.fixedClaims
  const iat = claims.iat ?? nowSeconds
  if (!policy.noTimestamp && claims.iat === undefined) extra = append(extra, `"iat":${iat}`)
  if (policy.expiresIn !== undefined) {
    if (claims.exp !== undefined)
      throw new TypeError('`payload.exp` conflicts with `expiresIn`; set one of them')
    extra = append(extra, `"exp":${iat + policy.expiresIn}`)
  }
  if (policy.notBefore !== undefined) {
    if (claims.nbf !== undefined)
      throw new TypeError('`payload.nbf` conflicts with `notBefore`; set one of them')
    extra = append(extra, `"nbf":${iat + policy.notBefore}`)
  }
  if (extra === '') return json
  return json.length === 2 ? `{${extra}}` : `${json.slice(0, -1)},${extra}}`
}

function append(list: string, item: string): string {
  return list === '' ? item : `${list},${item}`
}

function isAudience(aud: unknown): boolean {
  if (typeof aud === 'string') return true
  if (!Array.isArray(aud)) return false
  for (let i = 0; i < aud.length; i++) if (typeof aud[i] !== 'string') return false
  return true
}

function fail(
  code: JwtClaimErrorCode,
  claim: string,
  reason: JwtClaimReason,
  message: string,
  payload: Record<string, unknown>,
): never {
  throw new JwtClaimError(code, claim, reason, message, payload)
}

/**
 * Checks the claims of a payload whose signature is already verified. Registered claims that
 * are present must have their registered types even when no check is configured for them:
 * a string `exp` is not "no expiry".
 */
export function checkClaims(
  payload: Record<string, unknown>,
  header: VerifiedHeader,
  policy: VerifyPolicy,
  nowMs: number,
): void {
  const now = nowMs / 1000
  const tolerance = policy.clockTolerance
  const { exp, nbf, iat } = payload as JwtPayload
  for (const name of policy.required) {
    if (!Object.hasOwn(payload, name))
      fail('ERR_JWT_CLAIM_INVALID', name, 'missing', `"${name}" claim is required`, payload)
  }
  if (!header.typOk) {
    fail('ERR_JWT_CLAIM_INVALID', 'typ', 'mismatch', `the header's "typ" must be "${policy.typ}"`, payload)
  }
  if (exp !== undefined) {
    if (typeof exp !== 'number' || !Number.isFinite(exp)) {
      fail('ERR_JWT_CLAIM_INVALID', 'exp', 'invalid', '"exp" must be a finite NumericDate', payload)
    }
    // RFC 7519 4.1.4: the token must not be accepted "on or after" exp, so exp == now is expired.
    if (exp <= now - tolerance) fail('ERR_JWT_EXPIRED', 'exp', 'expired', 'the token has expired', payload)
  }
  if (nbf !== undefined) {
    if (typeof nbf !== 'number' || !Number.isFinite(nbf)) {
      fail('ERR_JWT_CLAIM_INVALID', 'nbf', 'invalid', '"nbf" must be a finite NumericDate', payload)
    }
    if (nbf > now + tolerance) {
      fail('ERR_JWT_NOT_YET_VALID', 'nbf', 'not_yet_valid', 'the token is not valid yet ("nbf")', payload)
    }
  }
  if (iat !== undefined) {
    if (typeof iat !== 'number' || !Number.isFinite(iat)) {
      fail('ERR_JWT_CLAIM_INVALID', 'iat', 'invalid', '"iat" must be a finite NumericDate', payload)
    }
    if (iat > now + tolerance) {
      fail('ERR_JWT_CLAIM_INVALID', 'iat', 'future', 'the token was issued in the future ("iat")', payload)
    }
    if (policy.maxAge !== undefined && now - iat >= policy.maxAge + tolerance) {
      fail(
        'ERR_JWT_EXPIRED',
        'iat',
        'max_age',
        `the token is older than maxAge (${policy.maxAge} s)`,
        payload,
      )
    }
  }
  const { iss, sub, aud, jti } = payload as JwtPayload
  if (iss !== undefined) {
    if (typeof iss !== 'string')
      fail('ERR_JWT_CLAIM_INVALID', 'iss', 'invalid', '"iss" must be a string', payload)
    if (policy.issuer !== undefined && !policy.issuer.includes(iss)) {
      fail('ERR_JWT_CLAIM_INVALID', 'iss', 'mismatch', '"iss" is not an accepted issuer', payload)
    }
  }
  if (sub !== undefined) {
    if (typeof sub !== 'string')
      fail('ERR_JWT_CLAIM_INVALID', 'sub', 'invalid', '"sub" must be a string', payload)
    if (policy.subject !== undefined && sub !== policy.subject) {
      fail('ERR_JWT_CLAIM_INVALID', 'sub', 'mismatch', '"sub" is not the expected subject', payload)
    }
  }
  if (jti !== undefined && typeof jti !== 'string') {
    fail('ERR_JWT_CLAIM_INVALID', 'jti', 'invalid', '"jti" must be a string', payload)
  }
  if (aud !== undefined) {
    if (!isAudience(aud)) {
      fail(
        'ERR_JWT_CLAIM_INVALID',
        'aud',
        'invalid',
        '"aud" must be a string or an array of strings',
        payload,
      )
    }
    if (policy.audience !== undefined && !audienceMatches(aud, policy.audience)) {
      fail('ERR_JWT_CLAIM_INVALID', 'aud', 'mismatch', '"aud" does not name an accepted audience', payload)
    }
  }
}

function audienceMatches(aud: string | string[], accepted: readonly string[]): boolean {
  if (typeof aud === 'string') return accepted.includes(aud)
  for (let i = 0; i < aud.length; i++) if (accepted.includes(aud[i]!)) return true
  return false
}
