import { createSecretKey } from 'node:crypto'
import { describe, expect, test } from 'vitest'
import {
  createSigner,
  createVerifier,
  generateSecret,
  type KeyEntry,
  type KeyInput,
  sign,
  verify,
} from '../src/index.js'
import * as web from '../src/web.js'
import { codeOf, KEY256, KEY384, KEY512, NOW, NOW_MS } from './helpers.js'

const opts = { now: NOW_MS }
const exp = { exp: NOW + 60 }

describe('key material', () => {
  test('Uint8Array, Buffer, string (UTF-8) and a secret KeyObject with the same bytes agree', () => {
    const text = 'correct horse battery staple, 32+ bytes long!'
    const token = sign(exp, text)
    for (const k of [
      text,
      Buffer.from(text),
      new Uint8Array(Buffer.from(text)),
      createSecretKey(Buffer.from(text)),
    ]) {
      expect(verify(token, k, opts).payload).toMatchObject(exp)
      expect(sign(exp, k)).toBe(token)
    }
  })

  test('the key bytes are copied: mutating the caller buffer later changes nothing', () => {
    const k = Buffer.from(KEY256)
    const signer = createSigner({ key: k, noTimestamp: true })
    const verifier = createVerifier({ key: k, ...opts })
    const before = signer(exp)
    k.fill(0)
    expect(signer(exp)).toBe(before)
    expect(verifier(before).payload).toMatchObject(exp)
  })

  test('keys longer than the hash block are hashed first (RFC 2104) and still verify', () => {
    const long = Uint8Array.from({ length: 200 }, (_, i) => i)
    for (const algorithm of ['HS256', 'HS384', 'HS512'] as const) {
      const token = sign(exp, long, { algorithm })
      expect(verify(token, long, { ...opts, algorithms: [algorithm] }).header.alg).toBe(algorithm)
    }
  })

  test('values that are not key material are TypeErrors naming what is accepted', () => {
    for (const bad of [undefined, null, 42, {}, [1, 2], new ArrayBuffer(32)]) {
      expect(() => createVerifier({ key: bad as never })).toThrow(TypeError)
      expect(() => createSigner({ key: bad as never })).toThrow(
        /`key` must be a Uint8Array\/Buffer, a string or a secret KeyObject/,
      )
    }
  })

  test('generateSecret returns hash-size random keys that are accepted as is', () => {
    for (const [alg, size] of [
      ['HS256', 32],
      ['HS384', 48],
      ['HS512', 64],
    ] as const) {
      const a = generateSecret(alg)
      const b = web.generateSecret(alg)
      expect([a.length, b.length]).toEqual([size, size])
      expect(Buffer.from(a).equals(Buffer.from(generateSecret(alg)))).toBe(false)
      expect(verify(sign(exp, a, { algorithm: alg }), a, { ...opts, algorithms: [alg] }).header.alg).toBe(alg)
    }
    expect(() => generateSecret('none' as never)).toThrow(
      "`algorithm` must be one of 'HS256', 'HS384', 'HS512'",
    )
  })
})

describe('binding a key to one algorithm (RFC 8725 section 3.1)', () => {
  test('a bare key with several allowed algorithms is a TypeError', () => {
    expect(() => createVerifier({ key: KEY512, algorithms: ['HS256', 'HS512'] })).toThrow(
      /bound to exactly one algorithm/,
    )
  })

  test('a { key, algorithm } entry sets the default allowlist to its algorithm', () => {
    const token = sign(exp, KEY384, { algorithm: 'HS384' })
    expect(verify(token, { key: KEY384, algorithm: 'HS384' }, opts).header.alg).toBe('HS384')
    const hs256 = sign(exp, KEY512)
    expect(codeOf(() => verify(hs256, { key: KEY512, algorithm: 'HS512' }, opts))).toBe(
      'ERR_JWS_ALG_NOT_ALLOWED',
    )
  })

  test('an entry bound to an algorithm outside `algorithms` is a TypeError', () => {
    expect(() => createVerifier({ key: { key: KEY512, algorithm: 'HS512' }, algorithms: ['HS256'] })).toThrow(
      /bound to HS512, which `algorithms` does not allow/,
    )
  })
})

