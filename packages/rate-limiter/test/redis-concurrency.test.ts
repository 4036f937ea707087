// Exactness under concurrency on a real redis-server: 8 processes (4 with ioredis, 4 with node-redis)
// × 50 concurrent callers on one key. Every decision is checked against the memory store replayed at
// the same Redis times, and against the algorithm's bound as the docs write it.
import { describeRedis, type RedisServer, startRedis } from '@hotpath/test-utils/redis'
import { afterAll, beforeAll, expect, test } from 'vitest'
import {
  buildChild,
  Children,
  type Config,
  expectBucketBound,
  expectFixedWindowExact,
  expectReplayMatches,
  expectSlidingLogExact,
  historyOf,
} from './redis/exactness.js'

const PROCESSES = [
  'ioredis',
  'node-redis',
  'ioredis',
  'node-redis',
  'ioredis',
  'node-redis',
  'ioredis',
  'node-redis',
]
const CALLERS = 50
const W = 500
const DURATION_MS = 1200 // a little over two windows

describeRedis('8 processes × 50 concurrent callers on one key', () => {
  let server: RedisServer
  let children: Children
  let remove = () => {}
  beforeAll(async () => {
    const child = await buildChild()
    remove = child.remove
    server = await startRedis()
    children = await Children.spawn(child.file, PROCESSES, 'single', [
      { host: server.host, port: server.port },
    ])
  })
  afterAll(async () => {
    await children?.close()
    await server?.stop()
    remove()
  })

  const hammer = async (config: Config, key: string) => {
    const reports = await children.run({ config, keys: [key], callers: CALLERS, durationMs: DURATION_MS })
    const h = historyOf(reports, 0)
    // The run really was contended: many more requests than admissions, from every process.
    expect(h.rejected.length).toBeGreaterThan(h.admitted.length)
    for (const r of reports) expect(r.now[0]!.length).toBeGreaterThan(0)
    expectReplayMatches(config, h)
    return h
  }

  test('sliding-window-log of N per window admits exactly N per window', async () => {
    const config: Config = { algorithm: 'sliding-window-log', limit: 40, windowMs: W }
    const h = await hammer(config, 'swl')
    expectSlidingLogExact(h, 40, W)
    // The first window after the first admission holds exactly N (all of them admitted under contention).
    const first = h.admitted[0]!
    expect(h.rejected.some((r) => r < first + W)).toBe(true)
  })

  test('fixed-window admits exactly N per aligned window', async () => {
    const config: Config = { algorithm: 'fixed-window', limit: 40, windowMs: W }
    expectFixedWindowExact(await hammer(config, 'fw'), 40, W)
  })

  test('token-bucket and gcra stay within burst + rate × elapsed', async () => {
    for (const algorithm of ['token-bucket', 'gcra'] as const) {
      const config: Config = { algorithm, limit: 40, windowMs: W, burst: 10 }
      expectBucketBound(await hammer(config, algorithm), 10, 40, W)
    }
  })

  test('sliding-window-counter and leaky-bucket match the reference too', async () => {
    const swc = await hammer({ algorithm: 'sliding-window-counter', limit: 40, windowMs: W }, 'swc')
    expectFixedWindowExact({ ...swc, rejected: [] }, 40, W) // at most N per aligned window
    const lb = await hammer({ algorithm: 'leaky-bucket', limit: 40, windowMs: W, maxQueue: 10 }, 'lb')
    expectBucketBound(lb, 11, 40, W)
  })
})
