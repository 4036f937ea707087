import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { createVerifier, decodeUnverified, JwtError } from '../src/index.js'
import * as web from '../src/web.js'
import { b64, forge, KEY256, NOW, NOW_MS } from './helpers.js'

// Whatever string arrives, verify either returns a result or throws a JwtError: never a
// TypeError from deep inside, a RangeError from recursion, or a hang (each call is linear in the
// input, bounded by maxTokenLength; the vitest timeout would catch a hang).
const runs = (ci: number, local: number) => ({ numRuns: process.env.CI ? ci : local })

const verifyNode = createVerifier({ key: KEY256, now: NOW_MS, requiredClaims: [] })
const verifyNodeCached = createVerifier({ key: KEY256, now: NOW_MS, requiredClaims: [], cache: 16 })
const verifyMap = createVerifier({
  key: new Map([['k', { key: KEY256, algorithm: 'HS256' as const }]]),
  now: NOW_MS,
  requiredClaims: [],
})
const verifyWeb = web.createVerifier({ key: KEY256, now: NOW_MS, requiredClaims: [] })

function nodeOutcome(token: string): string {
  const outcomes = [verifyNode, verifyNodeCached, verifyMap].map((v) => {
    try {
      v(token)
      return 'ok'
    } catch (err) {
      if (err instanceof JwtError) return err.code
      throw err
    }
  })
  try {
    decodeUnverified(token)
  } catch (err) {
    if (!(err instanceof JwtError)) throw err
  }
  // The cached verifier must agree with the uncached one.
  expect(outcomes[1]).toBe(outcomes[0])
  return outcomes[0]!
}

async function webOutcome(token: string): Promise<string> {
  try {
    await verifyWeb(token)
    return 'ok'
  } catch (err) {
    if (err instanceof JwtError) return err.code
    throw err
  }
}

const b64char = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_')
const segment = fc.string({ unit: b64char, maxLength: 60 })
/** Arbitrary JSON-ish text, often almost valid. */
const jsonish = fc.oneof(
  fc.json({ maxDepth: 3 }),
  fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify({ exp: NOW + 60, v })),
  fc.string({
    unit: fc.constantFrom('{', '}', '[', ']', '"', ':', ',', '\\', 'u', '0', 'a', ' ', 'é'),
    maxLength: 30,
  }),
)
const header = fc.oneof(
  fc.constant('{"alg":"HS256"}'),
  fc.constant('{"alg":"HS256","kid":"k"}'),
  fc
    .record(
      {
        alg: fc.constantFrom('HS256', 'none', 'HS512', 'hs256', 1),
        kid: fc.string(),
        crit: fc.constant(['x']),
      },
      { requiredKeys: ['alg'] },
    )
    .map((h) => JSON.stringify(h)),
  jsonish,
)

const tokens = fc.oneof(
  // Anything at all, including lone surrogates and control characters.
  fc.string({ unit: 'binary', maxLength: 120 }),
  // Token-shaped: base64url segments and dots.
  fc.array(segment, { minLength: 1, maxLength: 5 }).map((parts) => parts.join('.')),
  // Correctly MACed tokens over arbitrary header and payload text: these reach the parsers.
  fc.tuple(header, jsonish).map(([h, p]) => forge(h, p, KEY256)),
  // Correctly MACed tokens over arbitrary bytes.
  fc
    .tuple(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ maxLength: 40 }))
    .map(([h, p]) => forge(Buffer.from(h).toString('latin1'), Buffer.from(p).toString('latin1'), KEY256)),
  // Raw segments with arbitrary bytes, MAC or not.
  fc
    .tuple(fc.uint8Array({ maxLength: 30 }), fc.uint8Array({ maxLength: 30 }), segment)
    .map(([h, p, s]) => `${b64(h)}.${b64(p)}.${s}`),
)

describe('fuzz: verify never throws anything but JwtError', () => {
  test('node entry (plain, cached, kid map) and decodeUnverified', () => {
    fc.assert(
      fc.property(tokens, (token) => {
        nodeOutcome(token)
      }),
      runs(20_000, 3000),
    )
  })

  test('web entry, with the same outcome as the node entry', async () => {
    await fc.assert(
      fc.asyncProperty(tokens, async (token) => {
        expect(await webOutcome(token)).toBe(nodeOutcome(token))
      }),
      runs(5000, 1000),
    )
  })

  test('non-string tokens are JwtErrors too (a missing header is attacker-controlled input)', async () => {
    for (const token of [undefined, null, 42, {}, ['a.b.c'], Symbol('t')]) {
      expect(() => verifyNode(token as never)).toThrow(JwtError)
      expect(() => verifyNodeCached(token as never)).toThrow(JwtError)
      await expect(verifyWeb(token as never)).rejects.toBeInstanceOf(JwtError)
    }
  })
})
