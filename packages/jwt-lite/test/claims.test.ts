import { describe, expect, test } from 'vitest'
import {
  createSigner,
  createVerifier,
  decodeUnverified,
  JwtClaimError,
  JwtError,
  sign,
  verify,
} from '../src/index.js'
import { codeOf, forge, KEY256, KEY512, NOW, NOW_MS } from './helpers.js'

const at = (seconds: number) => ({ now: seconds * 1000 })

function claimError(fn: () => unknown): JwtClaimError {
  try {
    fn()
  } catch (err) {
    if (err instanceof JwtClaimError) return err
    throw err
  }
  throw new Error('expected a JwtClaimError')
}

describe('sign', () => {
  test('adds iat, exp, nbf, iss, sub, aud, jti, kid and typ from options', () => {
    const token = sign({ role: 'admin' }, KEY256, {
      now: NOW_MS,
      expiresIn: '15m',
      notBefore: 30,
      issuer: 'auth.example.com',
      subject: 'user-1',
      audience: ['api', 'web'],
      jwtId: 'id-1',
      keyId: 'k1',
      typ: 'at+jwt',
    })
    const { header, payload } = decodeUnverified(token)
    expect(header).toEqual({ alg: 'HS256', typ: 'at+jwt', kid: 'k1' })
    expect(payload).toEqual({
      role: 'admin',
      iss: 'auth.example.com',
      sub: 'user-1',
      aud: ['api', 'web'],
      jti: 'id-1',
      iat: NOW,
      exp: NOW + 900,
      nbf: NOW + 30,
    })
  })

  test.each([
    ['90s', 90],
    ['15m', 900],
    ['2h', 7200],
    ['7d', 604_800],
    ['1w', 604_800],
    ['1.5h', 5400],
    ['15 minutes', 900],
    [3600, 3600],
  ])('expiresIn %s is %d seconds', (expiresIn, seconds) => {
    const { payload } = decodeUnverified(sign({}, KEY256, { now: NOW_MS, expiresIn }))
    expect(payload.exp).toBe(NOW + seconds)
  })

  test.each(['60', '15x', '', '-5m', 'm', '1e3s'])(
    'expiresIn %j is a TypeError (a unit is required)',
    (v) => {
      expect(() => sign({}, KEY256, { expiresIn: v })).toThrow(TypeError)
    },
  )

  test.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('expiresIn %d is a RangeError', (v) => {
    expect(() => sign({}, KEY256, { expiresIn: v })).toThrow(/`expiresIn` must be more than 0 seconds/)
  })

  test('exp and nbf are relative to a payload iat when one is given; noTimestamp omits iat', () => {
    const withIat = decodeUnverified(sign({ iat: 1000 }, KEY256, { expiresIn: 60, now: NOW_MS })).payload
    expect(withIat).toEqual({ iat: 1000, exp: 1060 })
    const noIat = decodeUnverified(sign({ a: 1 }, KEY256, { noTimestamp: true, now: NOW_MS })).payload
    expect(noIat).toEqual({ a: 1 })
  })

  test('a payload claim that an option also sets is a TypeError', () => {
    expect(() => sign({ exp: NOW }, KEY256, { expiresIn: 60 })).toThrow(/conflicts with `expiresIn`/)
    expect(() => sign({ iss: 'a' }, KEY256, { issuer: 'b' })).toThrow(/payload.iss/)
    expect(() => sign({ nbf: NOW }, KEY256, { notBefore: 0 })).toThrow(TypeError)
  })

  test('registered claims of the wrong type are rejected when signing', () => {
    expect(() => sign({ exp: '1h' } as never, KEY256)).toThrow(/`payload.exp` must be a finite number/)
    expect(() => sign({ exp: Number.NaN }, KEY256)).toThrow(TypeError)
    expect(() => sign({ sub: 42 } as never, KEY256)).toThrow(/`payload.sub` must be a string/)
    expect(() => sign({ aud: ['a', 1] } as never, KEY256)).toThrow(/`payload.aud`/)
  })

  test('the payload must be a plain object that serialises to an object', () => {
    for (const bad of [null, 'x', 42, [1], new Map(), new Date()]) {
      expect(() => sign(bad as never, KEY256)).toThrow(/`payload` must be a plain object/)
    }
    expect(() => sign({ n: 1n }, KEY256)).toThrow(/cannot be serialised/)
    expect(() => sign({ toJSON: () => 'x' }, KEY256)).toThrow(/serialise to a JSON object/)
    expect(sign(Object.create(null), KEY256, { now: NOW_MS }).split('.')).toHaveLength(3)
  })

  test('a payload with a forbidden member name is refused (verifiers would reject it)', () => {
    const polluted = JSON.parse('{"__proto__": {"admin": true}}') as Record<string, unknown>
    expect(() => sign(polluted, KEY256)).toThrow(/__proto__/)
    expect(() => sign({ nested: { constructor: 1 } }, KEY256)).toThrow(/constructor/)
    // The words as values are fine.
    expect(() => sign({ note: 'prototype constructor __proto__' }, KEY256)).not.toThrow()
  })

  test('the payload object is neither mutated nor copied into the token twice', () => {
    const payload = { sub: 'u' }
    sign(payload, KEY256, { expiresIn: 60 })
    expect(payload).toEqual({ sub: 'u' })
  })

  test('tokens longer than maxTokenLength are refused with a RangeError', () => {
    expect(() => sign({ big: 'x'.repeat(9000) }, KEY256)).toThrow(RangeError)
    expect(sign({ big: 'x'.repeat(9000) }, KEY256, { maxTokenLength: 20_000 }).length).toBeGreaterThan(9000)
  })

  test('unknown options are TypeErrors (a typo must not disable a check)', () => {
    expect(() => sign({}, KEY256, { expiresin: 60 } as never)).toThrow(/unknown option `expiresin`/)
    expect(() => verify('a.b.c', KEY256, { audiance: 'x' } as never)).toThrow(/unknown option `audiance`/)
    expect(() => verify('a.b.c', KEY256, { algorithm: 'HS256' } as never)).toThrow(
      /unknown option `algorithm`/,
    )
  })

  test('option errors name the option, the accepted range and the value', () => {
    expect(() => createSigner({ key: KEY256, algorithm: 'hs256' as never })).toThrow(
      "`algorithm` must be one of 'HS256', 'HS384', 'HS512', got \"hs256\"",
    )
    expect(() => createSigner({ key: KEY256, maxTokenLength: 3 })).toThrow(
      '`maxTokenLength` must be an integer of at least 16, got 3',
    )
    expect(() => createVerifier({ key: KEY256, clockTolerance: -1 })).toThrow(
      '`clockTolerance` must be at least 0 seconds and at most 10000 years, got -1',
    )
    expect(() => createVerifier({ key: KEY256, algorithms: [] })).toThrow(
      /`algorithms` must be a non-empty array/,
    )
    expect(() => createVerifier({ key: KEY256, now: 'today' as never })).toThrow(
      /`now` must be epoch milliseconds/,
    )
  })
})