describe('key rotation with a Map of kid -> key', () => {
  const keys = new Map<string, KeyInput | KeyEntry<KeyInput>>([
    ['2024', { key: KEY256, algorithm: 'HS256' }],
    ['2025', { key: KEY512, algorithm: 'HS512' }],
  ])

  test('old and new tokens verify during the overlap; each against its own key and algorithm', () => {
    const verifier = createVerifier({ key: keys, ...opts })
    const old = sign(exp, KEY256, { keyId: '2024' })
    const fresh = sign(exp, KEY512, { keyId: '2025', algorithm: 'HS512' })
    expect(verifier(old).header).toEqual({ alg: 'HS256', typ: 'JWT', kid: '2024' })
    expect(verifier(fresh).header).toEqual({ alg: 'HS512', typ: 'JWT', kid: '2025' })
  })

  test('a token signed with one key but naming the other kid fails', () => {
    const verifier = createVerifier({ key: keys, ...opts })
    expect(codeOf(() => verifier(sign(exp, KEY256, { keyId: '2025' })))).toBe('ERR_JWS_ALG_MISMATCH')
    expect(
      codeOf(() =>
        verifier(sign(exp, KEY384, { keyId: '2025', algorithm: 'HS512', unsafeAllowShortKeys: true })),
      ),
    ).toBe('ERR_JWS_SIGNATURE_INVALID')
  })

  test('the map is copied at creation: retiring a key means building a new verifier', () => {
    const live = new Map(keys)
    const verifier = createVerifier({ key: live, ...opts })
    live.delete('2024')
    const old = sign(exp, KEY256, { keyId: '2024' })
    expect(verifier(old).payload).toMatchObject(exp)
    expect(codeOf(() => createVerifier({ key: live, algorithms: ['HS256', 'HS512'], ...opts })(old))).toBe(
      'ERR_JWT_KEY_NOT_FOUND',
    )
    // Without `algorithms`, the allowlist is what the remaining keys are bound to.
    expect(codeOf(() => createVerifier({ key: live, ...opts })(old))).toBe('ERR_JWS_ALG_NOT_ALLOWED')
  })

  test('bare keys in a map are bound to the single allowed algorithm', () => {
    const verifier = createVerifier({ key: new Map([['a', KEY256]]), ...opts })
    expect(verifier(sign(exp, KEY256, { keyId: 'a' })).header.kid).toBe('a')
    expect(() => createVerifier({ key: new Map([['a', KEY512]]), algorithms: ['HS256', 'HS512'] })).toThrow(
      TypeError,
    )
  })

  test('map keys must be bounded non-empty strings, and the map must not be empty', () => {
    expect(() => createVerifier({ key: new Map() })).toThrow(/empty/)
    expect(() => createVerifier({ key: new Map([['', KEY256]]) })).toThrow(/Map keys are kid values/)
    expect(() => createVerifier({ key: new Map([[1 as never, KEY256]]) })).toThrow(TypeError)
  })

  test('a bad key inside a map fails the verifier at creation, with its code', () => {
    expect(codeOf(() => createVerifier({ key: new Map([['a', 'short']]) }))).toBe('ERR_JWT_KEY_TOO_SHORT')
  })
})

describe('key rotation with a resolver', () => {
  test('the resolver sees the verified header and picks the key', () => {
    const seen: unknown[] = []
    const verifier = createVerifier({
      ...opts,
      algorithms: ['HS256', 'HS512'],
      key: (header) => {
        seen.push(header)
        if (header.kid === 'a') return { key: KEY256, algorithm: 'HS256' }
        if (header.kid === 'b') return { key: KEY512, algorithm: 'HS512' }
        return undefined
      },
    })
    expect(verifier(sign(exp, KEY256, { keyId: 'a' })).payload).toMatchObject(exp)
    expect(verifier(sign(exp, KEY512, { keyId: 'b', algorithm: 'HS512' })).payload).toMatchObject(exp)
    expect(codeOf(() => verifier(sign(exp, KEY256, { keyId: 'c' })))).toBe('ERR_JWT_KEY_NOT_FOUND')
    expect(codeOf(() => verifier(sign(exp, KEY256, { keyId: 'b' })))).toBe('ERR_JWS_ALG_MISMATCH')
    expect(seen[0]).toEqual({ alg: 'HS256', typ: 'JWT', kid: 'a' })
    expect(Object.isFrozen(seen[0])).toBe(true)
  })

  test('the resolver is not called for tokens that fail before key selection', () => {
    let calls = 0
    const verifier = createVerifier({
      ...opts,
      key: () => {
        calls++
        return KEY256
      },
    })
    expect(codeOf(() => verifier('not.a.token'))).not.toBe('no error')
    expect(codeOf(() => verifier(`${sign(exp, KEY256)}=`))).toBe('ERR_JWT_MALFORMED')
    expect(calls).toBe(0)
    verifier(sign(exp, KEY256))
    expect(calls).toBe(1)
  })

  test('a resolver that throws leaves the verifier usable', () => {
    let fail = true
    const verifier = createVerifier({
      ...opts,
      key: () => {
        if (fail) throw new Error('key service down')
        return KEY256
      },
    })
    const token = sign(exp, KEY256)
    expect(() => verifier(token)).toThrow('key service down')
    fail = false
    expect(verifier(token).payload).toMatchObject(exp)
  })

  test('keys returned by a resolver follow the key rules', () => {
    const verifier = createVerifier({ ...opts, key: () => 'short' })
    expect(codeOf(() => verifier(sign(exp, KEY256)))).toBe('ERR_JWT_KEY_TOO_SHORT')
    const pem = createVerifier({ ...opts, key: () => `-----BEGIN PUBLIC KEY-----\n${'A'.repeat(64)}` })
    expect(codeOf(() => pem(sign(exp, KEY256)))).toBe('ERR_JWT_KEY_INVALID')
    expect(() => createVerifier({ ...opts, key: () => 42 as never })(sign(exp, KEY256))).toThrow(TypeError)
  })

  test('the web entry accepts an async resolver', async () => {
    const verifier = web.createVerifier({
      ...opts,
      key: async (header) => (header.kid === 'k' ? { key: KEY256, algorithm: 'HS256' as const } : undefined),
    })
    expect((await verifier(sign(exp, KEY256, { keyId: 'k' }))).payload).toMatchObject(exp)
    await expect(verifier(sign(exp, KEY256, { keyId: 'x' }))).rejects.toMatchObject({
      code: 'ERR_JWT_KEY_NOT_FOUND',
    })
  })
})
