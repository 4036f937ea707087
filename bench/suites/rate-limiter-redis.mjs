// @hotpath/rate-limiter's RedisStore against rate-limiter-flexible's RateLimiterRedis, on one
// redis-server that this suite starts on 127.0.0.1 (a free port, no persistence) and stops at the end,
// through one shared ioredis client. Baseline: one EVALSHA of a trivial script (`return 1`, one key)
// on the same client and server, the floor of any one-round-trip Redis limiter.
//
// Checks per second with 1 caller (each check awaited before the next: latency-bound) and with 50
// concurrent callers (throughput-bound: the client pipelines what is in flight). Every algorithm of
// the package is measured; rate-limiter-flexible's RateLimiterRedis is a fixed window, so it is the
// peer of the fixed-window rows. 1,000 keys, a limit far above the load (every check admitted, every
// competitor on its admit path), plus one workload where a hot key is over its limit.
import { ALGORITHMS, RateLimiter } from '@hotpath/rate-limiter'
import { RedisStore } from '@hotpath/rate-limiter/redis'
import { RateLimiterRedis } from 'rate-limiter-flexible'
import { defineSuite } from '../lib/harness.mjs'
import { startRedis } from '../lib/redis-server.mjs'

const KEYS = Array.from({ length: 1000 }, (_, i) => `user:${i}`)
const BIG = 1_000_000_000 // per minute: nothing is rejected in the admit workloads
const SEQUENTIAL = 100 // checks per timed call with 1 caller
const CALLERS = 50
const PER_CALLER = 10 // checks per caller per timed call with 50 callers

// ---------------------------------------------------------------- the server and the client

const { redis, stop: shutdown } = await startRedis({ client: { maxRetriesPerRequest: 3 } })

const TRIVIAL = 'return 1'
const trivialSha = await redis.script('LOAD', TRIVIAL)

// ---------------------------------------------------------------- competitors

const store = new RedisStore({ client: redis })
const hotpath = (algorithm, limit = BIG, extra = {}) =>
  new RateLimiter({ algorithm, limit, windowMs: 60_000, store, ...extra })
const flexible = (points = BIG, extra = {}) =>
  new RateLimiterRedis({ storeClient: redis, points, duration: 60, keyPrefix: 'rlflx', ...extra })

// One caller: each check awaited before the next.
function sequential(check) {
  let at = 0
  return async () => {
    let n = 0
    for (let i = 0; i < SEQUENTIAL; i++) {
      const key = KEYS[at]
      at = at + 1 === KEYS.length ? 0 : at + 1
      n += await check(key)
    }
    return n
  }
}

// 50 callers, each awaiting its own checks one after the other, all in flight together.
function concurrent(check) {
  let at = 0
  const caller = async () => {
    let n = 0
    for (let i = 0; i < PER_CALLER; i++) {
      const key = KEYS[at]
      at = at + 1 === KEYS.length ? 0 : at + 1
      n += await check(key)
    }
    return n
  }
  return async () => {
    const running = new Array(CALLERS)
    for (let c = 0; c < CALLERS; c++) running[c] = caller()
    let n = 0
    for (const x of await Promise.all(running)) n += x
    return n
  }
}

const hotpathCheck = (limiter) => async (key) => ((await limiter.limit(key)).allowed ? 1 : 0)
const flexibleCheck = (limiter) => async (key) => {
  try {
    await limiter.consume(key)
    return 1
  } catch {
    return 0
  }
}
const baselineCheck = async (key) => ((await redis.evalsha(trivialSha, 1, key)) === 1 ? 1 : 0)

