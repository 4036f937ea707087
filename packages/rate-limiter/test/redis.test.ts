// RedisStore on a real redis-server (started by the shared helper; never mocked), the same suite with
// ioredis and with node-redis. The Lua scripts are checked against the memory store, the reference:
// the same requests at the same times must get the same answers (a fake `now` is sent to the scripts
// instead of Redis's TIME so arbitrary arrival patterns run without waiting).
import { createHash } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describeRedis, type RedisServer, redisCommand, startRedis } from '@hotpath/test-utils/redis'
import fc from 'fast-check'
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import {
  ALGORITHMS,
  type AlgorithmName,
  RateLimiter,
  type RateLimitResult,
  rateLimitMiddleware,
} from '../src/index.js'
import {
  limitMany,
  type RedisClientLike,
  type RedisRateLimitResult,
  RedisStore,
  type RedisStoreError,
  type RedisStoreOptions,
} from '../src/redis/index.js'
import { useTestClock } from '../src/redis/redis-store.js'
import { ceilDiv, floorDiv, INSPECT_SCRIPT, inspectScriptFor, scriptFor } from '../src/redis/scripts.js'
import { sha1 } from '../src/redis/sha1.js'
import { arrivalsArb, type Config, configArb, FakeClock, limiterFor, runs, startArb } from './helpers.js'
import { type Connected, calls, connect, KINDS, parseInfo, sleep } from './redis/clients.js'

const withoutSource = ({ source: _, ...rest }: RedisRateLimitResult): RateLimitResult => rest

// State values are packed doubles: binary, so the tests look at them through Lua, as hex or numbers.
const HEX_DUMP = `local v = redis.call('DUMP', KEYS[1])
if not v then return '' end
return (string.gsub(v, '.', function(ch) return string.format('%02x', string.byte(ch)) end))`
const LAST_DOUBLE = `local v = redis.call('GET', KEYS[1])
return string.format('%d', struct.unpack('<d', v, #v - 7))`
// The log's header is the value's last 48 bytes: sum, expiresAt, ... (src/redis/scripts.ts).
const LOG_EXPIRES = `local v = redis.call('GET', KEYS[1])
return string.format('%d', struct.unpack('<d', v, #v - 48 + 9))`
const hexDump = async (c: Connected, key: string) => String(await c.raw(['EVAL', HEX_DUMP, '1', key], key))

function redisLimiter(
  config: Config & { name?: string },
  options: RedisStoreOptions,
): RateLimiter<RedisStore> {
  const store = new RedisStore(options)
  return new RateLimiter({ ...config, store })
}

test('the Lua scripts are sent by their real SHA-1 (computed without node:crypto)', () => {
  const policies = [
    { algorithm: 'gcra', limit: 1, windowMs: 1 },
    { algorithm: 'token-bucket', limit: 100, windowMs: 60_000, burst: 20 },
    { algorithm: 'leaky-bucket', limit: 7, windowMs: 86_400_000, maxQueue: 0 },
  ] as const
  for (const algorithm of ALGORITHMS)
    for (const p of policies) {
      const options = p.algorithm === algorithm ? p : { algorithm, limit: p.limit, windowMs: p.windowMs }
      const { policy } = new RateLimiter(options)
      const script = scriptFor(policy)
      expect(script.source).toContain(
        `local limit, W, cap = ${policy.limit}, ${policy.windowMs}, ${policy.capacity}\n`,
      )
      expect(script.sha1).toBe(createHash('sha1').update(script.source).digest('hex'))
    }
  expect(INSPECT_SCRIPT.sha1).toBe(createHash('sha1').update(INSPECT_SCRIPT.source).digest('hex'))
  for (const p of policies) {
    const { policy } = new RateLimiter({
      algorithm: 'sliding-window-log',
      limit: p.limit,
      windowMs: p.windowMs,
    })
    const script = inspectScriptFor(policy)
    expect(script.sha1).toBe(createHash('sha1').update(script.source).digest('hex'))
    expect(inspectScriptFor(policy)).toBe(script)
  }
  fc.assert(
    fc.property(
      fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ minLength: 50, maxLength: 140 })),
      (text) => {
        expect(sha1(text)).toBe(createHash('sha1').update(text, 'utf8').digest('hex'))
      },
    ),
  )
})

