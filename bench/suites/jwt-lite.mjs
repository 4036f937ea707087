// HS256 / HS384 / HS512 sign and verify, with a small and a 1 KiB payload, against fast-jwt
// (with and without its cache), jose and jsonwebtoken. Baselines: one createHmac over the
// signing input + base64url digest (sign), the same + a constant-time compare (verify).
//
// Every competitor is checked for what it produced or accepted: a signer's token must verify
// with every library in the table; a verifier must accept the tokens of every other library
// with the right claims and reject a token whose payload was changed after signing.
import { createHmac, createSecretKey, randomBytes, timingSafeEqual } from 'node:crypto'
import { createSigner, createVerifier } from '@hotpath/jwt-lite'
import { createSigner as fastSigner, createVerifier as fastVerifier } from 'fast-jwt'
import * as jose from 'jose'
import jsonwebtoken from 'jsonwebtoken'
import { defineSuite } from '../lib/harness.mjs'
import { tricksTable } from './jwt-lite/tricks.mjs'

const ALGS = ['HS256', 'HS384', 'HS512']
const KEY = { HS256: randomBytes(32), HS384: randomBytes(48), HS512: randomBytes(64) }
const HASH = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' }
// Each peer gets the key in the form it is fastest with (measured): jsonwebtoken 9 spends ~0.8 ms per
// call on a Buffer or string secret (it tries to parse it as an asymmetric key first) and ~20 us on a
// KeyObject; jose is ~1.5x faster with a CryptoKey than with a Uint8Array.
const KEY_OBJECT = Object.fromEntries(ALGS.map((alg) => [alg, createSecretKey(KEY[alg])]))
const CRYPTO_KEY = Object.fromEntries(
  await Promise.all(
    ALGS.map(async (alg) => [
      alg,
      await globalThis.crypto.subtle.importKey(
        'raw',
        KEY[alg],
        { name: 'HMAC', hash: `SHA-${alg.slice(2)}` },
        false,
        ['sign', 'verify'],
      ),
    ]),
  ),
)
const N = 64 // distinct payloads / tokens per timed call

const small = (i) => ({ sub: `user-${1_000_000 + i}`, name: 'John Doe', admin: i % 2 === 0 })
// About 1 KiB of JSON: a realistic access token with roles, permissions and profile data.
const large = (i) => ({
  ...small(i),
  iss: 'https://auth.example.com/tenants/4f9a2c1e',
  aud: ['https://api.example.com', 'https://files.example.com'],
  email: `user-${1_000_000 + i}@example.com`,
  roles: ['reader', 'writer', 'billing-viewer', 'support-agent'],
  permissions: Array.from({ length: 24 }, (_, k) => `resource-${k}:read`),
  org: { id: 'org_8d7f6e5d4c3b2a19', name: 'Example Corporation', plan: 'enterprise', region: 'eu-west-1' },
  session: {
    id: `sess_${(i * 2654435761).toString(16).padStart(16, '0')}`,
    mfa: true,
    device: 'Firefox 132 on Linux',
  },
})
const SIZES = { small, '1 KiB': large }

const jsonSize = (make) => JSON.stringify({ ...make(0), iat: 1_900_000_000, exp: 1_900_000_900 }).length

/** Verifies a token with every library; returns true or what failed. */
async function verifiesEverywhere(token, alg, expectedSub) {
  const key = KEY[alg]
  const results = {
    '@hotpath/jwt-lite': () => createVerifier({ key, algorithms: [alg] })(token).payload,
    'fast-jwt': () => fastVerifier({ key, algorithms: [alg] })(token),
    jose: async () => (await jose.jwtVerify(token, CRYPTO_KEY[alg], { algorithms: [alg] })).payload,
    jsonwebtoken: () => jsonwebtoken.verify(token, KEY_OBJECT[alg], { algorithms: [alg] }),
  }
  for (const [lib, run] of Object.entries(results)) {
    try {
      const payload = await run()
      if (payload.sub !== expectedSub) return `${lib} read sub ${payload.sub}, expected ${expectedSub}`
      if (typeof payload.exp !== 'number') return `${lib}: the token has no exp`
    } catch (err) {
      return `${lib} rejected the token: ${err?.message ?? err}`
    }
  }
  return true
}

/** A token whose payload was changed after signing: every verifier must reject it. */
function tampered(token) {
  const [h, p, s] = token.split('.')
  const payload = JSON.parse(Buffer.from(p, 'base64url').toString())
  payload.admin = !payload.admin
  return `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`
}

