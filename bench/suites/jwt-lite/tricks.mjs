// Micro-measurements behind the design choices of @hotpath/jwt-lite's node entry, reported as an
// extra table of the jwt-lite suite: each row is one way of doing one step of sign or verify.
import * as crypto from 'node:crypto'
import { Bench } from 'tinybench'

const key = crypto.randomBytes(32)
const keyObject = crypto.createSecretKey(key)
const header = Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url')
const small = { sub: 'user-1000001', name: 'John Doe', admin: true, iat: 1_900_000_000, exp: 1_900_000_900 }
const large = {
  ...small,
  iss: 'https://auth.example.com/tenants/4f9a2c1e',
  aud: ['https://api.example.com', 'https://files.example.com'],
  roles: ['reader', 'writer', 'billing-viewer', 'support-agent'],
  permissions: Array.from({ length: 24 }, (_, k) => `resource-${k}:read`),
  org: { id: 'org_8d7f6e5d4c3b2a19', name: 'Example Corporation', plan: 'enterprise', region: 'eu-west-1' },
}
const smallJson = JSON.stringify(small)
const largeJson = JSON.stringify(large)
const input = `${header}.${Buffer.from(smallJson).toString('base64url')}`
const largeSegment = Buffer.from(largeJson).toString('base64url')
const signature = crypto.createHmac('sha256', key).update(input).digest('base64url')

// HMAC by hand: K ^ ipad and K ^ opad derived once, then two one-shot hashes.
const inner = Buffer.alloc(64 + 4096, 0x36)
const outer = Buffer.alloc(64 + 32, 0x5c)
for (let i = 0; i < key.length; i++) {
  inner[i] ^= key[i]
  outer[i] ^= key[i]
}
const oneShot = typeof crypto.hash === 'function'
function manualHmac(message, encoding) {
  const n = inner.write(message, 64, 'latin1')
  outer.write(crypto.hash('sha256', inner.subarray(0, 64 + n), 'latin1'), 64, 'latin1')
  return crypto.hash('sha256', outer, encoding)
}
const compare = Buffer.alloc(64)
const expectedView = compare.subarray(0, 32)
const givenView = compare.subarray(32)
const scratch = Buffer.alloc(16_384)
const ALPHABET = /^[A-Za-z0-9_-]+$/

const rows = [
  [
    'HMAC-SHA-256 of a signing input',
    'createHmac(key: Buffer) + digest(base64url)',
    () => crypto.createHmac('sha256', key).update(input).digest('base64url'),
  ],
  [
    'HMAC-SHA-256 of a signing input',
    'createHmac(key: KeyObject) + digest(base64url)',
    () => crypto.createHmac('sha256', keyObject).update(input).digest('base64url'),
  ],
  ...(oneShot
    ? [
        [
          'HMAC-SHA-256 of a signing input',
          'two crypto.hash over precomputed pads (jwt-lite)',
          () => manualHmac(input, 'base64url'),
        ],
        [
          'one-shot digest output',
          "crypto.hash(..., 'buffer')",
          () => crypto.hash('sha256', input, 'buffer'),
        ],
        [
          'one-shot digest output',
          "crypto.hash(..., 'latin1') (jwt-lite)",
          () => crypto.hash('sha256', input, 'latin1'),
        ],
      ]
    : []),
  [
    'constant-time MAC compare',
    'digest() + Buffer.from(sig) + timingSafeEqual',
    () =>
      crypto.timingSafeEqual(
        crypto.createHmac('sha256', key).update(input).digest(),
        Buffer.from(signature, 'base64url'),
      ),
  ],
  ...(oneShot
    ? [
        [
          'constant-time MAC compare',
          'latin1 digest + writes into preallocated views + timingSafeEqual (jwt-lite)',
          () => {
            expectedView.write(manualHmac(input, 'latin1'), 0, 'latin1')
            givenView.write(signature, 0, 'base64url')
            return crypto.timingSafeEqual(expectedView, givenView)
          },
        ],
      ]
    : []),
  [
    'payload JSON to base64url (small)',
    'Buffer.from(json).toString(base64url)',
    () => Buffer.from(smallJson).toString('base64url'),
  ],
  [
    'payload JSON to base64url (small)',
    'write into a reused buffer + toString (jwt-lite)',
    () => scratch.toString('base64url', 0, scratch.write(smallJson, 0, 'utf8')),
  ],
  [
    'canonical base64url check, 1 KiB payload segment',
    'regular expression, then decode',
    () => ALPHABET.test(largeSegment) && Buffer.from(largeSegment, 'base64url'),
  ],
  [
    'canonical base64url check, 1 KiB payload segment',
    'decode + re-encode + compare (jwt-lite)',
    () => {
      const b = Buffer.from(largeSegment, 'base64url')
      return b.toString('base64url') === largeSegment && b
    },
  ],
  ['payload text to JSON (1 KiB)', 'JSON.parse only (what the peers do)', () => JSON.parse(largeJson)],
  [
    'payload text to JSON (1 KiB)',
    'JSON.parse + JSON.stringify to compare (a naive duplicate check)',
    () => {
      const v = JSON.parse(largeJson)
      return JSON.stringify(v) === largeJson && v
    },
  ],
]

export async function tricksTable({ quick }) {
  const bench = new Bench({ time: quick ? 30 : 250, warmupTime: quick ? 10 : 100 })
  for (const [, variant, fn] of rows) bench.add(variant, fn)
  await bench.run()
  return {
    title: 'Design measurements: one step of sign or verify, several ways',
    columns: ['step', 'variant', 'ns per call (median)'],
    rows: rows.map(([step, variant], i) => [
      step,
      variant,
      Math.round(1e9 / bench.tasks[i].result.throughput.p50),
    ]),
    note:
      'Measured in the same process as the suite. Variants marked jwt-lite are what the default entry does; ' +
      "crypto.hash needs Node >= 20.12 (older versions take the createHmac path). The payload's duplicate-member " +
      'check in jwt-lite counts colons instead of re-serialising (see the guide).',
  }
}