describe('options', () => {
  const client = { call: async () => null }
  test.each([
    [{}, TypeError, '`client` must be an ioredis client (with `call`) or a node-redis v4+ client'],
    [{ client: 'redis://x' }, TypeError, '`client` must be an ioredis client'],
    [{ client, prefix: 1 }, TypeError, '`prefix` must be a string, got 1'],
    [{ client, timeoutMs: 0 }, RangeError, '`timeoutMs` must be a positive integer, got 0'],
    [{ client, timeoutMs: '5' }, TypeError, '`timeoutMs` must be a positive integer, got "5"'],
    [
      { client, onError: 'ignore' },
      TypeError,
      "`onError` must be 'allow', 'deny' or an in-memory RateLimiter",
    ],
    [{ client, blockCacheSize: -1 }, RangeError, '`blockCacheSize` must be a non-negative integer, got -1'],
    [{ client, onFailure: 'log' }, TypeError, '`onFailure` must be a function, got "log"'],
  ])('%o → %o', (options, type, message) => {
    expect(() => new RedisStore(options as unknown as RedisStoreOptions)).toThrow(type)
    expect(() => new RedisStore(options as unknown as RedisStoreOptions)).toThrow(message)
  })

  test('the insurance limiter must answer synchronously', () => {
    const remote = new RateLimiter({
      algorithm: 'gcra',
      limit: 1,
      windowMs: 1000,
      store: new RedisStore({ client }),
    })
    expect(() => new RedisStore({ client, onError: remote as never })).toThrow(
      '`onError` must be a synchronous (in-memory) RateLimiter',
    )
    const local = new RateLimiter({ algorithm: 'gcra', limit: 1, windowMs: 1000 })
    expect(new RedisStore({ client, onError: local }).timeoutMs).toBe(500)
  })

  test('limitMany validates its arguments synchronously', () => {
    const limiter = redisLimiter({ algorithm: 'gcra', limit: 1, windowMs: 1000 }, { client })
    const memory = new RateLimiter({ algorithm: 'gcra', limit: 1, windowMs: 1000 })
    expect(() => limitMany(memory, ['a'])).toThrow(
      '`limiter` must be a RateLimiter whose store is a RedisStore, got an object',
    )
    expect(() => limitMany(limiter, 'a' as never)).toThrow('`keys` must be an array of keys, got "a"')
    expect(() => limitMany(limiter, ['a', ''])).toThrow(RangeError)
    expect(() => limitMany(limiter, ['a'], { cost: 1.5 })).toThrow(
      '`cost` must be a non-negative integer, got 1.5',
    )
  })

  test('keys name the policy and hash-tag the user key', () => {
    const store = new RedisStore({ client, prefix: 'app:' })
    const gcra = new RateLimiter({ algorithm: 'gcra', limit: 100, windowMs: 60_000, burst: 20, store })
    const fw = new RateLimiter({ algorithm: 'fixed-window', limit: 5, windowMs: 1000, name: 'login', store })
    expect(store.keyOf(gcra.policy, 'user:42')).toBe('app:default:gcra:100:60000:20:{user:42}')
    expect(store.keyOf(fw.policy, '1.2.3.4')).toBe('app:login:fw:5:1000:{1.2.3.4}')
  })
})

describe('clients that fail in every way a client can (the policy answers; nothing escapes)', () => {
  const cases: [string, RedisClientLike][] = [
    [
      'throws synchronously',
      {
        sendCommand: () => {
          throw new Error('The client is closed')
        },
      },
    ],
    ['rejects', { call: () => Promise.reject(new Error('Connection is closed.')) }],
    ['never answers', { call: () => new Promise(() => undefined) }],
    ['answers nonsense', { call: async () => ['OK'] }],
  ]
  test.each(cases)('a client that %s', async (what, client) => {
    const failures: RedisStoreError[] = []
    const insurance = new RateLimiter({ algorithm: 'fixed-window', limit: 1, windowMs: 60_000 })
    const limiter = redisLimiter(
      { algorithm: 'token-bucket', limit: 10, windowMs: 1000 },
      { client, timeoutMs: 30, onError: insurance, onFailure: (e) => failures.push(e) },
    )
    const results = [await limiter.limit('k'), await limiter.limit('k'), ...(await limitMany(limiter, ['j']))]
    expect(results.map((r) => [r.allowed, r.source])).toEqual([
      [true, 'fallback'],
      [false, 'fallback'],
      [true, 'fallback'],
    ])
    const code =
      what === 'never answers'
        ? 'ERR_REDIS_TIMEOUT'
        : what === 'answers nonsense'
          ? 'ERR_REDIS_REPLY'
          : 'ERR_REDIS_COMMAND'
    expect(failures.map((e) => e.code)).toContain(code)
    if (what !== 'answers nonsense') {
      await expect(limiter.reset('k')).rejects.toMatchObject({ name: 'RedisStoreError', code })
      await expect(limiter.inspect('k')).rejects.toMatchObject({ name: 'RedisStoreError', code })
    }
  })

  test('onFailure that throws changes nothing', async () => {
    const limiter = redisLimiter(
      { algorithm: 'gcra', limit: 1, windowMs: 1000 },
      {
        client: { call: () => Promise.reject(new Error('down')) },
        onFailure: () => {
          throw new Error('logger broke')
        },
      },
    )
    expect(await limiter.limit('k')).toMatchObject({ allowed: true, remaining: 0, source: 'fallback' })
  })
})