// A fresh key of a limit of 3 per minute admits exactly 3 of 5 checks.
let probe = 0
const checkHotpath = (algorithm) => async () => {
  const limiter = hotpath(algorithm, 3, algorithm === 'leaky-bucket' ? { maxQueue: 2 } : {})
  const key = `probe:${probe++}`
  const got = []
  for (let i = 0; i < 5; i++) got.push(await limiter.limit(key))
  const admitted = got.map((r) => r.allowed).join()
  if (admitted !== 'true,true,true,false,false') return `admitted ${admitted} of a limit of 3`
  if (got.some((r) => r.source === 'fallback')) return 'a check was answered by the fallback policy'
  return true
}
const checkFlexible = async () => {
  const limiter = flexible(3)
  const key = `probe:${probe++}`
  let admitted = 0
  for (let i = 0; i < 5; i++) admitted += await flexibleCheck(limiter)(key)
  return admitted === 3 || `admitted ${admitted} of 5 with 3 points`
}

function workload(algorithm, callers) {
  const run = callers === 1 ? sequential : concurrent
  const ops = callers === 1 ? SEQUENTIAL : CALLERS * PER_CALLER
  const competitors = [
    {
      name: '@hotpath/rate-limiter (RedisStore)',
      role: 'hotpath',
      package: '@hotpath/rate-limiter',
      setup: () => run(hotpathCheck(hotpath(algorithm))),
      check: checkHotpath(algorithm),
    },
  ]
  if (algorithm === 'fixed-window')
    competitors.push({
      name: 'rate-limiter-flexible (RateLimiterRedis)',
      role: 'peer',
      package: 'rate-limiter-flexible',
      setup: () => run(flexibleCheck(flexible())),
      check: checkFlexible,
    })
  competitors.push({ name: 'EVALSHA of a trivial script', role: 'baseline', setup: () => run(baselineCheck) })
  return {
    name: `${algorithm}: ${callers === 1 ? '1 caller' : `${callers} concurrent callers`}`,
    ops,
    competitors,
    ...(algorithm === 'fixed-window' && callers === 1
      ? {
          note: "rate-limiter-flexible's RateLimiterRedis is a fixed window (counted with INCRBY in a Lua script, also one EVALSHA per check), so it is the peer of these rows only; for the other algorithms the baseline is the reference.",
        }
      : {}),
  }
}

// A hot key over its limit: every check is a rejection. The block cache answers in-process once Redis
// has said the key is blocked; rate-limiter-flexible's inMemoryBlockOnConsumed is the same idea.
function overLimit() {
  const exhausted = async (limiter) => {
    for (let i = 0; i < 3; i++) await limiter.limit('hot')
    return limiter
  }
  const exhaustedFlexible = async (limiter) => {
    for (let i = 0; i < 3; i++) await flexibleCheck(limiter)('hot')
    return limiter
  }
  const hot = (check) => concurrent((key) => check('hot', key))
  const rejects = (limiter) => async () => {
    const r = await limiter.limit('hot')
    return r.allowed ? `admitted a check of a spent key (${r.source})` : true
  }
  return {
    name: 'fixed-window: one hot key over its limit, 50 concurrent callers (every check rejected)',
    ops: CALLERS * PER_CALLER,
    competitors: [
      {
        name: '@hotpath/rate-limiter (RedisStore)',
        role: 'hotpath',
        package: '@hotpath/rate-limiter',
        setup: async () => {
          const limiter = await exhausted(hotpath('fixed-window', 1, { windowMs: 3_600_000, name: 'hot' }))
          return hot(async (key) => ((await limiter.limit(key)).allowed ? 1 : 0))
        },
        check: async () => rejects(hotpath('fixed-window', 1, { windowMs: 3_600_000, name: 'hot' }))(),
      },
      {
        name: '@hotpath/rate-limiter (RedisStore, blockCacheSize: 0)',
        role: 'hotpath',
        package: '@hotpath/rate-limiter',
        setup: async () => {
          const s = new RedisStore({ client: redis, blockCacheSize: 0 })
          const limiter = await exhausted(
            new RateLimiter({
              algorithm: 'fixed-window',
              limit: 1,
              windowMs: 3_600_000,
              name: 'hot0',
              store: s,
            }),
          )
          return hot(async (key) => ((await limiter.limit(key)).allowed ? 1 : 0))
        },
      },
      {
        name: 'rate-limiter-flexible (RateLimiterRedis)',
        role: 'peer',
        package: 'rate-limiter-flexible',
        setup: async () => {
          const limiter = await exhaustedFlexible(flexible(1, { duration: 3600, keyPrefix: 'rlflx-hot' }))
          return hot(flexibleCheck(limiter))
        },
      },
      {
        name: 'rate-limiter-flexible (RateLimiterRedis, inMemoryBlockOnConsumed)',
        role: 'peer',
        package: 'rate-limiter-flexible',
        setup: async () => {
          const limiter = await exhaustedFlexible(
            flexible(1, {
              duration: 3600,
              keyPrefix: 'rlflx-hot-block',
              inMemoryBlockOnConsumed: 1,
              inMemoryBlockDuration: 3600,
            }),
          )
          return hot(flexibleCheck(limiter))
        },
      },
      { name: 'EVALSHA of a trivial script', role: 'baseline', setup: () => hot(baselineCheck) },
    ],
    note: 'Redis said the key is blocked until the window ends, so the block cache answers without a round trip (source: "cache"); with the cache off every rejection is one EVALSHA that writes nothing.',
  }
}