describe('verify: time claims', () => {
  const token = (claims: Record<string, unknown>) => sign(claims, KEY256, { noTimestamp: true })

  test('exp in the future verifies; exp == now is expired; exp in the past is expired', () => {
    expect(verify(token({ exp: NOW + 1 }), KEY256, at(NOW)).payload.exp).toBe(NOW + 1)
    expect(codeOf(() => verify(token({ exp: NOW }), KEY256, at(NOW)))).toBe('ERR_JWT_EXPIRED')
    expect(codeOf(() => verify(token({ exp: NOW - 1 }), KEY256, at(NOW)))).toBe('ERR_JWT_EXPIRED')
  })

  test('exp is compared with fractional seconds of the clock', () => {
    expect(codeOf(() => verify(token({ exp: NOW }), KEY256, { now: NOW_MS - 1 }))).toBe('no error')
    expect(codeOf(() => verify(token({ exp: NOW }), KEY256, { now: NOW_MS + 1 }))).toBe('ERR_JWT_EXPIRED')
  })

  test('clockTolerance extends exp and shortens nbf / iat by the same amount', () => {
    const t = token({ exp: NOW - 10 })
    expect(codeOf(() => verify(t, KEY256, { ...at(NOW), clockTolerance: 10 }))).toBe('ERR_JWT_EXPIRED')
    expect(codeOf(() => verify(t, KEY256, { ...at(NOW), clockTolerance: '11s' }))).toBe('no error')
    const nbf = token({ exp: NOW + 100, nbf: NOW + 10 })
    expect(codeOf(() => verify(nbf, KEY256, { ...at(NOW), clockTolerance: 9 }))).toBe('ERR_JWT_NOT_YET_VALID')
    expect(codeOf(() => verify(nbf, KEY256, { ...at(NOW), clockTolerance: 10 }))).toBe('no error')
  })

  test('the expired error carries claim, reason and the verified payload', () => {
    const err = claimError(() => verify(token({ exp: NOW, sub: 'u1' }), KEY256, at(NOW)))
    expect(err).toBeInstanceOf(JwtError)
    expect([err.code, err.claim, err.reason, err.payload.sub]).toEqual([
      'ERR_JWT_EXPIRED',
      'exp',
      'expired',
      'u1',
    ])
  })

  test('nbf in the future is not yet valid; nbf == now is valid', () => {
    const err = claimError(() => verify(token({ exp: NOW + 60, nbf: NOW + 1 }), KEY256, at(NOW)))
    expect([err.code, err.claim, err.reason]).toEqual(['ERR_JWT_NOT_YET_VALID', 'nbf', 'not_yet_valid'])
    expect(codeOf(() => verify(token({ exp: NOW + 60, nbf: NOW }), KEY256, at(NOW)))).toBe('no error')
  })

  test('iat is rejected exactly when it is later than now + clockTolerance', () => {
    const at0 = (iat: number, clockTolerance = 0) =>
      codeOf(() => verify(token({ exp: NOW + 60, iat }), KEY256, { ...at(NOW), clockTolerance }))
    expect([at0(NOW), at0(NOW + 1), at0(NOW - 1)]).toEqual(['no error', 'ERR_JWT_CLAIM_INVALID', 'no error'])
    expect([at0(NOW + 5, 5), at0(NOW + 6, 5)]).toEqual(['no error', 'ERR_JWT_CLAIM_INVALID'])
  })

  test('iat in the future is rejected', () => {
    const err = claimError(() => verify(token({ exp: NOW + 60, iat: NOW + 5 }), KEY256, at(NOW)))
    expect([err.code, err.claim, err.reason]).toEqual(['ERR_JWT_CLAIM_INVALID', 'iat', 'future'])
    expect(
      codeOf(() => verify(token({ exp: NOW + 60, iat: NOW + 5 }), KEY256, { ...at(NOW), clockTolerance: 5 })),
    ).toBe('no error')
  })

  test('maxAge rejects old iat and makes iat required', () => {
    const old = token({ exp: NOW + 3600, iat: NOW - 600 })
    const err = claimError(() => verify(old, KEY256, { ...at(NOW), maxAge: '10m' }))
    expect([err.code, err.claim, err.reason]).toEqual(['ERR_JWT_EXPIRED', 'iat', 'max_age'])
    expect(codeOf(() => verify(old, KEY256, { ...at(NOW), maxAge: 601 }))).toBe('no error')
    const noIat = claimError(() => verify(token({ exp: NOW + 60 }), KEY256, { ...at(NOW), maxAge: 60 }))
    expect([noIat.claim, noIat.reason]).toEqual(['iat', 'missing'])
  })

  test.each([
    ['exp', '"2030-01-01"'],
    ['exp', 'null'],
    ['exp', '1e400'],
    ['nbf', '"0"'],
    ['iat', 'true'],
    ['iat', '-1e400'],
    ['exp', '[1]'],
  ])('NumericDate %s = %s is invalid', (claim, raw) => {
    const extra = claim === 'exp' ? '' : `,"exp":${NOW + 60}`
    const t = forge({ alg: 'HS256' }, `{"${claim}":${raw}${extra}}`, KEY256)
    const err = claimError(() => verify(t, KEY256, { ...at(NOW), requiredClaims: [] }))
    expect([err.code, err.claim, err.reason]).toEqual(['ERR_JWT_CLAIM_INVALID', claim, 'invalid'])
  })

  test('exp is required by default; requiredClaims: [] accepts tokens that never expire', () => {
    const forever = token({ sub: 'u' })
    const err = claimError(() => verify(forever, KEY256))
    expect([err.code, err.claim, err.reason]).toEqual(['ERR_JWT_CLAIM_INVALID', 'exp', 'missing'])
    expect(verify(forever, KEY256, { requiredClaims: [] }).payload.sub).toBe('u')
  })

  test('requiredClaims names any claim, checked as own members only', () => {
    const t = token({ exp: NOW + 60, tenant: 't1' })
    expect(codeOf(() => verify(t, KEY256, { ...at(NOW), requiredClaims: ['exp', 'tenant'] }))).toBe(
      'no error',
    )
    const err = claimError(() => verify(t, KEY256, { ...at(NOW), requiredClaims: ['toString'] }))
    expect([err.claim, err.reason]).toEqual(['toString', 'missing'])
  })

  test('a throwing or invalid clock is a TypeError, not a JwtError', () => {
    const t = token({ exp: NOW + 60 })
    expect(() => verify(t, KEY256, { now: () => Number.NaN })).toThrow(TypeError)
    expect(() => verify(t, KEY256, { now: new Date('nope') })).toThrow(TypeError)
  })
})

