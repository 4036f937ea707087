// The attack corpus: forged and malformed tokens and bad keys, each with the JwtError code it
// must produce. Plain data (strings and numbers) so the very same cases run against the node
// entry, the ./web entry in Node, and the ./web entry inside headless Chromium.
import { b64, forge, KEY256, KEY512, mac, NOW, NOW_MS } from './helpers.js'

export type KeySpec =
  | { readonly b64: string }
  | { readonly text: string }
  | {
      readonly map: readonly (readonly [kid: string, key: { b64: string } | { text: string }, alg?: string])[]
    }

export interface CorpusOptions {
  readonly algorithms?: readonly string[]
  readonly now?: number
  readonly requiredClaims?: readonly string[]
}

export interface CorpusCase {
  readonly name: string
  readonly kind: 'algorithm' | 'header' | 'structure' | 'payload' | 'claims' | 'key'
  readonly token: string
  readonly key: KeySpec
  readonly options?: CorpusOptions
  readonly expected: string
}

const K = { b64: b64(KEY256) }
const claims = { sub: 'victim', admin: false, exp: NOW + 3600 }
const valid = forge({ alg: 'HS256', typ: 'JWT' }, claims, KEY256)
const [vh, vp, vs] = valid.split('.') as [string, string, string]

/** header.payload with a correct HS256 MAC over whatever segments are given. */
const signed = (h: string, p: string) => `${h}.${p}.${mac('HS256', KEY256, `${h}.${p}`)}`
const rawB64 = (bytes: number[]) => Buffer.from(bytes).toString('base64url')
const hdr = (header: Record<string, unknown>) => b64(JSON.stringify(header))
const body = (json: string) => b64(json)
/** A MAC'd token whose header is `{"alg":"HS256"}` and whose payload is the given raw JSON text. */
const withPayload = (json: string) => signed(hdr({ alg: 'HS256' }), body(json))
/** A token with the given header, a valid payload and a correct HS256 MAC. */
const withHeader = (header: Record<string, unknown> | string) =>
  signed(typeof header === 'string' ? b64(header) : hdr(header), vp)

/** Flips the value of the last character's unused low bits (same bytes, different spelling). */
function respell(segment: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
  const last = alphabet.indexOf(segment.at(-1)!)
  return segment.slice(0, -1) + alphabet[last + 1]!
}

const PEM_PUBLIC =
  '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEEVs/o5+uQbTjL3chynL4wXgUg2R9\nq9UU8I5mEovUf86QZ7kOBIjJwqnzD1omageEHWwHdBO6B+dFabmdT9POxg==\n-----END PUBLIC KEY-----\n'
const JWK_PUBLIC = JSON.stringify({
  kty: 'EC',
  crv: 'P-256',
  x: 'EVs_o5-uQbTjL3chynL4wXgUg2R9q9UU8I5mEovUf84',
  y: 'kGe5DgSIycKp8w9aJmoHhB1sB3QTugfnRWm5nU_TzsY',
})

