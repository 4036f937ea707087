import { build } from 'esbuild'
import { afterEach, describe, expect, test, vi } from 'vitest'
import * as node from '../src/index.js'
import * as web from '../src/web.js'
import { KEY256, KEY512, NOW, NOW_MS } from './helpers.js'

describe('./web entry', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
  })

  test('bundles for the browser with no node: import, Buffer or process in its code', async () => {
    const out = await build({
      entryPoints: [new URL('../src/web.ts', import.meta.url).pathname],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'browser',
      logLevel: 'silent',
    })
    const code = out.outputFiles[0]!.text
    expect(code).not.toMatch(/node:|require\(/)
    expect(code).not.toMatch(/\bBuffer\b/)
    expect(code).not.toMatch(/\bprocess\b/)
    expect(code).toMatch(/subtle/)
  })

  test('exports the same functions and error codes as the default entry', () => {
    const functions = (m: object) =>
      Object.entries(m)
        .filter(([, v]) => typeof v === 'function')
        .map(([k]) => k)
        .sort()
    expect(functions(web)).toEqual(functions(node))
    expect(web.JWT_ERROR_CODES).toEqual(node.JWT_ERROR_CODES)
    expect(web.JwtError).toBe(node.JwtError)
  })

  test('signs and verifies with an HMAC CryptoKey on both sides', async () => {
    const { subtle } = globalThis.crypto
    const k = (await subtle.importKey('raw', KEY512, { name: 'HMAC', hash: 'SHA-512' }, false, [
      'sign',
      'verify',
    ])) as web.WebCryptoKey
    const token = await web.sign({ exp: NOW + 60 }, k, { algorithm: 'HS512', now: NOW_MS })
    expect((await web.verify(token, k, { algorithms: ['HS512'], now: NOW_MS })).payload.exp).toBe(NOW + 60)
    expect(node.verify(token, KEY512, { algorithms: ['HS512'], now: NOW_MS }).payload.exp).toBe(NOW + 60)
    const verifyOnly = (await subtle.importKey('raw', KEY512, { name: 'HMAC', hash: 'SHA-512' }, false, [
      'verify',
    ])) as web.WebCryptoKey
    expect(() => web.createSigner({ key: verifyOnly, algorithm: 'HS512' })).toThrow(
      /usages do not include "sign"/,
    )
  })

  test('factories throw option errors synchronously; the one-shot functions reject', async () => {
    expect(() => web.createSigner({ key: KEY256, expiresIn: -1 })).toThrow(RangeError)
    expect(() => web.createVerifier({ key: KEY256, algorithms: ['none' as never] })).toThrow(TypeError)
    await expect(web.sign({}, KEY256, { expiresIn: -1 })).rejects.toThrow(RangeError)
    await expect(web.sign([] as never, KEY256)).rejects.toThrow(TypeError)
  })

  test('isRevoked may be async', async () => {
    const verifier = web.createVerifier({
      key: KEY256,
      now: NOW_MS,
      isRevoked: async (p) => p.jti === 'bad',
    })
    const t = (jti: string) => node.sign({ exp: NOW + 60 }, KEY256, { jwtId: jti })
    expect((await verifier(t('good'))).payload.jti).toBe('good')
    await expect(verifier(t('bad'))).rejects.toMatchObject({ code: 'ERR_JWT_REVOKED' })
    const notBoolean = web.createVerifier({
      key: KEY256,
      now: NOW_MS,
      isRevoked: (async () => 'no') as never,
    })
    await expect(notBoolean(t('x'))).rejects.toThrow(/must return a boolean/)
  })

  test('without WebCrypto the entry says so with a TypeError', () => {
    vi.stubGlobal('crypto', undefined)
    expect(() => web.generateSecret()).toThrow(/WebCrypto is not available/)
    expect(() => web.createSigner({ key: KEY256 })).toThrow(/WebCrypto is not available/)
  })
})