function signWorkload(alg, size) {
  const key = KEY[alg]
  const make = SIZES[size]
  const input = () => {
    const payloads = Array.from({ length: N }, (_, i) => make(i))
    // The baseline signs ready-made signing inputs: header and payload already encoded.
    const header = Buffer.from(JSON.stringify({ alg, typ: 'JWT' })).toString('base64url')
    const now = Math.floor(Date.now() / 1000)
    const signingInputs = payloads.map(
      (p) =>
        `${header}.${Buffer.from(JSON.stringify({ ...p, iat: now, exp: now + 900 })).toString('base64url')}`,
    )
    return { payloads, signingInputs }
  }
  // Each competitor's last token, for the cross-library check.
  const last = {}
  const check = (name) => async (inp) => verifiesEverywhere(last[name], alg, inp.payloads[N - 1].sub)

  const competitors = [
    {
      name: '@hotpath/jwt-lite',
      role: 'hotpath',
      setup: ({ payloads }) => {
        const signToken = createSigner({ key, algorithm: alg, expiresIn: '15m' })
        return () => {
          let t
          for (let i = 0; i < N; i++) t = signToken(payloads[i])
          last['@hotpath/jwt-lite'] = t
          return t
        }
      },
      check: check('@hotpath/jwt-lite'),
    },
    {
      name: 'fast-jwt',
      role: 'peer',
      setup: ({ payloads }) => {
        const signToken = fastSigner({ key, algorithm: alg, expiresIn: 900_000 })
        return () => {
          let t
          for (let i = 0; i < N; i++) t = signToken(payloads[i])
          last['fast-jwt'] = t
          return t
        }
      },
      check: check('fast-jwt'),
    },
    {
      name: 'jose',
      role: 'peer',
      setup:
        ({ payloads }) =>
        async () => {
          let t
          for (let i = 0; i < N; i++) {
            t = await new jose.SignJWT(payloads[i])
              .setProtectedHeader({ alg, typ: 'JWT' })
              .setIssuedAt()
              .setExpirationTime('15m')
              .sign(CRYPTO_KEY[alg])
          }
          last.jose = t
          return t
        },
      check: check('jose'),
    },
    {
      name: 'jsonwebtoken',
      role: 'peer',
      setup:
        ({ payloads }) =>
        () => {
          let t
          for (let i = 0; i < N; i++)
            t = jsonwebtoken.sign(payloads[i], KEY_OBJECT[alg], { algorithm: alg, expiresIn: '15m' })
          last.jsonwebtoken = t
          return t
        },
      check: check('jsonwebtoken'),
    },
    {
      name: 'createHmac + base64url',
      role: 'baseline',
      setup:
        ({ signingInputs }) =>
        () => {
          let t
          for (let i = 0; i < N; i++) {
            const s = signingInputs[i]
            t = `${s}.${createHmac(HASH[alg], key).update(s).digest('base64url')}`
          }
          last['createHmac + base64url'] = t
          return t
        },
      check: check('createHmac + base64url'),
    },
  ]
  return {
    name: `${alg} sign, ${size} payload (${jsonSize(make)} B JSON)`,
    ops: N,
    input,
    competitors,
    note:
      'Each call signs 64 distinct payloads and adds iat and exp (15 minutes). The baseline only MACs ready-made ' +
      "signing inputs, skipping the JSON and base64url of the payload that every library pays for; jwt-lite's MAC " +
      'alone is cheaper than that createHmac call (two one-shot crypto.hash calls over precomputed key pads, see ' +
      'the design table). Every token is checked to verify with all four libraries. Keys: bytes for jwt-lite and fast-jwt, a CryptoKey for jose, a KeyObject ' +
      'for jsonwebtoken (their fastest forms; jsonwebtoken takes ~0.8 ms per call with a Buffer or string secret).',
  }
}

