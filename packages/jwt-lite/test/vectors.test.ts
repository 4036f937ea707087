import { describe, expect, test } from 'vitest'
import { createVerifier, JwtError, verify } from '../src/index.js'
import { NodeHmac } from '../src/node/hmac.js'
import { algorithmInfo } from '../src/shared/algorithms.js'
import * as web from '../src/web.js'
import { codeOf } from './helpers.js'

// RFC 7515 Appendix A.1: HS256 over a header and payload that are not what JSON.stringify would
// produce (CRLF and spaces inside), with the key given as a JWK "k".
const A1 = {
  key: Buffer.from(
    'AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow',
    'base64url',
  ),
  header: 'eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9',
  payload: 'eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ',
  signature: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
  exp: 1300819380,
}
const A1_TOKEN = `${A1.header}.${A1.payload}.${A1.signature}`

describe('RFC 7515 Appendix A.1 (HS256)', () => {
  test('the MAC matches the published signature byte for byte', () => {
    const mac = new NodeHmac(algorithmInfo('HS256')!, A1.key)
    expect(mac.sign(`${A1.header}.${A1.payload}`)).toBe(A1.signature)
    expect(mac.verify(A1_TOKEN, A1.header.length + 1 + A1.payload.length, A1.signature)).toBe(true)
  })

  test('verifies with a clock injected just before exp', () => {
    const { header, payload } = verify(A1_TOKEN, A1.key, { now: (A1.exp - 1) * 1000 })
    expect(header).toEqual({ typ: 'JWT', alg: 'HS256' })
    expect(payload).toEqual({ iss: 'joe', exp: A1.exp, 'http://example.com/is_root': true })
  })

  test('is expired at exp itself and after', () => {
    expect(codeOf(() => verify(A1_TOKEN, A1.key, { now: A1.exp * 1000 }))).toBe('ERR_JWT_EXPIRED')
    expect(codeOf(() => verify(A1_TOKEN, A1.key))).toBe('ERR_JWT_EXPIRED')
  })

  test('verifies in the ./web entry too', async () => {
    const { payload } = await web.verify(A1_TOKEN, A1.key, { now: new Date((A1.exp - 1) * 1000) })
    expect(payload.iss).toBe('joe')
  })

  // 43 characters carry 258 bits for a 256-bit MAC: the last character's two low bits are
  // unused, so 'k' (100100) could also be spelt 'l', 'm' or 'n'. All decode to the same bytes.
  test.each(['l', 'm', 'n'])(
    'the alternate spelling %s of the last signature character is rejected',
    async (c) => {
      const token = A1_TOKEN.slice(0, -1) + c
      expect(Buffer.from(token.slice(-43), 'base64url')).toEqual(Buffer.from(A1.signature, 'base64url'))
      const verifier = createVerifier({ key: A1.key, now: (A1.exp - 1) * 1000 })
      expect(codeOf(() => verifier(token))).toBe('ERR_JWT_MALFORMED')
      const webVerifier = web.createVerifier({ key: A1.key, now: (A1.exp - 1) * 1000 })
      await expect(webVerifier(token)).rejects.toMatchObject({ code: 'ERR_JWT_MALFORMED' })
    },
  )
})

// RFC 7520 section 4.4: HS256 with a kid, over a payload that is plain text, not JSON; so it is
// checked at the signature level: the MAC must match, and verify must get past the signature and
// fail only when it parses the payload as claims.
const R4_4 = {
  key: Buffer.from('hJtXIZ2uSN5kbQfbtTNWbpdmhkV8FJG-Onbc6mxCcYg', 'base64url'),
  kid: '018c0ae5-4d9b-471b-bfd6-eef314bc7037',
  header: 'eyJhbGciOiJIUzI1NiIsImtpZCI6IjAxOGMwYWU1LTRkOWItNDcxYi1iZmQ2LWVlZjMxNGJjNzAzNyJ9',
  payload:
    'SXTigJlzIGEgZGFuZ2Vyb3VzIGJ1c2luZXNzLCBGcm9kbywgZ29pbmcgb3V0IHlvdXIgZG9vci4gWW91IHN0ZXAgb250byB0aGUgcm9hZCwgYW5kIGlmIHlvdSBkb24ndCBrZWVwIHlvdXIgZmVldCwgdGhlcmXigJlzIG5vIGtub3dpbmcgd2hlcmUgeW91IG1pZ2h0IGJlIHN3ZXB0IG9mZiB0by4',
  signature: 's0h6KThzkfBBBkLspW1h84VsJZFTsPPqMDA7g1Md7p0',
}
const R4_4_TOKEN = `${R4_4.header}.${R4_4.payload}.${R4_4.signature}`

describe('RFC 7520 section 4.4 (HS256 integrity protection), at the signature level', () => {
  test('the payload is the published text', () => {
    expect(Buffer.from(R4_4.payload, 'base64url').toString('utf8')).toMatch(
      /^It\u2019s a dangerous business, Frodo, going out your door\./,
    )
  })

  test('both HMAC paths (crypto.hash and createHmac) produce the published signature', () => {
    const info = algorithmInfo('HS256')!
    expect(new NodeHmac(info, R4_4.key, true).sign(`${R4_4.header}.${R4_4.payload}`)).toBe(R4_4.signature)
    expect(new NodeHmac(info, R4_4.key, false).sign(`${R4_4.header}.${R4_4.payload}`)).toBe(R4_4.signature)
  })

  test('verify passes the MAC (kid map) and stops at the non-JSON payload', async () => {
    const keys = new Map([[R4_4.kid, R4_4.key]])
    const err = (() => {
      try {
        verify(R4_4_TOKEN, keys)
        return undefined
      } catch (e) {
        return e as JwtError
      }
    })()
    expect(err).toBeInstanceOf(JwtError)
    expect(err?.code).toBe('ERR_JWT_INVALID_JSON')
    await expect(web.verify(R4_4_TOKEN, keys)).rejects.toMatchObject({ code: 'ERR_JWT_INVALID_JSON' })
  })

  test('a changed payload character fails at the MAC instead', async () => {
    const p = R4_4.payload
    const tampered = `${R4_4.header}.${p.slice(0, 10)}${p[10] === 'A' ? 'B' : 'A'}${p.slice(11)}.${R4_4.signature}`
    expect(codeOf(() => verify(tampered, new Map([[R4_4.kid, R4_4.key]])))).toBe('ERR_JWS_SIGNATURE_INVALID')
    await expect(web.verify(tampered, new Map([[R4_4.kid, R4_4.key]]))).rejects.toMatchObject({
      code: 'ERR_JWS_SIGNATURE_INVALID',
    })
  })
})
