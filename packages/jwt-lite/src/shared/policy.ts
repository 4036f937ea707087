import { type AlgorithmInfo, algorithmOption, describe } from './algorithms.js'
import { clockOption } from './clock.js'
import { durationSeconds } from './duration.js'
import type { SignOptions, VerifyOptionsBase } from './types.js'

/** Default `maxTokenLength`: generous for claims, small enough that a hostile token costs little. */
export const DEFAULT_MAX_TOKEN_LENGTH = 8192
/** Longest accepted `kid` (and `typ`): an opaque map key, bounded so it cannot be used to bloat memory or logs. */
export const MAX_HEADER_STRING_LENGTH = 256

/** Verify options, validated once. */
export interface VerifyPolicy {
  readonly algorithms: readonly AlgorithmInfo[]
  readonly issuer: readonly string[] | undefined
  readonly audience: readonly string[] | undefined
  readonly subject: string | undefined
  /** Normalised expected `typ` (lower case, no `application/`). */
  readonly typ: string | undefined
  readonly maxAge: number | undefined
  readonly clockTolerance: number
  readonly now: () => number
  /** `requiredClaims` plus the claims that configured checks need. */
  readonly required: readonly string[]
  readonly maxTokenLength: number
  readonly allowShortKeys: boolean
}

/** Sign options, validated once. */
export interface SignPolicy {
  readonly info: AlgorithmInfo
  readonly keyId: string | undefined
  readonly typ: string
  readonly expiresIn: number | undefined
  readonly notBefore: number | undefined
  /** The fixed claims from options (`iss`, `sub`, `aud`, `jti`) as a JSON fragment `"iss":"a","sub":"b"`, or ''. */
  readonly fixedClaims: string
  /** Names of the claims in `fixedClaims`, which the payload must not also carry. */
  readonly fixedNames: readonly string[]
  readonly noTimestamp: boolean
  readonly now: () => number
  readonly maxTokenLength: number
  readonly allowShortKeys: boolean
}

const VERIFY_OPTIONS: ReadonlySet<string> = new Set([
  'algorithms',
  'issuer',
  'audience',
  'subject',
  'typ',
  'maxAge',
  'clockTolerance',
  'now',
  'requiredClaims',
  'maxTokenLength',
  'unsafeAllowShortKeys',
  'isRevoked',
])

const SIGN_OPTIONS: ReadonlySet<string> = new Set([
  'algorithm',
  'expiresIn',
  'notBefore',
  'issuer',
  'subject',
  'audience',
  'jwtId',
  'keyId',
  'typ',
  'noTimestamp',
  'now',
  'maxTokenLength',
  'unsafeAllowShortKeys',
])

/**
 * Unknown options are errors: a misspelt `audiance` or jsonwebtoken's `algorithm` (singular) on
 * verify would otherwise silently disable a check.
 */
export function rejectUnknownOptions(
  options: object,
  known: ReadonlySet<string>,
  where: string,
  extra: readonly string[],
): void {
  for (const name of Object.keys(options)) {
    if (!known.has(name) && !extra.includes(name)) {
      throw new TypeError(`${where}: unknown option \`${name}\` (known: ${[...extra, ...known].join(', ')})`)
    }
  }
}

export function optionsObject(options: unknown, where: string): Record<string, unknown> {
  if (options === undefined) return {}
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`${where}: options must be an object, got ${describe(options)}`)
  }
  return options as Record<string, unknown>
}

function boundedString(value: unknown, option: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_HEADER_STRING_LENGTH) {
    throw new TypeError(
      `\`${option}\` must be a non-empty string of at most ${MAX_HEADER_STRING_LENGTH} characters, got ${describe(value)}`,
    )
  }
  return value
}

function stringOption(value: unknown, option: string): string {
  if (typeof value !== 'string') throw new TypeError(`\`${option}\` must be a string, got ${describe(value)}`)
  return value
}

function stringList(value: unknown, option: string): readonly string[] {
  if (typeof value === 'string') return [value]
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string')) {
    return Object.freeze([...(value as string[])])
  }
  throw new TypeError(
    `\`${option}\` must be a string or a non-empty array of strings, got ${describe(value)}`,
  )
}

function booleanOption(value: unknown, option: string): boolean {
  if (value === undefined) return false
  if (typeof value !== 'boolean')
    throw new TypeError(`\`${option}\` must be a boolean, got ${describe(value)}`)
  return value
}

function maxTokenLengthOption(value: unknown): number {
  if (value === undefined) return DEFAULT_MAX_TOKEN_LENGTH
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 16) {
    throw new RangeError(`\`maxTokenLength\` must be an integer of at least 16, got ${describe(value)}`)
  }
  return value
}

