import { createHmac } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import {
  createSigner,
  createVerifier,
  JwtError,
  type JwtPayload,
  type SignOptions,
  type VerifyOptions,
} from '../src/index.js'
import { NodeHmac } from '../src/node/hmac.js'
import { type Algorithm, algorithmInfo } from '../src/shared/algorithms.js'
import { base64urlDecode, base64urlEncode, isCanonicalBase64url } from '../src/shared/base64url.js'
import * as web from '../src/web.js'
import { KEYS, NOW, NOW_MS } from './helpers.js'

const runs = (ci: number, local: number) => ({ numRuns: process.env.CI ? ci : local })
const alg = fc.constantFrom<Algorithm>('HS256', 'HS384', 'HS512')
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype'])
const REGISTERED = new Set(['iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti'])

/** Private claims: any JSON, minus the registered names (set through options here) and the forbidden ones. */
const privateClaims = fc
  .dictionary(
    fc.string({ maxLength: 12 }).filter((k) => !FORBIDDEN.has(k) && !REGISTERED.has(k)),
    fc.jsonValue({ maxDepth: 3 }),
    { maxKeys: 6 },
  )
  .filter((o) => !JSON.stringify(o).match(/"(__proto__|constructor|prototype)"\s*:/))

const text = fc.string({ minLength: 1, maxLength: 20, unit: 'grapheme' })
const claimOptions = fc.record(
  {
    expiresIn: fc.oneof(
      fc.integer({ min: 1, max: 10 ** 8 }),
      fc.constantFrom('15m', '2h', '7d', '1w', '90s'),
    ),
    notBefore: fc.constant(0),
    issuer: text,
    subject: text,
    audience: fc.oneof(text, fc.array(text, { minLength: 1, maxLength: 3 })),
    jwtId: text,
    keyId: fc.string({ minLength: 1, maxLength: 40 }),
    typ: fc.constantFrom('JWT', 'at+jwt', 'application/jwt'),
    noTimestamp: fc.boolean(),
  },
  { requiredKeys: ['expiresIn'] },
)

/** The options a verifier needs to demand exactly what the signer set. */
function verifyOptionsFor(options: SignOptions, algorithm: Algorithm): VerifyOptions {
  const v: VerifyOptions = { algorithms: [algorithm], now: NOW_MS }
  if (options.issuer !== undefined) v.issuer = options.issuer
  if (options.subject !== undefined) v.subject = options.subject
  if (options.audience !== undefined) v.audience = options.audience
  if (options.typ !== undefined) v.typ = options.typ
  return v
}

describe('sign / verify round trips', () => {
  test('every algorithm and claim combination verifies to the payload plus the claims the options added', async () => {
    await fc.assert(
      fc.asyncProperty(alg, privateClaims, claimOptions, async (algorithm, claims, options) => {
        const key = KEYS[algorithm]
        const signOptions = { ...options, algorithm, now: NOW_MS } as SignOptions
        const token = createSigner({ ...signOptions, key })(claims)
        const webToken = await web.createSigner({ ...signOptions, key })(claims)
        // HMAC is deterministic: both entries must produce the very same token.
        expect(webToken).toBe(token)

        const { header, payload } = createVerifier({ ...verifyOptionsFor(options, algorithm), key })(token)
        const viaWeb = await web.createVerifier({ ...verifyOptionsFor(options, algorithm), key })(token)
        expect(viaWeb).toEqual({ header, payload })

        expect(header).toEqual({
          alg: algorithm,
          typ: options.typ ?? 'JWT',
          ...(options.keyId === undefined ? {} : { kid: options.keyId }),
        })
        const expected: JwtPayload = { ...JSON.parse(JSON.stringify(claims)) }
        if (options.issuer !== undefined) expected.iss = options.issuer
        if (options.subject !== undefined) expected.sub = options.subject
        if (options.audience !== undefined) expected.aud = options.audience as string | string[]
        if (options.jwtId !== undefined) expected.jti = options.jwtId
        if (!options.noTimestamp) expected.iat = NOW
        const seconds =
          typeof options.expiresIn === 'number'
            ? options.expiresIn
            : { '15m': 900, '2h': 7200, '7d': 604_800, '1w': 604_800, '90s': 90 }[options.expiresIn]!
        expected.exp = NOW + seconds
        if (options.notBefore !== undefined) expected.nbf = NOW
        expect(payload).toEqual(expected)
      }),
      runs(500, 100),
    )
  })

  test('any single-character change to a valid token is rejected', () => {
    const key = KEYS.HS256
    const token = createSigner({ key, now: NOW_MS, expiresIn: 60, keyId: 'k' })({ sub: 'u', admin: false })
    const verifier = createVerifier({ key, now: NOW_MS })
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.= '
    fc.assert(
      fc.property(
        fc.nat(token.length - 1),
        fc.constantFrom(...alphabet),
        fc.constantFrom('replace', 'insert', 'delete'),
        (i, c, op) => {
          const mutated =
            op === 'replace'
              ? token.slice(0, i) + c + token.slice(i + 1)
              : op === 'insert'
                ? token.slice(0, i) + c + token.slice(i)
                : token.slice(0, i) + token.slice(i + 1)
          fc.pre(mutated !== token)
          expect(() => verifier(mutated)).toThrow(JwtError)
        },
      ),
      runs(3000, 600),
    )
  })
})

describe('HMAC', () => {
  test('both node paths equal createHmac for any key and ASCII message, and verify agrees', () => {
    fc.assert(
      fc.property(
        alg,
        fc.uint8Array({ minLength: 1, maxLength: 300 }),
        fc.string({ unit: fc.constantFrom(...'ABCxyz019-_.'), maxLength: 1200 }),
        (algorithm, key, message) => {
          const info = algorithmInfo(algorithm)!
          const expected = createHmac(info.hash, key).update(message).digest('base64url')
          for (const oneShot of [true, false]) {
            const mac = new NodeHmac(info, key, oneShot)
            expect(mac.sign(message)).toBe(expected)
            expect(mac.verify(`${message}.${expected}`, message.length, expected)).toBe(true)
            const wrong = expected.startsWith('A') ? `B${expected.slice(1)}` : `A${expected.slice(1)}`
            expect(mac.verify(`${message}.${wrong}`, message.length, wrong)).toBe(false)
          }
        },
      ),
      runs(1000, 200),
    )
  })

  test('a long message after a short one still hashes correctly (buffer growth)', () => {
    const info = algorithmInfo('HS512')!
    const mac = new NodeHmac(info, KEYS.HS512, true)
    for (const n of [1, 700, 5000, 3, 20_000, 10]) {
      const m = 'x'.repeat(n)
      expect(mac.sign(m)).toBe(createHmac('sha512', KEYS.HS512).update(m).digest('base64url'))
    }
  })
})

describe('base64url', () => {
  test('encode and decode agree with Buffer and are inverse', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const s = base64urlEncode(bytes)
        expect(s).toBe(Buffer.from(bytes).toString('base64url'))
        expect(Array.from(base64urlDecode(s))).toEqual(Array.from(bytes))
      }),
      runs(2000, 500),
    )
  })

  test('canonical means: non-empty, and the one spelling that Buffer re-encodes identically', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'AQgw_-Bz9+/= \n'), maxLength: 12 }), (s) => {
        const reference =
          s.length > 0 &&
          /^[A-Za-z0-9_-]+$/.test(s) &&
          Buffer.from(s, 'base64url').toString('base64url') === s
        expect(isCanonicalBase64url(s)).toBe(reference)
      }),
      runs(5000, 1000),
    )
  })
})