function verifyWorkload(alg, size, { cached = false } = {}) {
  const key = KEY[alg]
  const make = SIZES[size]
  const input = async () => {
    // Tokens from a neutral signer (jose), valid for a year, distinct per index.
    const tokens = []
    for (let i = 0; i < N; i++) {
      tokens.push(
        await new jose.SignJWT(make(i))
          .setProtectedHeader({ alg, typ: 'JWT' })
          .setIssuedAt()
          .setExpirationTime('365d')
          .sign(key),
      )
    }
    const others = {
      'jwt-lite': createSigner({ key, algorithm: alg, expiresIn: '1h' })(make(7)),
      'fast-jwt': fastSigner({ key, algorithm: alg, expiresIn: 3_600_000 })(make(7)),
      jsonwebtoken: jsonwebtoken.sign(make(7), key, { algorithm: alg, expiresIn: '1h' }),
    }
    return { tokens, others, forged: tampered(tokens[0]), subs: tokens.map((_, i) => make(i).sub) }
  }

  /** A verifier must read every input token and the other libraries' tokens, and reject a forgery. */
  const checkVerifier = (verifyOne) => async (inp) => {
    for (let i = 0; i < N; i++) {
      const payload = await verifyOne(inp.tokens[i])
      if (payload.sub !== inp.subs[i]) return `token ${i}: read sub ${payload.sub}`
    }
    for (const [lib, token] of Object.entries(inp.others)) {
      const payload = await verifyOne(token)
      if (payload.sub !== make(7).sub) return `the ${lib} token read as sub ${payload.sub}`
    }
    try {
      await verifyOne(inp.forged)
      return 'accepted a token whose payload was changed after signing'
    } catch {
      return true
    }
  }

  const syncLoop = (verifyOne) => (inp) => () => {
    let r
    for (let i = 0; i < N; i++) r = verifyOne(inp.tokens[i])
    return r
  }

  const lite = createVerifier({ key, algorithms: [alg], ...(cached ? { cache: 1000 } : {}) })
  const fast = fastVerifier({ key, algorithms: [alg], ...(cached ? { cache: 1000 } : {}) })
  const competitors = [
    {
      name: cached ? '@hotpath/jwt-lite (cache)' : '@hotpath/jwt-lite',
      package: '@hotpath/jwt-lite',
      role: 'hotpath',
      setup: syncLoop(lite),
      check: checkVerifier((t) => lite(t).payload),
    },
    {
      name: cached ? 'fast-jwt (cache)' : 'fast-jwt',
      package: 'fast-jwt',
      role: 'peer',
      setup: syncLoop(fast),
      check: checkVerifier((t) => fast(t)),
    },
  ]
  if (!cached) {
    competitors.push(
      {
        name: 'jose',
        role: 'peer',
        setup: (inp) => async () => {
          let r
          for (let i = 0; i < N; i++)
            r = await jose.jwtVerify(inp.tokens[i], CRYPTO_KEY[alg], { algorithms: [alg] })
          return r
        },
        check: checkVerifier(
          async (t) => (await jose.jwtVerify(t, CRYPTO_KEY[alg], { algorithms: [alg] })).payload,
        ),
      },
      {
        name: 'jsonwebtoken',
        role: 'peer',
        setup: syncLoop((t) => jsonwebtoken.verify(t, KEY_OBJECT[alg], { algorithms: [alg] })),
        check: checkVerifier((t) => jsonwebtoken.verify(t, KEY_OBJECT[alg], { algorithms: [alg] })),
      },
    )
  }
  competitors.push({
    name: 'createHmac + timingSafeEqual',
    role: 'baseline',
    setup: (inp) => () => {
      let ok = 0
      for (let i = 0; i < N; i++) {
        const t = inp.tokens[i]
        const dot = t.lastIndexOf('.')
        const mac = createHmac(HASH[alg], key).update(t.slice(0, dot)).digest()
        if (timingSafeEqual(mac, Buffer.from(t.slice(dot + 1), 'base64url'))) ok++
      }
      return ok
    },
  })
  return {
    name: `${alg} verify${cached ? ' (cached)' : ''}, ${size} payload (${jsonSize(make)} B JSON)`,
    ops: N,
    input,
    competitors,
    note: cached
      ? 'Each call verifies the same 64 distinct tokens, all resident in both caches (1000 entries). jwt-lite keys ' +
        'its cache by SHA-256 of the token and still runs isRevoked and the exp bound on every hit.'
      : 'Each call verifies 64 distinct tokens signed by jose (typ JWT, iat, exp). The baseline checks the MAC only: ' +
        'no header, no JSON, no claims. jwt-lite additionally rejects duplicate and __proto__ members and ' +
        'non-canonical base64url, which none of the peers do.',
  }
}

const workloads = []
for (const alg of ALGS) {
  for (const size of Object.keys(SIZES)) {
    workloads.push(signWorkload(alg, size))
    workloads.push(verifyWorkload(alg, size))
  }
}
for (const size of Object.keys(SIZES)) workloads.push(verifyWorkload('HS256', size, { cached: true }))

export default defineSuite({
  name: 'jwt-lite',
  workloads,
  tables: async ({ quick }) => [await tricksTable({ quick })],
})
