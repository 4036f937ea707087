import * as jose from 'jose'
import { describe, expect, test } from 'vitest'
import { createSigner, createVerifier, type JwtPayload } from '../src/index.js'
import * as web from '../src/web.js'
import { codeOf, KEYS, NOW, NOW_MS } from './helpers.js'

const algorithms = ['HS256', 'HS384', 'HS512'] as const
const currentDate = new Date(NOW_MS)
const claims: JwtPayload = {
  sub: 'user-42',
  scope: 'read write',
  nested: { a: [1, 'two', null] },
  'é✓': '😀',
}

describe('interop with jose', () => {
  test.each(algorithms)('jwt-lite %s tokens verify in jose with every claim check', async (alg) => {
    const key = KEYS[alg]
    const token = createSigner({
      key,
      algorithm: alg,
      now: NOW_MS,
      expiresIn: '1h',
      notBefore: 0,
      issuer: 'https://auth.example.com',
      audience: ['api', 'web'],
      jwtId: 'j-1',
      keyId: 'k-1',
      typ: 'at+jwt',
    })(claims)
    const { payload, protectedHeader } = await jose.jwtVerify(token, key, {
      algorithms: [alg],
      issuer: 'https://auth.example.com',
      audience: 'api',
      subject: 'user-42',
      typ: 'at+jwt',
      currentDate,
      maxTokenAge: '2h',
      requiredClaims: ['exp', 'iat', 'nbf', 'jti'],
    })
    expect(protectedHeader).toEqual({ alg, typ: 'at+jwt', kid: 'k-1' })
    expect(payload).toEqual({
      ...claims,
      iss: 'https://auth.example.com',
      aud: ['api', 'web'],
      jti: 'j-1',
      iat: NOW,
      nbf: NOW,
      exp: NOW + 3600,
    })
  })

  test.each(algorithms)('jose %s tokens verify in jwt-lite (both entries)', async (alg) => {
    const key = KEYS[alg]
    const token = await new jose.SignJWT(claims)
      .setProtectedHeader({ alg, typ: 'JWT', kid: 'k-2' })
      .setIssuedAt(NOW)
      .setNotBefore(NOW)
      .setExpirationTime(NOW + 600)
      .setIssuer('iss-1')
      .setAudience('api')
      .setJti('j-2')
      .sign(key)
    const options = {
      key: new Map([['k-2', { key, algorithm: alg }]]),
      issuer: 'iss-1',
      audience: ['api'],
      subject: 'user-42',
      typ: 'JWT',
      maxAge: '1h',
      now: NOW_MS,
    }
    const fromNode = createVerifier(options)(token)
    const fromWeb = await web.createVerifier(options)(token)
    expect(fromWeb).toEqual(fromNode)
    expect(fromNode.header).toEqual({ alg, typ: 'JWT', kid: 'k-2' })
    expect(fromNode.payload).toEqual({
      ...claims,
      iat: NOW,
      nbf: NOW,
      exp: NOW + 600,
      iss: 'iss-1',
      aud: 'api',
      jti: 'j-2',
    })
  })

  test('both libraries agree that a token expires at exp', async () => {
    const key = KEYS.HS256
    const token = createSigner({ key, now: NOW_MS, expiresIn: 60 })({})
    const at = new Date(NOW_MS + 60_000)
    await expect(jose.jwtVerify(token, key, { currentDate: at })).rejects.toMatchObject({
      code: 'ERR_JWT_EXPIRED',
    })
    expect(codeOf(() => createVerifier({ key, now: at })(token))).toBe('ERR_JWT_EXPIRED')
  })

  test('jose tokens that jwt-lite is stricter about are refused with the right code', async () => {
    const key = KEYS.HS256
    // jose signs unencoded-payload (RFC 7797, b64: false) JWS, which must carry crit: ["b64"].
    const flat = await new jose.FlattenedSign(new TextEncoder().encode('exp'))
      .setProtectedHeader({ alg: 'HS256', b64: false, crit: ['b64'] })
      .sign(key)
    const unencoded = `${flat.protected}.${flat.payload}.${flat.signature}`
    expect(codeOf(() => createVerifier({ key })(unencoded))).toBe('ERR_JWS_CRIT_UNSUPPORTED')
    // jose verifies tokens with no exp; jwt-lite requires exp unless told otherwise.
    const forever = await new jose.SignJWT({ sub: 'x' }).setProtectedHeader({ alg: 'HS256' }).sign(key)
    await expect(jose.jwtVerify(forever, key)).resolves.toBeDefined()
    expect(codeOf(() => createVerifier({ key })(forever))).toBe('ERR_JWT_CLAIM_INVALID')
    expect(createVerifier({ key, requiredClaims: [] })(forever).payload.sub).toBe('x')
    // jose accepts a 1-byte HMAC key; jwt-lite needs 32 bytes for HS256.
    const weak = new Uint8Array([1])
    const weakToken = await new jose.SignJWT({ exp: NOW + 60 })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(weak)
    await expect(jose.jwtVerify(weakToken, weak, { currentDate })).resolves.toBeDefined()
    expect(codeOf(() => createVerifier({ key: weak })(weakToken))).toBe('ERR_JWT_KEY_TOO_SHORT')
  })
})
