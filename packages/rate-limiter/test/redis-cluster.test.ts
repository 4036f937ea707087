// RedisStore on a real 3-master Redis Cluster (started by the shared helper), with ioredis's Cluster and
// node-redis's cluster client: keys spread over the slots of every master, the scripts answer as the
// memory store does, batches cross slots, and the multi-process exactness test holds per key.
import { describeRedis, type RedisCluster, redisCommand, startRedisCluster } from '@hotpath/test-utils/redis'
import fc from 'fast-check'
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { ALGORITHMS, type AlgorithmName, RateLimiter, type RateLimitResult } from '../src/index.js'
import { limitMany, type RedisRateLimitResult, RedisStore } from '../src/redis/index.js'
import { useTestClock } from '../src/redis/redis-store.js'
import { arrivalsArb, configArb, FakeClock, limiterFor, runs, startArb } from './helpers.js'
import { type Connected, connectCluster, KINDS } from './redis/clients.js'
import {
  buildChild,
  Children,
  type Config,
  expectReplayMatches,
  expectSlidingLogExact,
  historyOf,
} from './redis/exactness.js'

const withoutSource = ({ source: _, ...rest }: RedisRateLimitResult): RateLimitResult => rest

describeRedis('RedisStore on a 3-master Redis Cluster', () => {
  let cluster: RedisCluster
  beforeAll(async () => {
    cluster = await startRedisCluster({ masters: 3 })
  })
  afterAll(() => cluster?.stop())

  const onEveryNode = (args: string[]) => Promise.all(cluster.nodes.map((n) => redisCommand(n.port, args)))

  /** The port of the master serving `redisKey` (slot from CLUSTER KEYSLOT, ranges from CLUSTER NODES). */
  async function masterOf(redisKey: string): Promise<number> {
    const port = cluster.nodes[0]!.port
    const slot = Number(await redisCommand(port, ['CLUSTER', 'KEYSLOT', redisKey]))
    const nodes = String(await redisCommand(port, ['CLUSTER', 'NODES']))
    for (const line of nodes.trim().split('\n')) {
      const fields = line.split(' ')
      for (const range of fields.slice(8)) {
        const [from, to = from] = range.split('-').map(Number)
        if (slot >= from! && slot <= to!) return Number(fields[1]!.split(':')[1]!.split('@')[0])
      }
    }
    throw new Error(`no master for slot ${slot}`)
  }

  describe.each(KINDS)('with the %s cluster client', (kind) => {
    let c: Connected
    beforeAll(async () => {
      c = await connectCluster(kind, cluster)
    })
    afterAll(() => c?.close())
    beforeEach(async () => {
      await onEveryNode(['FLUSHALL'])
    })

    test('keys spread over the slots of every master, each with a TTL', async () => {
      const limiter = new RateLimiter({
        algorithm: 'token-bucket',
        limit: 10,
        windowMs: 60_000,
        store: new RedisStore({ client: c.client }),
      })
      const results = await Promise.all(Array.from({ length: 300 }, (_, i) => limiter.limit(`user:${i}`)))
      expect(results.every((r) => r.allowed && r.remaining === 9 && r.source === 'redis')).toBe(true)
      const sizes = (await onEveryNode(['DBSIZE'])).map(Number)
      expect(sizes.reduce((a, b) => a + b)).toBe(300)
      for (const size of sizes) expect(size).toBeGreaterThan(50)
      for (const i of [0, 150, 299]) {
        const key = limiter.store.keyOf(limiter.policy, `user:${i}`)
        // One token of 10 per minute comes back in 6 s: the key must live that long; a bucket's TTL
        // is written as 1.5 × that, so that a busy key need not rewrite it on every check.
        const pttl = Number(await c.raw(['PTTL', key], key))
        expect(pttl).toBeGreaterThan(5900)
        expect(pttl).toBeLessThanOrEqual(9000)
      }
    })

    const scenario = (algorithm: AlgorithmName) =>
      configArb(algorithm).chain((config) =>
        fc.record({ config: fc.constant(config), arrivals: arrivalsArb(config), start: startArb }),
      )

    test('every algorithm answers as the memory store, batches across slots included', async () => {
      const store = new RedisStore({ client: c.client, blockCacheSize: 0 })
      let run = 0
      for (const algorithm of ALGORITHMS) {
        await fc.assert(
          fc.asyncProperty(scenario(algorithm), async ({ config, arrivals, start }) => {
            const clock = new FakeClock(start)
            useTestClock(store, clock.now)
            const memory = limiterFor(config, clock)
            const redis = new RateLimiter({ ...config, store })
            const keys = [`a${run}`, `b${run}`, `c${run}`, `d${run}`]
            run++
            for (const [i, { dt, cost }] of arrivals.entries()) {
              clock.t += dt
              const batch = await limitMany(redis, [keys[i % 4]!, keys[(i + 1) % 4]!], { cost })
              expect(batch.map(withoutSource)).toEqual([
                memory.limit(keys[i % 4]!, { cost }),
                memory.limit(keys[(i + 1) % 4]!, { cost }),
              ])
            }
            for (const key of keys) expect(await redis.inspect(key)).toEqual(memory.inspect(key))
          }),
          { numRuns: runs(8, 25) },
        )
      }
    })

    test('each master learns the scripts on its own (NOSCRIPT → EVAL per node)', async () => {
      const limiter = new RateLimiter({
        algorithm: 'sliding-window-log',
        limit: 3,
        windowMs: 60_000,
        store: new RedisStore({ client: c.client }),
      })
      const keys = Array.from({ length: 30 }, (_, i) => `k${i}`)
      await limitMany(limiter, keys)
      await onEveryNode(['SCRIPT', 'FLUSH'])
      const again = await limitMany(limiter, keys)
      expect(again.map((r) => [r.source, r.remaining])).toEqual(keys.map(() => ['redis', 1]))
      const single = await limiter.limit('k0')
      expect(single).toMatchObject({ source: 'redis', remaining: 0 })
    })
  })

  test('8 processes × 50 callers, three keys on three masters: each exact', async () => {
    const store = new RedisStore({ client: { call: async () => null } })
    const config: Config = { algorithm: 'sliding-window-log', limit: 30, windowMs: 500 }
    const policy = new RateLimiter({ ...config, store }).policy
    const keys: string[] = []
    const masters = new Set<number>()
    for (let i = 0; keys.length < 3; i++) {
      const master = await masterOf(store.keyOf(policy, `hot:${i}`))
      if (masters.has(master)) continue
      masters.add(master)
      keys.push(`hot:${i}`)
    }
    const child = await buildChild()
    const children = await Children.spawn(
      child.file,
      ['ioredis', 'node-redis', 'ioredis', 'node-redis', 'ioredis', 'node-redis', 'ioredis', 'node-redis'],
      'cluster',
      cluster.nodes,
    )
    try {
      const reports = await children.run({ config, keys, callers: 50, durationMs: 1200 })
      for (let k = 0; k < keys.length; k++) {
        const h = historyOf(reports, k)
        expect(h.rejected.length).toBeGreaterThan(h.admitted.length)
        expectReplayMatches(config, h)
        expectSlidingLogExact(h, 30, 500)
      }
    } finally {
      await children.close()
      child.remove()
    }
  })
})