describe('verify: iss, sub, aud, jti, typ', () => {
  const t = (claims: Record<string, unknown>, typ?: string) =>
    sign({ exp: NOW + 60, ...claims }, KEY256, { noTimestamp: true, ...(typ ? { typ } : {}) })

  test('issuer: exact, one of a list, required when configured', () => {
    expect(verify(t({ iss: 'a' }), KEY256, { ...at(NOW), issuer: 'a' }).payload.iss).toBe('a')
    expect(verify(t({ iss: 'b' }), KEY256, { ...at(NOW), issuer: ['a', 'b'] }).payload.iss).toBe('b')
    const mismatch = claimError(() => verify(t({ iss: 'A' }), KEY256, { ...at(NOW), issuer: 'a' }))
    expect([mismatch.code, mismatch.claim, mismatch.reason]).toEqual([
      'ERR_JWT_CLAIM_INVALID',
      'iss',
      'mismatch',
    ])
    const missing = claimError(() => verify(t({}), KEY256, { ...at(NOW), issuer: 'a' }))
    expect([missing.claim, missing.reason]).toEqual(['iss', 'missing'])
  })

  test('audience: string or array on both sides, any overlap matches', () => {
    expect(codeOf(() => verify(t({ aud: 'api' }), KEY256, { ...at(NOW), audience: 'api' }))).toBe('no error')
    expect(codeOf(() => verify(t({ aud: ['x', 'api'] }), KEY256, { ...at(NOW), audience: 'api' }))).toBe(
      'no error',
    )
    expect(codeOf(() => verify(t({ aud: 'api' }), KEY256, { ...at(NOW), audience: ['web', 'api'] }))).toBe(
      'no error',
    )
    expect(codeOf(() => verify(t({ aud: ['x', 'y'] }), KEY256, { ...at(NOW), audience: ['api', 'z'] }))).toBe(
      'ERR_JWT_CLAIM_INVALID',
    )
    expect(codeOf(() => verify(t({ aud: [] }), KEY256, { ...at(NOW), audience: 'api' }))).toBe(
      'ERR_JWT_CLAIM_INVALID',
    )
    const missing = claimError(() => verify(t({}), KEY256, { ...at(NOW), audience: 'api' }))
    expect([missing.claim, missing.reason]).toEqual(['aud', 'missing'])
  })

  test('subject must match exactly and becomes required', () => {
    expect(codeOf(() => verify(t({ sub: 'u1' }), KEY256, { ...at(NOW), subject: 'u1' }))).toBe('no error')
    expect(claimError(() => verify(t({ sub: 'u2' }), KEY256, { ...at(NOW), subject: 'u1' })).reason).toBe(
      'mismatch',
    )
    expect(claimError(() => verify(t({}), KEY256, { ...at(NOW), subject: 'u1' })).reason).toBe('missing')
  })

  test.each([
    ['iss', '1'],
    ['sub', '{}'],
    ['jti', '7'],
    ['aud', '[1]'],
    ['aud', '{"a":1}'],
  ])('%s of the wrong type (%s) is invalid even when not configured', (claim, raw) => {
    const token = forge({ alg: 'HS256' }, `{"exp":${NOW + 60},"${claim}":${raw}}`, KEY256)
    const err = claimError(() => verify(token, KEY256, at(NOW)))
    expect([err.code, err.claim, err.reason]).toEqual(['ERR_JWT_CLAIM_INVALID', claim, 'invalid'])
  })

  test('typ is compared case-insensitively with an optional application/ prefix', () => {
    expect(codeOf(() => verify(t({}, 'at+jwt'), KEY256, { ...at(NOW), typ: 'at+JWT' }))).toBe('no error')
    expect(codeOf(() => verify(t({}, 'application/at+jwt'), KEY256, { ...at(NOW), typ: 'at+jwt' }))).toBe(
      'no error',
    )
    const wrong = claimError(() => verify(t({}, 'JWT'), KEY256, { ...at(NOW), typ: 'at+jwt' }))
    expect([wrong.code, wrong.claim, wrong.reason]).toEqual(['ERR_JWT_CLAIM_INVALID', 'typ', 'mismatch'])
    const none = forge({ alg: 'HS256' }, { exp: NOW + 60 }, KEY256)
    expect(claimError(() => verify(none, KEY256, { ...at(NOW), typ: 'at+jwt' })).claim).toBe('typ')
  })
})

