// The sliding-window log's Redis layout (src/redis/scripts.ts): one string [dead prefix | body | header],
// body entries (gap, cost) packed as narrow as the policy allows, the newest entry in the header, expiry
// by moving `start`, compaction when the dead prefix outgrows the live body. The answers are held to the
// memory store (the reference) on long random streams that fill logs past the tail a check reads and
// past the chunks a walk reads, and the stored value is decoded here, independently of the script, to
// check the layout's invariants: entries in time order, sums, the dead prefix at most the live body, at
// most min(limit, windowMs) entries; and that rejections and peek() leave the value and TTL untouched.
import { describeRedis, type RedisServer, redisCommand, startRedis } from '@hotpath/test-utils/redis'
import fc from 'fast-check'
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { RateLimiter, type RateLimitResult } from '../src/index.js'
import { type RedisRateLimitResult, RedisStore } from '../src/redis/index.js'
import { useTestClock } from '../src/redis/redis-store.js'
import { type Config, FakeClock, limiterFor, runs, startArb } from './helpers.js'
import { type Connected, calls, connect, KINDS, parseInfo, sleep } from './redis/clients.js'

const withoutSource = ({ source: _, ...rest }: RedisRateLimitResult): RateLimitResult => rest

const H = 48
const bytesFor = (max: number): number => {
  let n = 1
  while (max >= 2 ** (8 * n)) n++
  return n
}
const entryBytes = (limit: number, windowMs: number) => bytesFor(windowMs - 1) + bytesFor(limit)

// The stored log decoded by the test's own reading of the layout: {strlen, header..., entries}, entry
// times rebuilt from the first one's (in the header) and each entry's gap to the next.
const DECODE = `local v = redis.call('GET', KEYS[1])
if not v then return {} end
local gapBytes, costBytes = tonumber(ARGV[1]), tonumber(ARGV[2])
local E = gapBytes + costBytes
local sum, expires, newest, newestCost, oldest, start, stop = struct.unpack('<dddddI4I4', v, #v - ${H} + 1)
local out = {#v, sum, expires, newest, newestCost, oldest, start, stop}
local p, t = start, oldest
while p < stop do
  local gap, c = struct.unpack('<I' .. gapBytes .. 'I' .. costBytes, v, p + 1)
  out[#out + 1] = t
  out[#out + 1] = c
  out[#out + 1] = gap
  t = t + gap
  p = p + E
end
return out`

interface Decoded {
  strlen: number
  sum: number
  expires: number
  newest: number
  newestCost: number
  start: number
  stop: number
  /** body entries, oldest first, then the newest (gap: to the next entry; the newest's is 0) */
  entries: { t: number; cost: number; gap: number }[]
}

async function decode(c: Connected, key: string, limit: number, windowMs: number): Promise<Decoded | null> {
  const raw = (await c.raw([
    'EVAL',
    DECODE,
    '1',
    key,
    String(bytesFor(windowMs - 1)),
    String(bytesFor(limit)),
  ])) as number[]
  if (raw.length === 0) return null
  const [strlen, sum, expires, newest, newestCost, , start, stop] = raw.map(Number) as number[]
  const entries: Decoded['entries'] = []
  for (let i = 8; i < raw.length; i += 3)
    entries.push({ t: Number(raw[i]), cost: Number(raw[i + 1]), gap: Number(raw[i + 2]) })
  entries.push({ t: newest!, cost: newestCost!, gap: 0 })
  return {
    strlen: strlen!,
    sum: sum!,
    expires: expires!,
    newest: newest!,
    newestCost: newestCost!,
    start: start!,
    stop: stop!,
    entries,
  }
}

/** The layout's invariants, true after every write (a rejection or a peek writes nothing). */
function expectLayout(d: Decoded, limit: number, windowMs: number): void {
  const E = entryBytes(limit, windowMs)
  expect(d.strlen).toBe(d.stop + H)
  expect((d.stop - d.start) % E).toBe(0)
  // Compaction: the dead prefix is never larger than the live body, so the value is at most about
  // twice the live entries.
  expect(d.start).toBeLessThanOrEqual(d.stop - d.start)
  let sum = 0
  for (let i = 0; i < d.entries.length; i++) {
    const e = d.entries[i]!
    expect(e.cost).toBeGreaterThan(0)
    sum += e.cost
    if (i + 1 < d.entries.length) {
      // Times strictly increase, by less than a window (an entry joins the body only while live).
      expect(e.gap).toBeGreaterThan(0)
      expect(e.gap).toBeLessThan(windowMs)
      expect(d.entries[i + 1]!.t).toBe(e.t + e.gap)
    }
  }
  expect(sum).toBe(d.sum)
  // Every entry kept was live at the last write: at most one per ms of a window, and the limit's cost.
  expect(d.entries.length).toBeLessThanOrEqual(Math.min(limit, windowMs))
  expect(d.sum).toBeLessThanOrEqual(limit)
}

