// What does one check cost Redis? The CPU time the server spends in each algorithm's script, as INFO
// commandstats reports it (usec_per_call of evalsha: the script and the commands it calls, not the
// network nor the client). Unlike checks/s, this figure hardly moves with the load of the machine, so
// it can be compared across script versions on a shared VM; it is the part of a check's round trip
// that a script can change (one EVALSHA of `return 1` is the floor of any script; `TIME + GET + SETRANGE`,
// the least an exact check does with no decision around it, is the floor of a limiter's script).
//
// Starts its own redis-server on 127.0.0.1 (a free port, no persistence) and stops it at the end.
// Workloads, through the built package (run `node scripts/build.mjs rate-limiter` first) and ioredis:
//   hot       one busy key (100,000 per minute: every check admitted, and the state persists, so this is
//             the usual check: read, decide, update in place; the leaky bucket queues, maxQueue 100,000)
//   many      1,000 keys round robin with a limit far above the load, as in the rate-limiter-redis
//             suite (the buckets' keys are then fresh again at every visit: a key created per check)
//   rejected  one key over its limit (block cache off, so every check reaches Redis)
//   peek      peek() of the busy key (reads, writes nothing)
// Each workload runs CHECKS checks, 32 in flight, after a warm-up; rounds are interleaved and the
// median of usec_per_call is printed (µs of Redis CPU per check).
//
// Usage: node bench/experiments/redis-script-cost.mjs [rounds=5] [checks=20000]
import { ALGORITHMS, RateLimiter } from '@hotpath/rate-limiter'
import { RedisStore } from '@hotpath/rate-limiter/redis'
import { startRedis } from '../lib/redis-server.mjs'

const ROUNDS = Number(process.argv[2] ?? 5)
const CHECKS = Number(process.argv[3] ?? 20_000)
const IN_FLIGHT = 32
const BIG = 1_000_000_000
const BUSY = 100_000
const KEYS = Array.from({ length: 1000 }, (_, i) => `user:${i}`)

const { redis, stop } = await startRedis()

async function usecPerCall() {
  const info = await redis.info('commandstats')
  const m = /cmdstat_evalsha:calls=(\d+),usec=(\d+),usec_per_call=([\d.]+)/.exec(info)
  if (!m) throw new Error(`no evalsha in commandstats:\n${info}`)
  return { calls: Number(m[1]), usPerCall: Number(m[2]) / Number(m[1]) }
}

// Runs `check(i)` for i < n with IN_FLIGHT in flight.
async function drive(n, check) {
  let next = 0
  const worker = async () => {
    while (next < n) await check(next++)
  }
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker))
}

// A workload: prepare() (untimed: state, warm-up), then CHECKS checks between RESETSTAT and INFO.
async function measure({ prepare, check }) {
  await redis.flushall()
  await prepare()
  await redis.config('RESETSTAT')
  await drive(CHECKS, check)
  const { calls, usPerCall } = await usecPerCall()
  if (calls !== CHECKS) throw new Error(`expected ${CHECKS} evalsha calls, saw ${calls}`)
  return usPerCall
}

const store = new RedisStore({ client: redis, blockCacheSize: 0 })
const limiterOf = (algorithm, limit, extra = {}) =>
  new RateLimiter({ algorithm, limit, windowMs: 60_000, store, ...extra })

const TRIVIAL = 'return 1'
const trivialSha = await redis.script('LOAD', TRIVIAL)
// The floor of an exact check: Redis's time in ms, the key's state read, 8 bytes of it rewritten in place.
const FLOOR = `local t = redis.call('TIME')
local now = t[1] * 1000 + (t[2] - t[2] % 1000) / 1000
local v = redis.call('GET', KEYS[1])
local used = 0
if v then used = struct.unpack('<d', v) end
redis.call('SETRANGE', KEYS[1], '0', struct.pack('<d', used + 1))
return now % 2`
const floorSha = await redis.script('LOAD', FLOOR)
const workloads = [
  {
    name: 'return 1',
    runs: {
      hot: { prepare: async () => {}, check: () => redis.evalsha(trivialSha, 1, 'k') },
    },
  },
  {
    name: 'TIME + GET + SETRANGE',
    runs: {
      hot: { prepare: async () => {}, check: () => redis.evalsha(floorSha, 1, 'floor') },
    },
  },
]
for (const algorithm of ALGORITHMS) {
  // The busy leaky bucket queues (each check waits for the ones before it: delayMs > 0).
  const busy = limiterOf(algorithm, BUSY, algorithm === 'leaky-bucket' ? { maxQueue: BUSY } : {})
  const open = limiterOf(algorithm, BIG)
  const closed = limiterOf(algorithm, 1)
  workloads.push({
    name: algorithm,
    runs: {
      hot: { prepare: () => busy.limit('hot'), check: () => busy.limit('hot') },
      many: {
        prepare: () => Promise.all(KEYS.map((k) => open.limit(k))),
        check: (i) => open.limit(KEYS[i % KEYS.length]),
      },
      rejected: {
        prepare: async () => {
          // (a leaky bucket's queue admits a few more than the limit)
          for (let i = 0; (await closed.limit('hot')).allowed; i++)
            if (i > 100) throw new Error(`${algorithm}: not rejected`)
        },
        check: () => closed.limit('hot'),
      },
      peek: { prepare: () => busy.limit('hot'), check: () => busy.peek('hot') },
    },
  })
}

const samples = new Map()
for (let round = 0; round < ROUNDS; round++) {
  for (const { name, runs } of workloads) {
    for (const [run, workload] of Object.entries(runs)) {
      const key = `${name}\t${run}`
      if (!samples.has(key)) samples.set(key, [])
      samples.get(key).push(await measure(workload))
    }
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const h = s.length >> 1
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2
}
const columns = ['hot', 'many', 'rejected', 'peek']
console.log(
  `µs of Redis CPU per check (median of ${ROUNDS} rounds of ${CHECKS} checks; redis-server ${(await redis.info('server')).match(/redis_version:(\S+)/)[1]})`,
)
console.log(['script', ...columns].map((c) => c.padEnd(24)).join(''))
for (const { name } of workloads) {
  const cells = columns.map((c) => {
    const xs = samples.get(`${name}\t${c}`)
    return xs ? median(xs).toFixed(2) : ''
  })
  console.log([name, ...cells].map((c) => c.padEnd(24)).join(''))
}
await stop()
