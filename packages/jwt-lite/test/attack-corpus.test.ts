import { generateKeyPairSync, KeyObject } from 'node:crypto'
import { describe, expect, test } from 'vitest'
import { createSigner, createVerifier, JWT_ERROR_CODES, JwtError, sign, verify } from '../src/index.js'
import * as web from '../src/web.js'
import { attackCorpus, type CorpusCase, type KeySpec } from './corpus.js'
import { asyncCodeOf, codeOf, KEY256, NOW, NOW_MS } from './helpers.js'

const corpus = attackCorpus()

function key(spec: KeySpec): never {
  if ('text' in spec) return spec.text as never
  if ('b64' in spec) return Buffer.from(spec.b64, 'base64url') as never
  return new Map(
    spec.map.map(([kid, k, alg]) => {
      const material = 'text' in k ? k.text : Buffer.from(k.b64, 'base64url')
      return [kid, alg ? { key: material, algorithm: alg } : material]
    }),
  ) as never
}

describe('attack corpus', () => {
  test('has at least 40 cases in every class, and reaches every failure code but revocation', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(40)
    const kinds = new Set(corpus.map((c) => c.kind))
    expect([...kinds].sort()).toEqual(['algorithm', 'claims', 'header', 'key', 'payload', 'structure'])
    const codes = new Set(corpus.map((c) => c.expected))
    expect(JWT_ERROR_CODES.filter((c) => !codes.has(c))).toEqual(['ERR_JWT_REVOKED'])
    expect(new Set(corpus.map((c) => c.name)).size).toBe(corpus.length)
  })

  test('the control token verifies, so every rejection below is caused by its mutation', async () => {
    const control = corpus.find((c) => c.name === 'signature from another key')!
    const honest = sign({ sub: 'victim', admin: false, exp: NOW + 3600 }, KEY256, { noTimestamp: true })
    expect(honest.split('.')[0]).toBe(control.token.split('.')[0])
    expect(verify(honest, KEY256, { now: NOW_MS }).payload.sub).toBe('victim')
    expect((await web.verify(honest, KEY256, { now: NOW_MS })).payload.sub).toBe('victim')
  })

  test.each(corpus.map((c) => [`${c.kind}: ${c.name}`, c] as [string, CorpusCase]))(
    '%s',
    async (_name, c) => {
      const options = c.options as never
      expect(codeOf(() => verify(c.token, key(c.key), options))).toBe(c.expected)
      expect(await asyncCodeOf(() => web.verify(c.token, key(c.key), options))).toBe(c.expected)
    },
  )
})

describe('keys only the node entry or the web entry can be handed', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' })

  test.each([
    ['RSA public', rsa.publicKey],
    ['RSA private', rsa.privateKey],
    ['EC public', ec.publicKey],
  ])('an asymmetric KeyObject (%s) is ERR_JWT_KEY_INVALID on sign and verify', (_n, keyObject) => {
    expect(keyObject).toBeInstanceOf(KeyObject)
    expect(codeOf(() => createVerifier({ key: keyObject }))).toBe('ERR_JWT_KEY_INVALID')
    expect(codeOf(() => createSigner({ key: keyObject }))).toBe('ERR_JWT_KEY_INVALID')
  })

  test('the exported PEM and JWK of those keys are refused as strings and bytes', () => {
    const pem = rsa.publicKey.export({ type: 'spki', format: 'pem' }) as string
    const jwk = JSON.stringify(ec.publicKey.export({ format: 'jwk' }))
    for (const k of [pem, Buffer.from(pem), jwk, Buffer.from(jwk), `\ufeff${jwk}`]) {
      expect(codeOf(() => createVerifier({ key: k }))).toBe('ERR_JWT_KEY_INVALID')
      expect(codeOf(() => createSigner({ key: k }))).toBe('ERR_JWT_KEY_INVALID')
    }
  })

  test('an asymmetric or mismatched CryptoKey is ERR_JWT_KEY_INVALID in the web entry', async () => {
    const { subtle } = globalThis.crypto
    const pair = (await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
      'sign',
      'verify',
    ])) as {
      publicKey: web.WebCryptoKey
      privateKey: web.WebCryptoKey
    }
    expect(codeOf(() => web.createVerifier({ key: pair.publicKey }))).toBe('ERR_JWT_KEY_INVALID')
    expect(codeOf(() => web.createSigner({ key: pair.privateKey }))).toBe('ERR_JWT_KEY_INVALID')
    const hmac512 = (await subtle.importKey(
      'raw',
      new Uint8Array(64),
      { name: 'HMAC', hash: 'SHA-512' },
      false,
      ['verify'],
    )) as web.WebCryptoKey
    expect(codeOf(() => web.createVerifier({ key: hmac512 }))).toBe('ERR_JWT_KEY_INVALID')
    expect(codeOf(() => web.createSigner({ key: hmac512, algorithm: 'HS512' }))).toBe('ERR_JWT_KEY_INVALID')
    const short = (await subtle.importKey(
      'raw',
      new Uint8Array(16),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['verify'],
    )) as web.WebCryptoKey
    expect(codeOf(() => web.createVerifier({ key: short }))).toBe('ERR_JWT_KEY_TOO_SHORT')
    expect(codeOf(() => web.createVerifier({ key: short, unsafeAllowShortKeys: true }))).toBe('no error')
  })

  test('a short key on the signing side is refused too, unless explicitly waived', () => {
    expect(codeOf(() => sign({}, 'secret'))).toBe('ERR_JWT_KEY_TOO_SHORT')
    expect(codeOf(() => createSigner({ key: KEY256.subarray(0, 31) }))).toBe('ERR_JWT_KEY_TOO_SHORT')
    const token = sign({ exp: NOW + 60 }, 'secret', { unsafeAllowShortKeys: true })
    expect(verify(token, 'secret', { unsafeAllowShortKeys: true, now: NOW_MS }).payload.exp).toBe(NOW + 60)
    // Never waived: an empty key.
    expect(codeOf(() => sign({}, '', { unsafeAllowShortKeys: true }))).toBe('ERR_JWT_KEY_INVALID')
  })

  test('key error messages never contain the key', () => {
    const secretish = 'my-very-private-but-short-secret'.slice(0, 20)
    try {
      sign({}, secretish)
    } catch (err) {
      expect(err).toBeInstanceOf(JwtError)
      expect((err as Error).message).not.toContain(secretish)
    }
  })
})
