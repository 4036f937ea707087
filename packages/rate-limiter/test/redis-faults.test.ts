// Faults on a real redis-server: the process killed and restarted mid-run (connections drop, data and
// the script cache are gone: the NOSCRIPT path, reconnection) and paused with SIGSTOP (the connection
// stays up but nothing answers: the timeout path). With each client and each onError policy: every
// check resolves (never a rejection, never an unhandled one), the policy answers while Redis cannot,
// and once Redis is back the limits are exact again.
import { describeRedis, type RedisServer, redisCommand, startRedis } from '@hotpath/test-utils/redis'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { RateLimiter } from '../src/index.js'
import {
  limitMany,
  type OnRedisError,
  type RedisRateLimitResult,
  RedisStore,
  RedisStoreError,
} from '../src/redis/index.js'
import { type Connected, calls, connect, KINDS, parseInfo, sleep, until } from './redis/clients.js'

const LIMIT = 5
const TIMEOUT_MS = 150
const INSURANCE_LIMIT = 2

type Policy = 'allow' | 'deny' | 'insurance'
const POLICIES: readonly Policy[] = ['allow', 'deny', 'insurance']

interface Check {
  readonly result: RedisRateLimitResult
  readonly elapsedMs: number
}

/** `callers` concurrent loops checking `key` until stop() is called; any rejection is recorded. */
function hammer(limiter: RateLimiter<RedisStore>, key: string, callers: number) {
  const checks: Check[] = []
  const errors: unknown[] = []
  let running = true
  const loops = Array.from({ length: callers }, async () => {
    while (running) {
      const t0 = performance.now()
      try {
        const result = await limiter.limit(key)
        checks.push({ result, elapsedMs: performance.now() - t0 })
      } catch (error) {
        errors.push(error)
      }
      await sleep(3)
    }
  })
  return {
    checks,
    errors,
    async stop() {
      running = false
      await Promise.all(loops)
    },
  }
}