const workloads = []
for (const callers of [1, CALLERS])
  for (const algorithm of ALGORITHMS) workloads.push(workload(algorithm, callers))
workloads.push(overLimit())

// ---------------------------------------------------------------- memory per key

async function memoryTable(quick) {
  const n = quick ? 1000 : 10_000
  const rows = []
  const measure = async (label, fill, keyOf) => {
    await redis.flushall()
    const before = Number(/used_memory:(\d+)/.exec(await redis.info('memory'))[1])
    for (let i = 0; i < n; i += 500)
      await Promise.all(Array.from({ length: 500 }, (_, j) => fill(`m:${i + j}`)))
    const after = Number(/used_memory:(\d+)/.exec(await redis.info('memory'))[1])
    const usage = await redis.call('MEMORY', 'USAGE', keyOf('m:1'), 'SAMPLES', '0')
    rows.push([label, usage, Math.round((after - before) / n)])
  }
  for (const algorithm of ALGORITHMS) {
    const limiter = hotpath(algorithm, 100)
    await measure(
      `@hotpath ${algorithm} (1 request)`,
      (key) => limiter.limit(key),
      (key) => store.keyOf(limiter.policy, key),
    )
  }
  const log = hotpath('sliding-window-log', 100)
  for (const entries of [10, 100]) {
    await measure(
      `@hotpath sliding-window-log (${entries} requests, ${entries} distinct ms)`,
      async (key) => {
        for (let i = 0; i < entries; i++) {
          await log.limit(key)
          await new Promise((r) => setTimeout(r, entries === 100 ? 0 : 1))
        }
      },
      (key) => store.keyOf(log.policy, key),
    )
    if (quick) break
  }
  const rlf = flexible(100)
  await measure(
    'rate-limiter-flexible RateLimiterRedis',
    (key) => rlf.consume(key),
    (key) => `rlflx:${key}`,
  )
  return {
    title: 'Redis memory per tracked key',
    columns: ['state', 'MEMORY USAGE of one key (bytes)', 'used_memory per key (bytes)'],
    rows,
    note: `MEMORY USAGE counts the key, its value and its allocation overhead; used_memory per key is the server's growth over ${n.toLocaleString('en-US')} keys divided by their number, which also counts the main and expires dictionaries' entries (every key has a TTL). Keys are named after the policy (\`rl:default:gcra:100:60000:{user:42}\`): shorter policy names and prefixes save bytes per key. The sliding log stores one entry per millisecond with admissions (a burst in one millisecond is one entry), up to min(limit, windowMs) entries.`,
  }
}

export default defineSuite({
  name: 'rate-limiter-redis',
  workloads,
  tables: async ({ quick }) => {
    try {
      return [await memoryTable(quick)]
    } finally {
      await shutdown()
    }
  },
})