describe('verify: results and revocation', () => {
  test('returns the header and payload; other header parameters pass through', () => {
    const token = forge(
      { alg: 'HS256', typ: 'JWT', cty: 'x' },
      { exp: NOW + 60, n: [1, { a: null }] },
      KEY256,
    )
    expect(verify(token, KEY256, at(NOW))).toEqual({
      header: { alg: 'HS256', typ: 'JWT', cty: 'x' },
      payload: { exp: NOW + 60, n: [1, { a: null }] },
    })
  })

  test('isRevoked sees payload and header after every other check; true rejects', () => {
    const denied = new Set(['j2'])
    const seen: unknown[] = []
    const verifier = createVerifier({
      key: KEY256,
      now: NOW_MS,
      isRevoked: (payload, header) => {
        seen.push([payload.jti, header.alg])
        return denied.has(payload.jti ?? '')
      },
    })
    const token = (jti: string) => sign({ exp: NOW + 60 }, KEY256, { jwtId: jti })
    expect(verifier(token('j1')).payload.jti).toBe('j1')
    expect(codeOf(() => verifier(token('j2')))).toBe('ERR_JWT_REVOKED')
    expect(codeOf(() => verifier(sign({ exp: NOW }, KEY256, { jwtId: 'j3' })))).toBe('ERR_JWT_EXPIRED')
    expect(seen).toEqual([
      ['j1', 'HS256'],
      ['j2', 'HS256'],
    ])
  })

  test('isRevoked errors propagate unchanged and leave the verifier working', () => {
    let fail = true
    const verifier = createVerifier({
      key: KEY256,
      now: NOW_MS,
      cache: true,
      isRevoked: () => {
        if (fail) throw new Error('denylist down')
        return false
      },
    })
    const token = sign({ exp: NOW + 60 }, KEY256)
    expect(() => verifier(token)).toThrow('denylist down')
    fail = false
    expect(verifier(token).payload.exp).toBe(NOW + 60)
  })

  test('isRevoked must answer a boolean synchronously in the default entry', () => {
    const token = sign({ exp: NOW + 60 }, KEY256)
    const asyncHook = createVerifier({ key: KEY256, now: NOW_MS, isRevoked: (async () => false) as never })
    expect(() => asyncHook(token)).toThrow(/returned a Promise/)
    const truthy = createVerifier({ key: KEY256, now: NOW_MS, isRevoked: (() => 1) as never })
    expect(() => truthy(token)).toThrow(/must return a boolean, got 1/)
    expect(() => createVerifier({ key: KEY256, isRevoked: 'yes' as never })).toThrow(TypeError)
  })

  test('HS512 with a 64-byte key round-trips', () => {
    const token = sign({ exp: NOW + 60 }, KEY512, { algorithm: 'HS512' })
    expect(verify(token, KEY512, { ...at(NOW), algorithms: ['HS512'] }).header.alg).toBe('HS512')
    expect(verify(token, { key: KEY512, algorithm: 'HS512' }, at(NOW)).header.alg).toBe('HS512')
  })
})