export function attackCorpus(): CorpusCase[] {
  const cases: CorpusCase[] = []
  const add = (
    kind: CorpusCase['kind'],
    name: string,
    token: string,
    expected: string,
    extra: { key?: KeySpec; options?: CorpusOptions } = {},
  ) =>
    cases.push({
      kind,
      name,
      token,
      expected,
      key: extra.key ?? K,
      ...(extra.options ? { options: extra.options } : {}),
    })

  // --- algorithm confusion and downgrade -------------------------------------------------------
  for (const none of ['none', 'None', 'NONE', 'nOnE']) {
    add(
      'algorithm',
      `alg "${none}" with an empty signature`,
      `${hdr({ alg: none })}.${vp}.`,
      'ERR_JWS_ALG_NOT_ALLOWED',
    )
  }
  add('algorithm', 'alg "none" with a real HS256 MAC', withHeader({ alg: 'none' }), 'ERR_JWS_ALG_NOT_ALLOWED')
  add(
    'algorithm',
    'alg "hs256" (case variant), correctly MACed',
    withHeader({ alg: 'hs256' }),
    'ERR_JWS_ALG_NOT_ALLOWED',
  )
  add('algorithm', 'alg "HS256 " (trailing space)', withHeader({ alg: 'HS256 ' }), 'ERR_JWS_ALG_NOT_ALLOWED')
  add(
    'algorithm',
    'alg "RS256" MACed with the secret (key confusion)',
    withHeader({ alg: 'RS256' }),
    'ERR_JWS_ALG_NOT_ALLOWED',
  )
  add('algorithm', 'alg "ES256"', withHeader({ alg: 'ES256' }), 'ERR_JWS_ALG_NOT_ALLOWED')
  add(
    'algorithm',
    'alg "HS384" when only HS256 is allowed',
    forge({ alg: 'HS384' }, claims, KEY256, 'HS384'),
    'ERR_JWS_ALG_NOT_ALLOWED',
  )
  add('algorithm', 'alg missing', withHeader({ typ: 'JWT' }), 'ERR_JWS_HEADER_INVALID')
  add('algorithm', 'alg is a number', withHeader({ alg: 256 }), 'ERR_JWS_HEADER_INVALID')
  add('algorithm', 'alg is an array', withHeader({ alg: ['HS256'] }), 'ERR_JWS_HEADER_INVALID')
  add(
    'algorithm',
    'HS512 signature under an HS256 header',
    `${vh}.${vp}.${mac('HS512', KEY512, `${vh}.${vp}`)}`,
    'ERR_JWS_SIGNATURE_INVALID',
  )

  // --- header parameters -----------------------------------------------------------------------
  add(
    'header',
    'crit naming exp',
    withHeader({ alg: 'HS256', crit: ['exp'], exp: 1 }),
    'ERR_JWS_CRIT_UNSUPPORTED',
  )
  add('header', 'crit empty array', withHeader({ alg: 'HS256', crit: [] }), 'ERR_JWS_CRIT_UNSUPPORTED')
  add('header', 'b64 false (RFC 7797)', withHeader({ alg: 'HS256', b64: false }), 'ERR_JWS_B64_UNSUPPORTED')
  add(
    'header',
    'b64 "false" as a string',
    withHeader({ alg: 'HS256', b64: 'false' }),
    'ERR_JWS_B64_UNSUPPORTED',
  )
  add('header', 'kid is a number', withHeader({ alg: 'HS256', kid: 1 }), 'ERR_JWS_HEADER_INVALID')
  add(
    'header',
    'kid of 257 characters',
    withHeader({ alg: 'HS256', kid: 'k'.repeat(257) }),
    'ERR_JWS_HEADER_INVALID',
  )
  add('header', 'kid empty', withHeader({ alg: 'HS256', kid: '' }), 'ERR_JWS_HEADER_INVALID')
  add('header', 'typ is an object', withHeader({ alg: 'HS256', typ: {} }), 'ERR_JWS_HEADER_INVALID')
  add('header', 'header is a JSON array', withHeader('["HS256"]'), 'ERR_JWT_INVALID_JSON')
  add('header', 'header is not JSON', withHeader('{alg:HS256}'), 'ERR_JWT_INVALID_JSON')
  add(
    'header',
    'duplicate alg ("none" then "HS256")',
    withHeader('{"alg":"none","alg":"HS256"}'),
    'ERR_JWT_DUPLICATE_MEMBER',
  )
  add(
    'header',
    '__proto__ member in the header',
    withHeader('{"alg":"HS256","__proto__":{"x":1}}'),
    'ERR_JWT_FORBIDDEN_MEMBER',
  )
  add('header', 'header bytes are not UTF-8', signed(rawB64([0x7b, 0xff, 0x7d]), vp), 'ERR_JWT_INVALID_JSON')

  // --- compact serialisation and base64url ----------------------------------------------------
  add('structure', 'empty string', '', 'ERR_JWT_MALFORMED')
  add('structure', 'two segments', `${vh}.${vp}`, 'ERR_JWT_MALFORMED')
  add('structure', 'four segments', `${valid}.${vs}`, 'ERR_JWT_MALFORMED')
  add('structure', 'JWE-like five segments', `${vh}.${vp}.${vs}.${vs}.${vs}`, 'ERR_JWT_MALFORMED')
  add('structure', 'empty header segment', `.${vp}.${vs}`, 'ERR_JWT_MALFORMED')
  add('structure', 'empty payload segment', signed(vh, ''), 'ERR_JWT_MALFORMED')
  add('structure', "header with '=' padding", `${vh}=.${vp}.${vs}`, 'ERR_JWT_MALFORMED')
  add('structure', "payload with '=' padding, MACed as sent", signed(vh, `${vp}==`), 'ERR_JWT_MALFORMED')
  add('structure', "signature with '=' padding", `${valid}=`, 'ERR_JWT_MALFORMED')
  add(
    'structure',
    'space inside the payload',
    `${vh}.${vp.slice(0, 5)} ${vp.slice(5)}.${vs}`,
    'ERR_JWT_MALFORMED',
  )
  add('structure', 'trailing newline', `${valid}\n`, 'ERR_JWT_MALFORMED')
  add('structure', 'leading space', ` ${valid}`, 'ERR_JWT_MALFORMED')
  add(
    'structure',
    "base64 '+' and '/' instead of '-' and '_'",
    `${vh}.${vp}.${vs.replace(/.{2}$/, '+/')}`,
    'ERR_JWT_MALFORMED',
  )
  add(
    'structure',
    'non-canonical last character of the signature',
    `${vh}.${vp}.${respell(vs)}`,
    'ERR_JWT_MALFORMED',
  )
  add(
    'structure',
    'non-canonical last character of the payload, MACed as sent',
    signed(vh, respell(body('{"exp":99999999999}'))),
    'ERR_JWT_MALFORMED',
  )
  add(
    'structure',
    'non-ASCII character in the payload segment',
    `${vh}.${vp.slice(0, -1)}\u00e9.${vs}`,
    'ERR_JWT_MALFORMED',
  )
  add(
    'structure',
    'one-dot-leader U+2024 instead of a dot',
    valid.replace('.', '\u2024'),
    'ERR_JWT_MALFORMED',
  )
  add(
    'structure',
    'longer than 8 KiB',
    signed(vh, body(JSON.stringify({ exp: NOW + 60, pad: 'x'.repeat(6200) }))),
    'ERR_JWT_TOO_LONG',
  )
  add('structure', '100 KB of dots and letters', 'a.'.repeat(50_000), 'ERR_JWT_TOO_LONG')
  add('structure', 'signature one character short', valid.slice(0, -1), 'ERR_JWS_SIGNATURE_INVALID')
  add('structure', 'signature empty', `${vh}.${vp}.`, 'ERR_JWT_MALFORMED')
  add(
    'structure',
    'signature from another key',
    forge({ alg: 'HS256', typ: 'JWT' }, claims, KEY512),
    'ERR_JWS_SIGNATURE_INVALID',
  )
  add(
    'structure',
    'payload changed to admin:true, signature kept',
    `${vh}.${b64(JSON.stringify({ ...claims, admin: true }))}.${vs}`,
    'ERR_JWS_SIGNATURE_INVALID',
  )
  add(
    'structure',
    'signature of the empty string',
    `${vh}.${vp}.${mac('HS256', KEY256, '')}`,
    'ERR_JWS_SIGNATURE_INVALID',
  )

  // --- payload JSON (all correctly MACed: these reach the parser) -------------------------------
  add('payload', 'not JSON', withPayload('exp=1'), 'ERR_JWT_INVALID_JSON')
  add('payload', 'a JSON array', withPayload('[1,2]'), 'ERR_JWT_INVALID_JSON')
  add('payload', 'a JSON string', withPayload('"admin"'), 'ERR_JWT_INVALID_JSON')
  add('payload', 'JSON null', withPayload('null'), 'ERR_JWT_INVALID_JSON')
  add(
    'payload',
    'trailing garbage after the object',
    withPayload(`{"exp":${NOW + 60}}x`),
    'ERR_JWT_INVALID_JSON',
  )
  add(
    'payload',
    'invalid UTF-8 byte 0xFF',
    signed(vh, rawB64([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d])),
    'ERR_JWT_INVALID_JSON',
  )
  add(
    'payload',
    'overlong UTF-8 encoding of "/"',
    signed(vh, rawB64([0x7b, 0x22, 0xc0, 0xaf, 0x22, 0x3a, 0x31, 0x7d])),
    'ERR_JWT_INVALID_JSON',
  )
  add(
    'payload',
    'UTF-8-encoded lone surrogate (CESU)',
    signed(vh, rawB64([0x7b, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x3a, 0x31, 0x7d])),
    'ERR_JWT_INVALID_JSON',
  )
  add(
    'payload',
    'UTF-8 byte order mark before the object',
    signed(vh, rawB64([0xef, 0xbb, 0xbf, ...Buffer.from(`{"exp":${NOW + 60}}`)])),
    'ERR_JWT_INVALID_JSON',
  )
  add(
    'payload',
    'duplicate sub (parsers disagree on which wins)',
    withPayload(`{"sub":"alice","exp":${NOW + 60},"sub":"admin"}`),
    'ERR_JWT_DUPLICATE_MEMBER',
  )
  add(
    'payload',
    'duplicate exp, one spelt with an escape',
    withPayload(`{"exp":${NOW + 60},"\\u0065xp":${NOW + 99999}}`),
    'ERR_JWT_DUPLICATE_MEMBER',
  )
  add(
    'payload',
    'duplicate member in a nested object',
    withPayload(`{"exp":${NOW + 60},"ctx":{"role":"user","role":"admin"}}`),
    'ERR_JWT_DUPLICATE_MEMBER',
  )
  add(
    'payload',
    'duplicate whose value hides a colon',
    withPayload(`{"exp":${NOW + 60},"a":"x:y","a":"z"}`),
    'ERR_JWT_DUPLICATE_MEMBER',
  )
  add(
    'payload',
    '__proto__ at the top level',
    withPayload(`{"exp":${NOW + 60},"__proto__":{"admin":true}}`),
    'ERR_JWT_FORBIDDEN_MEMBER',
  )
  add(
    'payload',
    '__proto__ spelt with escapes',
    withPayload(`{"exp":${NOW + 60},"\\u005f_proto__":{"admin":true}}`),
    'ERR_JWT_FORBIDDEN_MEMBER',
  )
  add(
    'payload',
    'constructor.prototype nested',
    withPayload(`{"exp":${NOW + 60},"a":{"constructor":{"prototype":{"x":1}}}}`),
    'ERR_JWT_FORBIDDEN_MEMBER',
  )
  add(
    'payload',
    'prototype inside an array element',
    withPayload(`{"exp":${NOW + 60},"list":[{"prototype":1}]}`),
    'ERR_JWT_FORBIDDEN_MEMBER',
  )

  // --- claims ----------------------------------------------------------------------------------
  add('claims', 'exp is a string', withPayload('{"exp":"2099-01-01"}'), 'ERR_JWT_CLAIM_INVALID')
  add('claims', 'exp overflows to Infinity (1e400)', withPayload('{"exp":1e400}'), 'ERR_JWT_CLAIM_INVALID')
  add('claims', 'exp equal to now', withPayload(`{"exp":${NOW}}`), 'ERR_JWT_EXPIRED')
  add('claims', 'exp one second ago', withPayload(`{"exp":${NOW - 1}}`), 'ERR_JWT_EXPIRED')
  add(
    'claims',
    'nbf in the future',
    withPayload(`{"exp":${NOW + 60},"nbf":${NOW + 1}}`),
    'ERR_JWT_NOT_YET_VALID',
  )
  add(
    'claims',
    'iat in the future',
    withPayload(`{"exp":${NOW + 60},"iat":${NOW + 30}}`),
    'ERR_JWT_CLAIM_INVALID',
  )
  add('claims', 'no exp (never expires)', withPayload('{"sub":"x"}'), 'ERR_JWT_CLAIM_INVALID')
  add(
    'claims',
    'aud array holding a number',
    withPayload(`{"exp":${NOW + 60},"aud":["api",1]}`),
    'ERR_JWT_CLAIM_INVALID',
  )

  // --- keys ------------------------------------------------------------------------------------
  add('key', 'PEM public key as the HMAC secret', valid, 'ERR_JWT_KEY_INVALID', { key: { text: PEM_PUBLIC } })
  add('key', 'PEM hidden behind a zero-width space', valid, 'ERR_JWT_KEY_INVALID', {
    key: { text: `\u200b${PEM_PUBLIC}` },
  })
  add('key', 'PEM as bytes (readFileSync)', valid, 'ERR_JWT_KEY_INVALID', { key: { b64: b64(PEM_PUBLIC) } })
  add('key', 'certificate PEM after junk', valid, 'ERR_JWT_KEY_INVALID', {
    key: { text: `junk\n-----BEGIN CERTIFICATE-----\nMIIB${'A'.repeat(60)}\n-----END CERTIFICATE-----` },
  })
  add('key', 'JWK JSON of an EC public key', valid, 'ERR_JWT_KEY_INVALID', { key: { text: JWK_PUBLIC } })
  add('key', 'JWKS JSON', valid, 'ERR_JWT_KEY_INVALID', { key: { text: ` {"keys":[${JWK_PUBLIC}]}` } })
  add('key', 'SSH public key', valid, 'ERR_JWT_KEY_INVALID', {
    key: { text: `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${'A'.repeat(43)} user@host` },
  })
  add('key', 'empty string as the key', valid, 'ERR_JWT_KEY_INVALID', { key: { text: '' } })
  add('key', 'empty bytes as the key', valid, 'ERR_JWT_KEY_INVALID', { key: { b64: '' } })
  add('key', '"secret" (6 bytes)', forge({ alg: 'HS256' }, claims, 'secret'), 'ERR_JWT_KEY_TOO_SHORT', {
    key: { text: 'secret' },
  })
  add('key', '31-byte key for HS256', valid, 'ERR_JWT_KEY_TOO_SHORT', {
    key: { b64: b64(KEY256.subarray(0, 31)) },
  })
  add(
    'key',
    '32-byte key for HS512',
    forge({ alg: 'HS512' }, claims, KEY256, 'HS512'),
    'ERR_JWT_KEY_TOO_SHORT',
    {
      options: { algorithms: ['HS512'] },
    },
  )
  add('key', 'kid not in the key map', withHeader({ alg: 'HS256', kid: 'k9' }), 'ERR_JWT_KEY_NOT_FOUND', {
    key: { map: [['k1', K]] },
  })
  add('key', 'no kid with a key map', valid, 'ERR_JWT_KEY_NOT_FOUND', { key: { map: [['k1', K]] } })
  add(
    'key',
    'kid "__proto__" with a key map',
    withHeader({ alg: 'HS256', kid: '__proto__' }),
    'ERR_JWT_KEY_NOT_FOUND',
    {
      key: { map: [['k1', K]] },
    },
  )
  add(
    'key',
    'kid "constructor" with a key map',
    withHeader({ alg: 'HS256', kid: 'constructor' }),
    'ERR_JWT_KEY_NOT_FOUND',
    {
      key: { map: [['k1', K]] },
    },
  )
  add(
    'key',
    'HS256 token naming the kid of an HS512-bound key',
    withHeader({ alg: 'HS256', kid: 'big' }),
    'ERR_JWS_ALG_MISMATCH',
    {
      key: {
        map: [
          ['big', { b64: b64(KEY512) }, 'HS512'],
          ['k1', K, 'HS256'],
        ],
      },
    },
  )

  return cases.map((c) =>
    c.options?.now === undefined ? { ...c, options: { ...c.options, now: NOW_MS } } : c,
  )
}