describeRedis('sliding-window log on Redis: layout, chunks, compaction', () => {
  let server: RedisServer
  beforeAll(async () => {
    server = await startRedis()
  })
  afterAll(() => server?.stop())

  describe.each(KINDS)('with %s', (kind) => {
    let c: Connected
    let store: RedisStore
    beforeAll(async () => {
      c = await connect(kind, server)
      store = new RedisStore({ client: c.client, blockCacheSize: 0 })
    })
    afterAll(() => c?.close())
    beforeEach(async () => {
      await c.raw(['FLUSHALL'])
    })

    // A log on both stores at one fake clock; checks are sent without waiting for each other (one
    // connection keeps them in order; each carries the clock's time when it was made) and compared
    // with the memory store's answers at the same times. The policy's scripts are loaded first: a
    // NOSCRIPT retry would be sent after the checks queued behind it.
    async function pair(limit: number, windowMs: number, start: number) {
      const config: Config = { algorithm: 'sliding-window-log', limit, windowMs }
      const clock = new FakeClock(start)
      useTestClock(store, clock.now)
      const memory = limiterFor(config, clock)
      const redis = new RateLimiter({ ...config, store })
      await redis.peek('warm-up')
      await redis.inspect('warm-up')
      const pending: Promise<unknown>[] = []
      const expected: unknown[] = []
      return {
        clock,
        redis,
        memory,
        limit(key: string, cost: number) {
          pending.push(redis.limit(key, { cost }).then(withoutSource))
          expected.push(memory.limit(key, { cost }))
        },
        peek(key: string, cost: number) {
          pending.push(redis.peek(key, { cost }).then(withoutSource))
          expected.push(memory.peek(key, { cost }))
        },
        inspect(key: string) {
          pending.push(redis.inspect(key))
          expected.push(memory.inspect(key))
        },
        async settle() {
          const got = await Promise.all(pending.splice(0))
          const want = expected.splice(0)
          for (let i = 0; i < want.length; i++) expect(got[i], `answer ${i}`).toEqual(want[i])
        },
        redisKey: (key: string) => store.keyOf(redis.policy, key),
      }
    }

    // Long streams: mostly 0–3 ms apart, so logs grow past the 16 entries a check reads with the header
    // and past several chunks; now and then a gap around the window that expires many entries at once,
    // a cost up to the limit or over it, the clock stepping back, a peek.
    const streamArb = fc
      .oneof(
        fc.record({
          limit: fc.oneof(fc.integer({ min: 1, max: 8 }), fc.constantFrom(20, 100, 300, 3000)),
          windowMs: fc.oneof(fc.integer({ min: 1, max: 40 }), fc.constantFrom(100, 333, 1000)),
          // how rare the gaps that can empty the log and the large costs are
          calm: fc.constantFrom(1, 10, 100),
        }),
        // logs of hundreds of entries
        fc.record({
          limit: fc.constantFrom(300, 3000),
          windowMs: fc.constantFrom(333, 1000),
          calm: fc.constant(100),
        }),
      )
      .chain(({ limit, windowMs: W, calm }) =>
        fc.record({
          limit: fc.constant(limit),
          windowMs: fc.constant(W),
          start: startArb,
          arrivals: fc.array(
            fc.record({
              dt: fc.oneof(
                { weight: 30 * calm, arbitrary: fc.constant(0) },
                { weight: 100 * calm, arbitrary: fc.integer({ min: 1, max: 3 }) },
                { weight: 3 * calm, arbitrary: fc.integer({ min: 0, max: Math.max(1, Math.ceil(W / 4)) }) },
                { weight: 1, arbitrary: fc.integer({ min: 0, max: 2 * W }) },
                { weight: 1, arbitrary: fc.constantFrom(W - 1, W, W + 1) },
              ),
              cost: fc.oneof(
                { weight: 40 * calm, arbitrary: fc.constant(1) },
                { weight: 4 * calm, arbitrary: fc.integer({ min: 0, max: Math.min(limit, 5) }) },
                { weight: 1, arbitrary: fc.integer({ min: 0, max: limit }) },
                { weight: 1, arbitrary: fc.constant(limit + 1) },
              ),
              back: fc.oneof(
                { weight: 100, arbitrary: fc.constant(0) },
                { weight: 1, arbitrary: fc.integer({ min: 1, max: 2 * W }) },
              ),
              peek: fc.oneof(
                { weight: 8, arbitrary: fc.constant(false) },
                { weight: 1, arbitrary: fc.constant(true) },
              ),
            }),
            { minLength: 50, maxLength: 1500, size: 'max' },
          ),
        }),
      )

    let run = 0
    test('long random streams: the same answers as the memory store, the layout invariants after each batch', async () => {
      // The streams must reach logs longer than the tail a check reads and its first three chunks.
      let longest = 0
      const check = async (key: string, limit: number, windowMs: number) => {
        const d = await decode(c, key, limit, windowMs)
        if (d === null) return
        expectLayout(d, limit, windowMs)
        longest = Math.max(longest, d.entries.length)
      }
      await fc.assert(
        fc.asyncProperty(streamArb, async ({ limit, windowMs, start, arrivals }) => {
          const p = await pair(limit, windowMs, start)
          const key = `s${run++}`
          for (let i = 0; i < arrivals.length; i++) {
            const { dt, cost, back, peek } = arrivals[i]!
            p.clock.t = Math.max(0, p.clock.t + dt - back)
            if (peek) p.peek(key, cost)
            p.limit(key, cost)
            if (i % 97 === 96) {
              p.inspect(key)
              await p.settle()
              await check(p.redisKey(key), limit, windowMs)
            }
          }
          p.inspect(key)
          await p.settle()
          await check(p.redisKey(key), limit, windowMs)
        }),
        {
          numRuns: runs(25, 100),
          // One stream that surely gets there (400 admissions within one window), so the coverage check
          // below does not depend on what the random runs happened to draw.
          examples: [
            [
              {
                limit: 3000,
                windowMs: 1000,
                start: 1_700_000_000_123,
                arrivals: Array.from({ length: 400 }, () => ({ dt: 1, cost: 1, back: 0, peek: false })),
              },
            ],
          ],
        },
      )
      expect(longest).toBeGreaterThan(16 + 16 + 32 + 64)
    })

    test('compaction: a dead prefix as long as the live body stays, one entry more is compacted away', async () => {
      // W 10, limit 100: gap and cost take a byte each, E = 2.
      const p = await pair(100, 10, 1_000)
      const key = p.redisKey('k')
      for (let t = 0; t < 10; t++) {
        p.clock.t = 1_000 + t
        p.limit('k', 1)
      }
      await p.settle()
      let d = (await decode(c, key, 100, 10))!
      expect(d).toMatchObject({ start: 0, stop: 18, strlen: 18 + H }) // 9 body entries, the newest in the header
      // At 1014, entries 1000–1004 have expired: dead prefix 10 bytes, live body 10 bytes (1005–1009):
      // kept.
      p.clock.t = 1_014
      p.limit('k', 1)
      await p.settle()
      d = (await decode(c, key, 100, 10))!
      expect(d).toMatchObject({ start: 10, stop: 20, strlen: 20 + H, sum: 6 })
      expectLayout(d, 100, 10)
      // At 1015, 1005 expires: 12 dead bytes against 10 live: the live part moves to a fresh value.
      p.clock.t = 1_015
      p.limit('k', 1)
      await p.settle()
      d = (await decode(c, key, 100, 10))!
      expect(d).toMatchObject({ start: 0, stop: 10, strlen: 10 + H, sum: 6 })
      expect(d.entries.map((e) => e.t)).toEqual([1006, 1007, 1008, 1009, 1014, 1015])
      expectLayout(d, 100, 10)
      p.inspect('k')
      await p.settle()
    })

    test('a log at min(limit, windowMs) entries: walks across chunks, rejections and peeks write nothing', async () => {
      for (const [limit, windowMs] of [
        [3000, 3000],
        [20_000, 1000],
      ] as const) {
        const p = await pair(limit, windowMs, 1_700_000_000_000)
        const key = p.redisKey('full')
        const n = Math.min(limit, windowMs)
        for (let i = 0; i < n; i++) {
          p.limit('full', 1)
          p.clock.t++
        }
        p.clock.t--
        await p.settle()
        let d = (await decode(c, key, limit, windowMs))!
        expect(d.entries).toHaveLength(n)
        expect(d.strlen).toBe(H + (n - 1) * entryBytes(limit, windowMs))
        expectLayout(d, limit, windowMs)
        // Same ms: the newest entry (in the header) takes it; nothing appended.
        if (limit > n) {
          p.limit('full', 3)
          await p.settle()
          d = (await decode(c, key, limit, windowMs))!
          expect(d.entries).toHaveLength(n)
          expect(d.newestCost).toBe(4)
          expect(d.strlen).toBe(H + (n - 1) * entryBytes(limit, windowMs))
        }
        // Rejections and peeks of every kind, each walking a different way into the log (the cost to
        // free sits 1, 17, 49, 113, ... entries in: across the 16-entry chunk and its doublings), and
        // a cost over the limit: the value and its TTL are untouched.
        const before = [await c.raw(['DUMP', key]), Number(await c.raw(['PTTL', key]))] as const
        const live = d.sum
        for (const freeing of [1, 2, 16, 17, 18, 48, 49, 112, 113, 500, n - 1, n]) {
          const cost = Math.min(limit, limit - live + freeing)
          p.limit('full', cost)
          p.peek('full', cost)
          p.peek('full', 1)
        }
        p.limit('full', limit + 1)
        p.peek('full', limit + 1)
        p.inspect('full')
        await p.settle()
        expect(await c.raw(['DUMP', key])).toEqual(before[0])
        expect(Number(await c.raw(['PTTL', key]))).toBeLessThanOrEqual(before[1])
        expect(Number(await c.raw(['PTTL', key]))).toBeGreaterThan(before[1] - 1000)
        // Time moves so that 1, then 16, 17, 100 and half the log expire in single checks (chunk
        // boundaries), then everything: the value starts over.
        for (const expire of [1, 16, 17, 100, Math.floor(n / 2)]) {
          p.clock.t += expire
          p.limit('full', 1)
          p.inspect('full')
          await p.settle()
          expectLayout((await decode(c, key, limit, windowMs))!, limit, windowMs)
        }
        p.clock.t += windowMs
        p.limit('full', 2)
        p.inspect('full')
        await p.settle()
        d = (await decode(c, key, limit, windowMs))!
        expect(d).toMatchObject({ strlen: H, start: 0, stop: 0, sum: 2, newestCost: 2 })
      }
    })

    test('the clock steps back: judged at the newest entry, which takes the request; nothing un-expires', async () => {
      const p = await pair(10, 100, 5_000)
      const key = p.redisKey('k')
      for (const t of [5_000, 5_050, 5_099, 5_100]) {
        p.clock.t = t
        p.limit('k', 1)
      }
      // 5,000 has expired at 5,100. Back to 4,000: judged at 5,100, so 5,000 stays expired, and the
      // admission joins the 5,100 entry.
      p.clock.t = 4_000
      p.limit('k', 2)
      p.inspect('k')
      await p.settle()
      const d = (await decode(c, key, 10, 100))!
      expect(d.entries.map((e) => [e.t, e.cost])).toEqual([
        [5_050, 1],
        [5_099, 1],
        [5_100, 3],
      ])
      expectLayout(d, 10, 100)
      // Still behind: a rejection's wait counts from the real now.
      p.limit('k', 8)
      p.peek('k', 1)
      p.inspect('k')
      await p.settle()
    })

    test('real time: the TTL covers the state after every write path (fresh, appended, compacted)', async () => {
      // Entries ~100–250 ms apart in a 600 ms window: most checks expire one, the TTL (1.5 × 600 ms
      // when it must grow) grows every few checks, the dead prefix often outgrows the live body.
      const limiter = new RateLimiter({
        algorithm: 'sliding-window-log',
        limit: 50,
        windowMs: 600,
        store: new RedisStore({ client: c.client, blockCacheSize: 0 }),
      })
      const key = limiter.store.keyOf(limiter.policy, 'rt')
      await c.raw(['CONFIG', 'RESETSTAT'])
      let seed = 5
      for (let i = 0; i < 14; i++) {
        const r = await limiter.limit('rt')
        expect(r.allowed).toBe(true)
        // Whole ms on both sides, a round trip apart.
        expect(Number(await c.raw(['PTTL', key]))).toBeGreaterThan(r.resetMs - 100)
        expectLayout((await decode(c, key, 50, 600))!, 50, 600)
        seed = (Math.imul(seed, 1103515245) + 12345) >>> 0
        await sleep(100 + (seed % 150))
      }
      const stats = parseInfo(await redisCommand(server.port, ['INFO', 'commandstats']))
      expect(calls(stats, 'pexpire')).toBeGreaterThan(0) // appended, TTL grown
      expect(calls(stats, 'set')).toBeGreaterThan(1) // fresh, then compactions
    })

    test('numbers at the edges: 7-byte gaps and costs stay exact', async () => {
      for (const [limit, windowMs] of [
        [2 ** 40 - 1, 4096],
        [2 ** 48 + 5, 15],
        [3, 2 ** 50],
        [2 ** 26 + 1, 2 ** 26 - 1],
      ] as const) {
        const p = await pair(limit, windowMs, 1_700_000_000_123)
        let seed = 11
        for (let i = 0; i < 60; i++) {
          seed = (Math.imul(seed, 1103515245) + 12345) >>> 0
          p.clock.t += seed % 3 === 0 ? 0 : seed % 5_000
          p.limit('big', seed % 4 === 0 ? 1 : Math.floor(limit / ((seed % 7) + 2)))
        }
        p.inspect('big')
        await p.settle()
        expectLayout((await decode(c, p.redisKey('big'), limit, windowMs))!, limit, windowMs)
      }
    })
  })
})