describe('decodeUnverified', () => {
  test('reads any well-formed token without checking signature or claims', () => {
    const t = forge({ alg: 'none', kid: 'x' }, { exp: 1, sub: 'anyone' }, 'not the key')
    expect(decodeUnverified(t)).toEqual({
      header: { alg: 'none', kid: 'x' },
      payload: { exp: 1, sub: 'anyone' },
    })
  })

  test('applies the structural rules of verify', () => {
    const t = sign({ exp: NOW }, KEY256)
    expect(codeOf(() => decodeUnverified(`${t}=`))).toBe('ERR_JWT_MALFORMED')
    expect(codeOf(() => decodeUnverified(`${t.split('.')[0]}.${t.split('.')[1]}.`))).toBe('ERR_JWT_MALFORMED')
    expect(codeOf(() => decodeUnverified(t.slice(0, t.lastIndexOf('.'))))).toBe('ERR_JWT_MALFORMED')
    expect(codeOf(() => decodeUnverified(forge({ alg: 'HS256' }, '{"a":1,"a":2}', KEY256)))).toBe(
      'ERR_JWT_DUPLICATE_MEMBER',
    )
    expect(codeOf(() => decodeUnverified('x'.repeat(9000)))).toBe('ERR_JWT_TOO_LONG')
    expect(codeOf(() => decodeUnverified('x'.repeat(9000), { maxTokenLength: 10_000 }))).toBe(
      'ERR_JWT_MALFORMED',
    )
    expect(() => decodeUnverified(t, { maxTokenLength: 1 })).toThrow(RangeError)
    expect(() => decodeUnverified(t, { strict: false } as never)).toThrow(/unknown option `strict`/)
  })
})