/** Normalises a `typ` value for comparison (media types are case-insensitive; `application/` is optional). */
export function normalizeTyp(typ: string): string {
  const lower = typ.toLowerCase()
  return lower.startsWith('application/') ? lower.slice(12) : lower
}

/**
 * Validates verify options. `keyAlgorithms` are the algorithms the configured keys are bound
 * to, used as the allowlist when `algorithms` is not given.
 */
export function verifyPolicy(
  input: unknown,
  where: string,
  keyAlgorithms: readonly AlgorithmInfo[],
  extra: readonly string[] = [],
): VerifyPolicy {
  const options = optionsObject(input, where) as VerifyOptionsBase & Record<string, unknown>
  rejectUnknownOptions(options, VERIFY_OPTIONS, where, extra)
  let algorithms: readonly AlgorithmInfo[]
  if (options.algorithms === undefined) {
    algorithms = keyAlgorithms
  } else {
    const list: unknown = options.algorithms
    if (!Array.isArray(list) || list.length === 0) {
      throw new TypeError(
        `\`algorithms\` must be a non-empty array of 'HS256', 'HS384', 'HS512', got ${describe(list)}`,
      )
    }
    algorithms = Object.freeze([...new Set(list.map((a, i) => algorithmOption(a, `algorithms[${i}]`)))])
  }
  const required = new Set<string>()
  if (options.requiredClaims === undefined) {
    required.add('exp')
  } else {
    const list: unknown = options.requiredClaims
    if (!Array.isArray(list) || !list.every((c) => typeof c === 'string' && c.length > 0)) {
      throw new TypeError(`\`requiredClaims\` must be an array of claim names, got ${describe(list)}`)
    }
    for (const c of list as string[]) required.add(c)
  }
  const issuer = options.issuer === undefined ? undefined : stringList(options.issuer, 'issuer')
  const audience = options.audience === undefined ? undefined : stringList(options.audience, 'audience')
  const subject = options.subject === undefined ? undefined : stringOption(options.subject, 'subject')
  const maxAge = options.maxAge === undefined ? undefined : durationSeconds(options.maxAge, 'maxAge', true)
  if (issuer) required.add('iss')
  if (audience) required.add('aud')
  if (subject !== undefined) required.add('sub')
  if (maxAge !== undefined) required.add('iat')
  return Object.freeze({
    algorithms,
    issuer,
    audience,
    subject,
    typ: options.typ === undefined ? undefined : normalizeTyp(boundedString(options.typ, 'typ')),
    maxAge,
    clockTolerance:
      options.clockTolerance === undefined
        ? 0
        : durationSeconds(options.clockTolerance, 'clockTolerance', false),
    now: clockOption(options.now),
    required: Object.freeze([...required]),
    maxTokenLength: maxTokenLengthOption(options.maxTokenLength),
    allowShortKeys: booleanOption(options.unsafeAllowShortKeys, 'unsafeAllowShortKeys'),
  })
}

/** Validates sign options. */
export function signPolicy(input: unknown, where: string, extra: readonly string[] = []): SignPolicy {
  const options = optionsObject(input, where) as SignOptions & Record<string, unknown>
  rejectUnknownOptions(options, SIGN_OPTIONS, where, extra)
  const info = algorithmOption(options.algorithm ?? 'HS256', 'algorithm')
  const fixed: string[] = []
  const fixedNames: string[] = []
  const add = (claim: string, value: unknown) => {
    fixed.push(`${JSON.stringify(claim)}:${JSON.stringify(value)}`)
    fixedNames.push(claim)
  }
  if (options.issuer !== undefined) add('iss', stringOption(options.issuer, 'issuer'))
  if (options.subject !== undefined) add('sub', stringOption(options.subject, 'subject'))
  if (options.audience !== undefined) {
    const list = stringList(options.audience, 'audience')
    add('aud', typeof options.audience === 'string' ? list[0] : list)
  }
  if (options.jwtId !== undefined) add('jti', stringOption(options.jwtId, 'jwtId'))
  return Object.freeze({
    info,
    keyId: options.keyId === undefined ? undefined : boundedString(options.keyId, 'keyId'),
    typ: options.typ === undefined ? 'JWT' : boundedString(options.typ, 'typ'),
    expiresIn:
      options.expiresIn === undefined ? undefined : durationSeconds(options.expiresIn, 'expiresIn', true),
    notBefore:
      options.notBefore === undefined ? undefined : durationSeconds(options.notBefore, 'notBefore', false),
    fixedClaims: fixed.join(','),
    fixedNames: Object.freeze(fixedNames),
    noTimestamp: booleanOption(options.noTimestamp, 'noTimestamp'),
    now: clockOption(options.now),
    maxTokenLength: maxTokenLengthOption(options.maxTokenLength),
    allowShortKeys: booleanOption(options.unsafeAllowShortKeys, 'unsafeAllowShortKeys'),
  })
}