describeRedis('RedisStore when Redis fails', () => {
  let server: RedisServer
  const unhandled: unknown[] = []
  const onUnhandled = (reason: unknown) => unhandled.push(reason)
  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled)
    server = await startRedis()
  })
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled)
    await server?.stop()
  })
  afterEach(async () => {
    server.resume() // harmless when running; a failed test must not leave it stopped
    // Let late replies (commands queued during the fault) settle inside the test that caused them.
    await sleep(20)
    expect(unhandled).toEqual([])
  })

  const setup = (c: Connected, policy: Policy, failures: RedisStoreError[]) => {
    // A sliding log: no window boundary can fall inside the outage and let a third request through.
    const insurance = new RateLimiter({
      algorithm: 'sliding-window-log',
      limit: INSURANCE_LIMIT,
      windowMs: 60_000,
    })
    const onError: OnRedisError = policy === 'insurance' ? insurance : policy
    const store = new RedisStore({
      client: c.client,
      timeoutMs: TIMEOUT_MS,
      onError,
      onFailure: (e) => failures.push(e),
    })
    // The hammered limit is never reached (so the block cache stays out of the way: every check goes
    // to Redis); the exactness check after recovery uses a small one on the same store.
    return {
      busy: new RateLimiter({ algorithm: 'fixed-window', limit: 1_000_000, windowMs: 60_000, store }),
      small: new RateLimiter({ algorithm: 'fixed-window', limit: LIMIT, windowMs: 60_000, store }),
    }
  }

  // What the policy must have answered, for one key's fallback results in order.
  const expectPolicy = (policy: Policy, fallbacks: RedisRateLimitResult[]) => {
    expect(fallbacks.length).toBeGreaterThan(0)
    if (policy === 'allow') expect(fallbacks.every((r) => r.allowed)).toBe(true)
    if (policy === 'deny')
      expect(fallbacks.every((r) => !r.allowed && r.retryAfterMs === 1000 && r.remaining === 0)).toBe(true)
    if (policy === 'insurance') {
      expect(fallbacks.slice(0, INSURANCE_LIMIT).every((r) => r.allowed)).toBe(true)
      expect(fallbacks.slice(INSURANCE_LIMIT).some((r) => r.allowed)).toBe(false)
      expect(fallbacks[0]!.limit).toBe(INSURANCE_LIMIT)
    }
  }

  // After recovery: a burst of concurrent checks on a fresh key admits exactly the limit, from Redis.
  const expectExact = async (limiter: RateLimiter<RedisStore>, key: string) => {
    const burst = await Promise.all(Array.from({ length: 40 }, () => limiter.limit(key)))
    expect(burst.filter((r) => r.source === 'redis')).toHaveLength(40)
    expect(burst.filter((r) => r.allowed)).toHaveLength(LIMIT)
  }

  describe.each(KINDS)('with %s', (kind) => {
    let c: Connected
    beforeAll(async () => {
      c = await connect(kind, server)
    })
    afterAll(() => c?.close())

    test.each(POLICIES)(
      'killed and restarted mid-run, onError %s: policy answers, then NOSCRIPT → EVAL and exact limits',
      async (policy) => {
        const failures: RedisStoreError[] = []
        const { busy: limiter, small } = setup(c, policy, failures)
        const run = hammer(limiter, `kill-${policy}`, 8)
        await until('Redis answers', 5000, () => run.checks.some((x) => x.result.source === 'redis'))
        await server.kill('SIGKILL')
        const down = run.checks.length
        await until('fallback answers', 5000, () => run.checks.length > down + 20)
        // Everything else keeps answering too: a batch, and the calls with no policy reject cleanly.
        const batch = await limitMany(limiter, ['a', 'b'])
        expect(batch.map((r) => r.source)).toEqual(['fallback', 'fallback'])
        await expect(limiter.inspect('a')).rejects.toBeInstanceOf(RedisStoreError)
        await expect(limiter.reset('a')).rejects.toMatchObject({ name: 'RedisStoreError' })
        await server.restart()
        const up = run.checks.length
        await until('Redis answers again', 10_000, () =>
          run.checks.slice(up).some((x) => x.result.source === 'redis'),
        )
        await run.stop()
        expect(run.errors).toEqual([])
        const fallbacks = run.checks.filter((x) => x.result.source === 'fallback').map((x) => x.result)
        expectPolicy(policy, fallbacks)
        expect(failures.length).toBeGreaterThan(0)
        expect(failures.every((e) => e instanceof RedisStoreError)).toBe(true)
        // The restarted server had no script: the first check got NOSCRIPT and fell back to EVAL.
        const stats = parseInfo(await redisCommand(server.port, ['INFO', 'commandstats']))
        expect(calls(stats, 'eval')).toBeGreaterThanOrEqual(1)
        await expectExact(small, `after-kill-${policy}`)
      },
    )

    test.each(POLICIES)(
      'paused with SIGSTOP, onError %s: checks answer by policy after timeoutMs, then exact again',
      async (policy) => {
        const failures: RedisStoreError[] = []
        const { busy: limiter, small } = setup(c, policy, failures)
        const run = hammer(limiter, `pause-${policy}`, 8)
        await until('Redis answers', 5000, () => run.checks.some((x) => x.result.source === 'redis'))
        server.pause()
        const paused = run.checks.length
        await until(
          'fallback answers',
          5000,
          () => run.checks.slice(paused).filter((x) => x.result.source === 'fallback').length >= 16,
        )
        server.resume()
        const resumed = run.checks.length
        await until('Redis answers again', 5000, () =>
          run.checks.slice(resumed).some((x) => x.result.source === 'redis'),
        )
        await run.stop()
        expect(run.errors).toEqual([])
        const timedOut = run.checks.filter((x) => x.result.source === 'fallback')
        expectPolicy(
          policy,
          timedOut.map((x) => x.result),
        )
        // Each waited for the timeout, not much less, not much more (a loaded machine adds delay).
        for (const x of timedOut) {
          expect(x.elapsedMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 2)
          expect(x.elapsedMs).toBeLessThan(TIMEOUT_MS + 2000)
        }
        expect(failures.some((e) => e.code === 'ERR_REDIS_TIMEOUT')).toBe(true)
        await expectExact(small, `after-pause-${policy}`)
      },
    )
  })
})