describeRedis('RedisStore on a real redis-server', () => {
  let server: RedisServer
  beforeAll(async () => {
    server = await startRedis()
  })
  afterAll(() => server?.stop())

  const info = async (section: string) => parseInfo(await redisCommand(server.port, ['INFO', section]))

  describe.each(KINDS)('with %s', (kind) => {
    let c: Connected
    let client: RedisClientLike
    beforeAll(async () => {
      c = await connect(kind, server)
      client = c.client
    })
    afterAll(() => c?.close())
    beforeEach(async () => {
      await c.raw(['FLUSHALL'])
    })

    // Fake times may step back (a failover to a server whose clock is behind); arrivals from the memory
    // store's own property tests otherwise.
    const scenario = (algorithm: AlgorithmName) =>
      configArb(algorithm).chain((config) =>
        fc.record({
          config: fc.constant(config),
          arrivals: arrivalsArb(config),
          start: startArb,
          backs: fc.array(fc.tuple(fc.nat(59), fc.integer({ min: 1, max: 2 * config.windowMs })), {
            maxLength: 2,
          }),
          peekEvery: fc.integer({ min: 2, max: 7 }),
        }),
      )

    let run = 0
    test.each(ALGORITHMS)(
      '%s: the Lua script answers exactly as the memory store (limit, peek, inspect, limitMany)',
      async (algorithm) => {
        const store = new RedisStore({ client, blockCacheSize: 0 })
        await fc.assert(
          fc.asyncProperty(scenario(algorithm), async ({ config, arrivals, start, backs, peekEvery }) => {
            const clock = new FakeClock(start)
            useTestClock(store, clock.now)
            const memory = limiterFor(config, clock)
            const redis = new RateLimiter({ ...config, store })
            const key = `k${run++}`
            for (let i = 0; i < arrivals.length; i++) {
              const { dt, cost } = arrivals[i]!
              clock.t += dt
              for (const [at, back] of backs) if (at === i) clock.t = Math.max(0, clock.t - back)
              if (i % peekEvery === 0)
                expect(withoutSource(await redis.peek(key, { cost }))).toEqual(memory.peek(key, { cost }))
              const r = await redis.limit(key, { cost })
              expect(r.source).toBe('redis')
              expect(withoutSource(r)).toEqual(memory.limit(key, { cost }))
            }
            expect(await redis.inspect(key)).toEqual(memory.inspect(key))
            // A batch is the same requests in order: duplicates included.
            const keys = [key, `${key}b`, key]
            const batch = await limitMany(redis, keys, { cost: 1 })
            expect(batch.map(withoutSource)).toEqual(keys.map((k) => memory.limit(k)))
          }),
          { numRuns: runs(20, 60) },
        )
      },
    )

    test('large numbers stay exact: limits near 2^52 / windowMs, packed admissions near 2^52', async () => {
      const store = new RedisStore({ client, blockCacheSize: 0 })
      for (const config of [
        { algorithm: 'token-bucket', limit: 2 ** 29, windowMs: 2 ** 22 },
        { algorithm: 'gcra', limit: 2 ** 29 - 3, windowMs: 2 ** 22 + 1, burst: 2 ** 29 + 5 },
        { algorithm: 'fixed-window', limit: 2 ** 30, windowMs: 2 ** 22 },
        { algorithm: 'sliding-window-counter', limit: 999_999_937, windowMs: 4_194_301 },
      ] as const) {
        const clock = new FakeClock(1_700_000_000_123)
        useTestClock(store, clock.now)
        const memory = limiterFor(config, clock)
        const redis = new RateLimiter({ ...config, store })
        let seed = 7
        for (let i = 0; i < 40; i++) {
          seed = (Math.imul(seed, 1103515245) + 12345) >>> 0
          clock.t += seed % 5_000
          const cost = seed % 3 === 0 ? 1 : seed % 2 ** 27
          expect(withoutSource(await redis.limit('big', { cost }))).toEqual(memory.limit('big', { cost }))
        }
      }
    })

    test('replies: the usual answers are integers where they fit, text otherwise; decoded as memory answers', async () => {
      // [config, the reply to each arrival (all at one time, cost 1; '*': more than the capacity): '+'
      // admitted (an integer below (capacity + 1) × pack), 'q' admitted with a wait (an integer from there
      // up), '-' rejected with nothing remaining (a negative integer), 't' text]
      const cases: [Config, string][] = [
        // pack 4001: everything fits but retryAfterMs Infinity
        [{ algorithm: 'leaky-bucket', limit: 2, windowMs: 1000, maxQueue: 2 }, '+qq-*t'],
        // a day: pack 345,600,001 fits two fields, not three: waits and rejections are text
        [{ algorithm: 'leaky-bucket', limit: 2, windowMs: 86_400_000, maxQueue: 2 }, '+ttt'],
        [{ algorithm: 'gcra', limit: 1, windowMs: 86_400_000 }, '+t'],
        [{ algorithm: 'fixed-window', limit: 1, windowMs: 1000 }, '+-'],
        [{ algorithm: 'sliding-window-counter', limit: 1, windowMs: 1000 }, '+-'],
        [{ algorithm: 'sliding-window-log', limit: 1, windowMs: 1000 }, '+-'],
        [{ algorithm: 'token-bucket', limit: 1_000_000_000, windowMs: 60_000 }, '++'],
        // (capacity + 1) × pack ≥ 2^53: nothing fits
        [{ algorithm: 'token-bucket', limit: 2 ** 30, windowMs: 2 ** 22 }, 'tt'],
      ]
      const store = new RedisStore({ client, blockCacheSize: 0 })
      const kind = (reply: unknown, pack: number, capacity: number) => {
        if (typeof reply === 'string') return 't'
        expect(Number.isSafeInteger(reply)).toBe(true)
        const n = reply as number
        return n < 0 ? '-' : n < (capacity + 1) * pack ? '+' : 'q'
      }
      for (const [config, expected] of cases) {
        const clock = new FakeClock(1_700_000_000_123)
        useTestClock(store, clock.now)
        const memory = limiterFor(config, clock)
        const redis = new RateLimiter({ ...config, store })
        const { source, pack } = scriptFor(redis.policy)
        const raw = redis.store.keyOf(redis.policy, 'raw')
        let kinds = ''
        const arrivals = expected.replace('*t', '*').split('')
        for (const arrival of arrivals) {
          const cost = arrival === '*' ? redis.policy.capacity + 1 : 1
          const reply = await c.raw(['EVAL', source, '1', raw, String(cost), String(clock.t)], raw)
          kinds += kind(reply, pack, redis.policy.capacity)
          expect(withoutSource(await redis.limit('k', { cost }))).toEqual(memory.limit('k', { cost }))
        }
        expect(`${config.algorithm} ${config.windowMs}: ${kinds}`).toBe(
          `${config.algorithm} ${config.windowMs}: ${expected.replace('*', '')}`,
        )
      }
    })

    test('floorDiv and ceilDiv are math.floor and math.ceil of x / y to the bit (|x| + |y| < 2^53)', async () => {
      const lua = `local out = {}
for i = 1, #ARGV, 2 do
  local x, y = tonumber(ARGV[i]), tonumber(ARGV[i + 1])
  out[#out + 1] = string.format('%d %d %d %d', ${floorDiv('x', 'y')}, math.floor(x / y), ${ceilDiv('x', 'y')}, math.ceil(x / y))
end
return out`
      const big = 2 ** 52
      const pair = fc
        .tuple(
          fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: -big, max: big })),
          fc.oneof(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: big - 1 })),
        )
        .filter(([x, y]) => Math.abs(x) + y < 2 ** 53)
      await fc.assert(
        fc.asyncProperty(fc.array(pair, { minLength: 1, maxLength: 200 }), async (pairs) => {
          const args = pairs.flatMap(([x, y]) => [String(x), String(y)])
          const rows = (await c.raw(['EVAL', lua, '0', ...args])) as string[]
          rows.forEach((row, i) => {
            const [x, y] = pairs[i]!
            const [f, floor, ce, ceil] = row.split(' ')
            expect([f, ce]).toEqual([floor, ceil])
            expect(Number(floor)).toBe(Math.floor(x / y))
          })
        }),
        { numRuns: runs(10, 40) },
      )
    })

    test('the usual check, EVALSHA sha 1 key, reads no argument: cost 1, counted, at Redis time', async () => {
      const limiter = redisLimiter({ algorithm: 'fixed-window', limit: 1, windowMs: 1000 }, { client })
      const { source, pack } = scriptFor(limiter.policy)
      const key = limiter.store.keyOf(limiter.policy, 'k')
      const admitted = (await c.raw(['EVAL', source, '1', key], key)) as number
      const rejected = (await c.raw(['EVAL', source, '1', key], key)) as number
      // Admitted, 0 remaining: remaining × pack + resetMs; then rejected: −1 − (resetMs × pack + retryAfterMs).
      expect(Math.floor(admitted / pack)).toBe(0)
      expect(admitted).toBeGreaterThan(0)
      expect(admitted).toBeLessThanOrEqual(1000)
      expect(rejected).toBeLessThan(0)
      const reset = Math.floor((-1 - rejected) / pack)
      expect(-1 - rejected - reset * pack).toBe(reset)
      expect(reset).toBeLessThanOrEqual(admitted)
      // Written with the window's TTL, exactly (no test slack).
      const pttl = Number(await c.raw(['PTTL', key]))
      expect(pttl).toBeLessThanOrEqual(admitted)
      expect(pttl).toBeGreaterThan(admitted - 100)
    })

    test('real time: every key lives until its state is fresh again; rejections and peek() write nothing', async () => {
      for (const algorithm of ALGORITHMS) {
        const limiter = redisLimiter({ algorithm, limit: 3, windowMs: 5000 }, { client, blockCacheSize: 0 })
        const key = limiter.store.keyOf(limiter.policy, 'user')
        const dump = async () => [await hexDump(c, key), Number(await c.raw(['PTTL', key]))] as const
        await limiter.peek('user')
        expect(await c.raw(['EXISTS', key])).toBe(0)
        let longest = 0
        for (let i = 0; i < 6; i++) {
          const before = await dump()
          const r = await limiter.limit('user')
          const [value, pttl] = await dump()
          if (r.allowed) {
            // Whole ms on both sides, measured a round trip apart. The windows expire with their
            // window: resetMs, or 1 ms more when the TTL was written by an earlier check whose script
            // crossed a millisecond between reading TIME and its SET (Redis counts PX from the SET's
            // millisecond; seen twice, on a loaded CI machine). The others write 1.5 × resetMs when
            // the TTL must grow.
            longest = Math.max(longest, r.resetMs)
            expect(pttl).toBeGreaterThan(r.resetMs - 100)
            if (algorithm === 'fixed-window' || algorithm === 'sliding-window-counter')
              expect(pttl).toBeLessThanOrEqual(r.resetMs + 1)
            else expect(pttl).toBeLessThanOrEqual(Math.floor(1.5 * longest))
          } else {
            expect(value).toEqual(before[0])
            expect(pttl).toBeLessThanOrEqual(before[1])
            expect(pttl).toBeGreaterThan(0)
          }
          await limiter.peek('user', { cost: 2 })
          expect((await dump())[0]).toEqual(value)
        }
      }
      const keys = (await c.raw(['KEYS', '*'])) as string[]
      expect(keys).toHaveLength(ALGORITHMS.length)
      for (const key of keys) expect(Number(await c.raw(['PTTL', key]))).toBeGreaterThan(0)
    })

    test('a busy key writes its TTL a few times per resetMs, not on every check', async () => {
      for (const algorithm of ['token-bucket', 'gcra', 'sliding-window-log'] as const) {
        const limiter = redisLimiter({ algorithm, limit: 1000, windowMs: 60_000 }, { client })
        const key = limiter.store.keyOf(limiter.policy, 'busy')
        await c.raw(['CONFIG', 'RESETSTAT'])
        // Each state records the expiry it last set (its last field, or the log header's second).
        const expiries = new Set<string>()
        for (let i = 0; i < 40; i++) {
          const r = await limiter.limit('busy')
          expect(Number(await c.raw(['PTTL', key]))).toBeGreaterThan(r.resetMs - 100)
          if (algorithm === 'sliding-window-log')
            expiries.add(String(await c.raw(['EVAL', LOG_EXPIRES, '1', key])))
          else expiries.add(String(await c.raw(['EVAL', LAST_DOUBLE, '1', key])))
        }
        // The bucket drains by 60 ms of refill per check: its resetMs grows from 60 ms to 2.4 s, and
        // each TTL write covers 1.5 × what is needed: about log1.5(40) writes, not 40.
        expect(expiries.size).toBeLessThanOrEqual(algorithm === 'sliding-window-log' ? 1 : 10)
        if (algorithm === 'sliding-window-log') {
          // The first write (SET … PX) set the TTL for all 40: no PEXPIRE, no other SET.
          const stats = await info('commandstats')
          expect(calls(stats, 'set')).toBe(1)
          expect(calls(stats, 'pexpire')).toBe(0)
        }
      }
    })

    test('time comes from Redis: a fixed window ends where Redis TIME says', async () => {
      const limiter = redisLimiter({ algorithm: 'fixed-window', limit: 5, windowMs: 1000 }, { client })
      const ms = async () => {
        const [s, us] = (await c.raw(['TIME'])) as [string, string]
        return Number(s) * 1000 + Math.floor(Number(us) / 1000)
      }
      const before = await ms()
      const r = await limiter.limit('k')
      const after = await ms()
      if (Math.floor(before / 1000) === Math.floor(after / 1000)) {
        expect(r.resetMs).toBeLessThanOrEqual(1000 - (before % 1000))
        expect(r.resetMs).toBeGreaterThanOrEqual(1000 - (after % 1000))
      }
      const s = await limiter.inspect('k')
      expect(s.nowMs).toBeGreaterThanOrEqual(after)
    })

    test('one script call per check (INFO commandstats); limitMany is one round trip', async () => {
      const limiter = redisLimiter({ algorithm: 'token-bucket', limit: 1000, windowMs: 1000 }, { client })
      await limiter.limit('warm') // the script is cached after this one (EVALSHA, or EVAL after NOSCRIPT)
      await c.raw(['CONFIG', 'RESETSTAT'])
      for (let i = 0; i < 25; i++) await limiter.limit(`user:${i % 5}`)
      await Promise.all(Array.from({ length: 25 }, (_, i) => limiter.peek(`user:${i}`)))
      let stats = await info('commandstats')
      expect(calls(stats, 'evalsha')).toBe(50)
      expect(calls(stats, 'eval')).toBe(0)
      // Script-internal commands (TIME, GET, SET, SETRANGE) show up too; nothing else is sent per check.
      expect([...stats.keys()].sort()).toEqual(
        [
          'cmdstat_config|resetstat',
          'cmdstat_evalsha',
          'cmdstat_get',
          'cmdstat_set',
          'cmdstat_setrange',
          'cmdstat_time',
        ].sort(),
      )

      // The server reads a pipelined batch in one go: one read event for 20 checks. (Each INFO below
      // costs reads of its own, its connection's close included: measured first, with nothing between.)
      const reads = async () => Number((await info('stats')).get('total_reads_processed'))
      let before = await reads()
      const idle = (await reads()) - before
      const keys = Array.from({ length: 20 }, (_, i) => `batch:${i}`)
      before = await reads()
      const results = await limitMany(limiter, keys)
      expect((await reads()) - before - idle).toBe(1)
      expect(results.every((r) => r.allowed && r.source === 'redis' && r.remaining === 999)).toBe(true)
      stats = await info('commandstats')
      expect(calls(stats, 'evalsha')).toBe(70)
      // The same checks one after the other: one read each.
      before = await reads()
      for (const key of keys) await limiter.limit(key)
      expect((await reads()) - before - idle).toBe(20)
    })

    test('NOSCRIPT (script cache flushed, as after a restart): EVAL once, then EVALSHA again', async () => {
      const failures: RedisStoreError[] = []
      const limiter = redisLimiter(
        { algorithm: 'sliding-window-log', limit: 10, windowMs: 60_000 },
        { client, onFailure: (e) => failures.push(e) },
      )
      expect((await limiter.limit('k')).source).toBe('redis')
      await c.raw(['SCRIPT', 'FLUSH'])
      await c.raw(['CONFIG', 'RESETSTAT'])
      const r = await limiter.limit('k')
      expect(r).toMatchObject({ allowed: true, remaining: 8, source: 'redis' })
      let stats = await info('commandstats')
      expect(calls(stats, 'eval')).toBe(1)
      expect(stats.get('cmdstat_evalsha')).toMatch(/failed_calls=1/)
      await limiter.limit('k')
      stats = await info('commandstats')
      expect(calls(stats, 'eval')).toBe(1)
      expect(calls(stats, 'evalsha')).toBe(2)
      // limitMany recovers the same way.
      await c.raw(['SCRIPT', 'FLUSH'])
      const batch = await limitMany(limiter, ['k', 'other', 'k'])
      expect(batch.map((x) => [x.remaining, x.source])).toEqual([
        [6, 'redis'],
        [9, 'redis'],
        [5, 'redis'],
      ])
      expect(failures).toEqual([])
    })

    test('block cache: a blocked key is answered in-process until its block ends', async () => {
      const limiter = redisLimiter({ algorithm: 'fixed-window', limit: 2, windowMs: 400 }, { client })
      // Start right after a window boundary so the block lasts long enough to observe.
      for (;;) {
        const s = await limiter.inspect('warmup')
        if (s.nowMs % 400 < 150) break
        await sleep(400 - (s.nowMs % 400))
      }
      expect((await limiter.limit('k')).source).toBe('redis')
      expect((await limiter.limit('k')).source).toBe('redis')
      const blocked = await limiter.limit('k')
      expect(blocked).toMatchObject({ allowed: false, remaining: 0, source: 'redis' })
      await c.raw(['CONFIG', 'RESETSTAT'])
      const cached = await limiter.limit('k')
      expect(cached).toMatchObject({ allowed: false, limit: 2, remaining: 0, delayMs: 0, source: 'cache' })
      expect(cached.retryAfterMs).toBeLessThanOrEqual(blocked.retryAfterMs)
      expect(cached.retryAfterMs).toBeGreaterThan(0)
      expect((await limitMany(limiter, ['k', 'k']))[1]!.source).toBe('cache')
      expect(calls(await info('commandstats'), 'evalsha')).toBe(0)
      // peek() always asks Redis; other keys are unaffected.
      expect((await limiter.peek('k')).source).toBe('redis')
      expect((await limiter.limit('other')).source).toBe('redis')
      // When the block ends, Redis answers again and admits.
      await sleep(blocked.retryAfterMs + 5)
      expect(await limiter.limit('k')).toMatchObject({ allowed: true, source: 'redis' })
      // reset() forgets the block with the state.
      await limiter.limit('k')
      expect((await limiter.limit('k')).source).toBe('redis')
      expect((await limiter.limit('k')).source).toBe('cache')
      await limiter.reset('k')
      expect(await limiter.limit('k')).toMatchObject({ allowed: true, remaining: 1, source: 'redis' })
    })

    test('a blocked cost c blocks costs ≥ c only; a cost that can never fit is not cached', async () => {
      const limiter = redisLimiter({ algorithm: 'token-bucket', limit: 10, windowMs: 10_000 }, { client })
      await limiter.limit('k', { cost: 8 })
      expect((await limiter.limit('k', { cost: 5 })).source).toBe('redis')
      expect((await limiter.limit('k', { cost: 6 })).source).toBe('cache')
      expect(await limiter.limit('k', { cost: 2 })).toMatchObject({ allowed: true, source: 'redis' })
      expect(await limiter.limit('k', { cost: 11 })).toMatchObject({
        allowed: false,
        retryAfterMs: Number.POSITIVE_INFINITY,
        source: 'redis',
      })
      expect((await limiter.limit('k', { cost: 11 })).source).toBe('redis')
    })

    test('reset() deletes the key; one store serves several limiters, their keys apart', async () => {
      const store = new RedisStore({ client })
      const a = new RateLimiter({ algorithm: 'gcra', limit: 1, windowMs: 60_000, store })
      const b = new RateLimiter({ algorithm: 'gcra', limit: 1, windowMs: 60_000, name: 'b', store })
      expect((await a.limit('k')).allowed).toBe(true)
      expect((await b.limit('k')).allowed).toBe(true)
      expect((await a.limit('k')).allowed).toBe(false)
      await a.reset('k')
      expect(await c.raw(['EXISTS', store.keyOf(a.policy, 'k')])).toBe(0)
      expect(await c.raw(['EXISTS', store.keyOf(b.policy, 'k')])).toBe(1)
      expect((await a.limit('k')).allowed).toBe(true)
      expect((await b.limit('k')).allowed).toBe(false)
    })

    test('leaky-bucket schedule() spaces requests by the Redis queue', async () => {
      const limiter = redisLimiter(
        { algorithm: 'leaky-bucket', limit: 20, windowMs: 1000, maxQueue: 2 },
        { client, blockCacheSize: 0 },
      )
      const started: number[] = []
      const t0 = performance.now()
      const results = await Promise.allSettled(
        Array.from({ length: 4 }, () =>
          limiter.schedule('q').then(() => started.push(performance.now() - t0)),
        ),
      )
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3)
      const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult
      expect(rejected.reason).toMatchObject({ code: 'ERR_QUEUE_FULL' })
      started.sort((x, y) => x - y)
      expect(started[1]! - started[0]!).toBeGreaterThanOrEqual(40)
      expect(started[2]! - started[0]!).toBeGreaterThanOrEqual(90)
    })

    test('the node:http middleware over Redis: headers from the Redis decision, 429 past the limit', async () => {
      const limiter = redisLimiter(
        { algorithm: 'fixed-window', limit: 2, windowMs: 60_000, name: 'api' },
        { client },
      )
      const limit = rateLimitMiddleware(limiter, { keyGenerator: () => 'one-client' })
      const server = createServer((req, res) => limit(req, res, () => res.end('ok')))
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
      try {
        const { port } = server.address() as AddressInfo
        const responses = []
        for (let i = 0; i < 3; i++) responses.push(await fetch(`http://127.0.0.1:${port}/`))
        expect(responses.map((r) => r.status)).toEqual([200, 200, 429])
        expect(responses[0]!.headers.get('ratelimit-policy')).toBe('"api";q=2;w=60')
        expect(responses[1]!.headers.get('ratelimit')).toMatch(/^"api";r=0;t=\d+$/)
        expect(Number(responses[2]!.headers.get('retry-after'))).toBeGreaterThan(0)
        // A second server (another instance) shares the count.
        const other = createServer((req, res) =>
          rateLimitMiddleware(limiter, { keyGenerator: () => 'one-client' })(req, res, () => res.end('ok')),
        )
        await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve))
        const r = await fetch(`http://127.0.0.1:${(other.address() as AddressInfo).port}/`)
        other.close()
        expect(r.status).toBe(429)
      } finally {
        server.close()
      }
    })

    test('a closed client: checks answer by policy, reset() and inspect() reject with RedisStoreError', async () => {
      const closed = await connect(kind, server)
      await closed.close()
      const failures: RedisStoreError[] = []
      const limiter = redisLimiter(
        { algorithm: 'gcra', limit: 5, windowMs: 1000 },
        { client: closed.client, onError: 'deny', onFailure: (e) => failures.push(e) },
      )
      expect(await limiter.limit('k')).toMatchObject({ allowed: false, source: 'fallback' })
      expect(await limiter.peek('k')).toMatchObject({ allowed: false, source: 'fallback' })
      expect((await limitMany(limiter, ['a', 'b'])).map((r) => r.source)).toEqual(['fallback', 'fallback'])
      await expect(limiter.reset('k')).rejects.toMatchObject({ code: 'ERR_REDIS_COMMAND' })
      await expect(limiter.inspect('k')).rejects.toMatchObject({ code: 'ERR_REDIS_COMMAND' })
      expect(failures.length).toBeGreaterThanOrEqual(3)
      expect(failures.every((e) => e.code === 'ERR_REDIS_COMMAND' || e.code === 'ERR_REDIS_TIMEOUT')).toBe(
        true,
      )
    })

    test('a value of another type under the key: the check answers by policy and reports the error', async () => {
      const failures: RedisStoreError[] = []
      const limiter = redisLimiter(
        { algorithm: 'sliding-window-log', limit: 5, windowMs: 1000 },
        { client, onError: 'deny', onFailure: (e) => failures.push(e) },
      )
      await c.raw(['HSET', limiter.store.keyOf(limiter.policy, 'k'), 'f', 'v'])
      expect(await limiter.limit('k')).toEqual({
        allowed: false,
        limit: 5,
        remaining: 0,
        resetMs: 1000,
        retryAfterMs: 1000,
        delayMs: 0,
        source: 'fallback',
      })
      expect(failures).toHaveLength(1)
      expect(failures[0]).toMatchObject({ name: 'RedisStoreError', code: 'ERR_REDIS_COMMAND' })
      expect(String((failures[0]!.cause as Error).message)).toMatch(/WRONGTYPE/)
      await expect(limiter.inspect('k')).resolves.toMatchObject({ count: 0 })
    })
  })
})
