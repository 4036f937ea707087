import { createHash } from 'node:crypto'
import {
  describeRedis,
  type RedisCluster,
  type RedisServer,
  startRedis,
  startRedisCluster,
} from '@hotpath/test-utils/redis'
import { Cluster, Redis } from 'ioredis'
import { createClient, createCluster } from 'redis'
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest'
import { Snowflake, type SnowflakeError } from '../src/index.js'
import {
  LeaseError,
  leaseKey,
  leaseWorkerId,
  type RedisClientLike,
  type WorkerLease,
} from '../src/redis/index.js'
import { scripts } from '../src/redis/lease.js'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function until(what: string, ms: number, ok: () => boolean): Promise<void> {
  const end = Date.now() + ms
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await sleep(5)
  }
}

interface Client {
  readonly kind: 'ioredis' | 'node-redis'
  // Typed as what leaseWorkerId accepts: assigning the real clients checks that they fit.
  readonly client: RedisClientLike
  get(key: string): Promise<string | null>
  pttl(key: string): Promise<number>
  raw(...args: string[]): Promise<unknown>
  close(): Promise<void>
}

async function connect(kind: Client['kind'], redis: RedisServer): Promise<Client> {
  if (kind === 'ioredis') {
    const client = new Redis({ host: redis.host, port: redis.port, maxRetriesPerRequest: null })
    await client.ping()
    return {
      kind,
      client,
      get: (key) => client.get(key),
      pttl: (key) => client.pttl(key),
      raw: (...args) => client.call(args[0]!, ...args.slice(1)),
      close: async () => {
        client.disconnect()
      },
    }
  }
  const client = createClient({ url: redis.url })
  client.on('error', () => undefined)
  await client.connect()
  return {
    kind,
    client,
    get: (key) => client.get(key) as Promise<string | null>,
    pttl: (key) => client.pTTL(key) as Promise<number>,
    raw: (...args) => client.sendCommand(args),
    close: async () => {
      client.destroy()
    },
  }
}

test('the Lua scripts are sent by their real SHA-1', () => {
  for (const s of [scripts.renew, scripts.release]) {
    expect(createHash('sha1').update(s.source).digest('hex')).toBe(s.sha1)
  }
})

test('bad arguments name the option', async () => {
  const fake = { call: async () => null }
  const cases: [unknown, unknown, ErrorConstructor, string][] = [
    [{}, { namespace: 'a', maxWorkerId: 1, ttlMs: 1000 }, TypeError, '`client` must be an ioredis client'],
    [null, { namespace: 'a', maxWorkerId: 1, ttlMs: 1000 }, TypeError, 'got null'],
    [
      fake,
      { namespace: '', maxWorkerId: 1, ttlMs: 1000 },
      TypeError,
      '`namespace` must be a non-empty string, got ""',
    ],
    [
      fake,
      { namespace: 'a', maxWorkerId: -1, ttlMs: 1000 },
      RangeError,
      '`maxWorkerId` must be an integer from 0 to 1048575, got -1',
    ],
    [
      fake,
      { namespace: 'a', maxWorkerId: '3', ttlMs: 1000 },
      TypeError,
      '`maxWorkerId` must be an integer from 0 to 1048575, got "3"',
    ],
    [
      fake,
      { namespace: 'a', maxWorkerId: 3, minWorkerId: 4, ttlMs: 1000 },
      RangeError,
      '`minWorkerId` must be an integer from 0 to 3, got 4',
    ],
    [
      fake,
      { namespace: 'a', maxWorkerId: 3, ttlMs: 10 },
      RangeError,
      '`ttlMs` must be an integer from 50 to 2147483647, got 10',
    ],
    [
      fake,
      { namespace: 'a', maxWorkerId: 3, ttlMs: 1000, renewEveryMs: 900 },
      RangeError,
      '`renewEveryMs` must be an integer from 1 to 799, got 900',
    ],
    [
      fake,
      { namespace: 'a', maxWorkerId: 3, ttlMs: 1000, safetyMarginMs: 1000 },
      RangeError,
      '`safetyMarginMs` must be an integer from 0 to 998, got 1000',
    ],
    [
      fake,
      { namespace: 'a', maxWorkerId: 3, ttlMs: 1000, onLost: 'log' },
      TypeError,
      '`onLost` must be a function, got "log"',
    ],
  ]
  for (const [client, options, E, message] of cases) {
    const attempt = leaseWorkerId(client as RedisClientLike, options as never)
    await expect(attempt).rejects.toThrow(E)
    await expect(leaseWorkerId(client as RedisClientLike, options as never)).rejects.toThrow(message)
  }
})

describeRedis('leaseWorkerId against a real redis-server', () => {
  let redis: RedisServer
  const open: Client[] = []
  const leases: WorkerLease[] = []
  const track = (l: WorkerLease) => {
    leases.push(l)
    return l
  }
  let ns = 0
  const namespace = () => `test-${++ns}`

  beforeAll(async () => {
    redis = await startRedis()
  })
  afterEach(async () => {
    redis.resume()
    await Promise.allSettled(leases.splice(0).map((l) => l.release()))
    await Promise.all(open.splice(0).map((c) => c.close()))
  })
  afterAll(() => redis?.stop())

  const make = async (kind: Client['kind']) => {
    const c = await connect(kind, redis)
    open.push(c)
    return c
  }

  for (const kind of ['ioredis', 'node-redis'] as const) {
    describe(kind, () => {
      test('claims a free ID with a TTL, feeds a generator, and release() gives it back', async () => {
        const c = await make(kind)
        const ns = namespace()
        const lease = track(await leaseWorkerId(c.client, { namespace: ns, maxWorkerId: 31, ttlMs: 5000 }))
        expect(lease.workerId).toBeGreaterThanOrEqual(0)
        expect(lease.workerId).toBeLessThanOrEqual(31)
        expect(lease.key).toBe(leaseKey(ns, lease.workerId))
        expect(lease.key).toBe(`snowflake-id:{${ns}}:${lease.workerId}`)
        expect(await c.get(lease.key)).toBe(lease.token)
        const pttl = await c.pttl(lease.key)
        expect(pttl).toBeGreaterThan(4000)
        expect(pttl).toBeLessThanOrEqual(5000)
        expect(lease.held).toBe(true)
        expect(lease.signal.aborted).toBe(false)

        const ids = new Snowflake({ workerId: lease.workerId, signal: lease.signal })
        expect(ids.decode(ids.next()).workerId).toBe(lease.workerId)

        expect(await lease.release()).toBe(true)
        expect(await c.get(lease.key)).toBeNull()
        expect(lease.held).toBe(false)
        expect(lease.signal.aborted).toBe(true)
        expect((lease.signal.reason as LeaseError).code).toBe('ERR_LEASE_RELEASED')
        expect(() => ids.next()).toThrow(expect.objectContaining({ code: 'ERR_GENERATOR_STOPPED' }))
        expect(await lease.release()).toBe(false)
        expect(await lease.renew()).toBe(false)
      })

      test('renews in the background while held', async () => {
        const c = await make(kind)
        const lease = track(
          await leaseWorkerId(c.client, {
            namespace: namespace(),
            maxWorkerId: 3,
            ttlMs: 1000,
            renewEveryMs: 100,
          }),
        )
        // Two and a half TTLs later the key is still there only because renewals kept extending it.
        await sleep(2500)
        expect(lease.held).toBe(true)
        expect(await c.get(lease.key)).toBe(lease.token)
        expect(await c.pttl(lease.key)).toBeGreaterThan(300)
      })

      test('a renewal that finds the key taken over reports the loss and stops the generator', async () => {
        const c = await make(kind)
        const ns = namespace()
        const lost = vi.fn()
        const lease = track(
          await leaseWorkerId(c.client, { namespace: ns, maxWorkerId: 0, ttlMs: 60_000, onLost: lost }),
        )
        const ids = new Snowflake({ workerId: lease.workerId, signal: lease.signal })
        ids.next()
        // Someone else's token in the key (as after an expiry and a new claim).
        await c.raw('SET', lease.key, 'intruder')
        expect(await lease.renew()).toBe(false)
        expect(lost).toHaveBeenCalledTimes(1)
        const error = lost.mock.calls[0]![0] as LeaseError
        expect(error).toBeInstanceOf(LeaseError)
        expect(error.code).toBe('ERR_LEASE_LOST')
        expect(error.workerId).toBe(0)
        expect(lease.signal.reason).toBe(error)
        let code: string | undefined
        try {
          ids.next()
        } catch (err) {
          code = (err as SnowflakeError).code
        }
        expect(code).toBe('ERR_GENERATOR_STOPPED')
        // The intruder's key is left alone by release().
        expect(await lease.release()).toBe(false)
        expect(await c.get(lease.key)).toBe('intruder')
      })

      test('no free ID: ERR_LEASE_EXHAUSTED', async () => {
        const c = await make(kind)
        const ns = namespace()
        track(await leaseWorkerId(c.client, { namespace: ns, minWorkerId: 5, maxWorkerId: 6, ttlMs: 5000 }))
        track(await leaseWorkerId(c.client, { namespace: ns, minWorkerId: 5, maxWorkerId: 6, ttlMs: 5000 }))
        const third = leaseWorkerId(c.client, { namespace: ns, minWorkerId: 5, maxWorkerId: 6, ttlMs: 5000 })
        await expect(third).rejects.toThrow(LeaseError)
        await expect(
          leaseWorkerId(c.client, { namespace: ns, minWorkerId: 5, maxWorkerId: 6, ttlMs: 5000 }),
        ).rejects.toThrow(`every worker ID from 5 to 6 of namespace "${ns}" is leased`)
      })

      test('works after SCRIPT FLUSH (EVALSHA falls back to EVAL)', async () => {
        const c = await make(kind)
        const lease = track(
          await leaseWorkerId(c.client, { namespace: namespace(), maxWorkerId: 3, ttlMs: 5000 }),
        )
        await c.raw('SCRIPT', 'FLUSH')
        expect(await lease.renew()).toBe(true)
        await c.raw('SCRIPT', 'FLUSH')
        expect(await lease.release()).toBe(true)
      })
    })
  }

  test('many concurrent claimants on both clients: no two hold the same ID', async () => {
    const clients = await Promise.all(
      ['ioredis', 'node-redis', 'ioredis', 'node-redis'].map((k) => make(k as Client['kind'])),
    )
    const ns = namespace()
    const claimants = 80
    const results = await Promise.allSettled(
      Array.from({ length: claimants }, (_, i) =>
        leaseWorkerId(clients[i % clients.length]!.client, { namespace: ns, maxWorkerId: 63, ttlMs: 10_000 }),
      ),
    )
    const won = results.flatMap((r) => (r.status === 'fulfilled' ? [track(r.value)] : []))
    const lost = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as LeaseError] : []))
    expect(won).toHaveLength(64)
    expect(new Set(won.map((l) => l.workerId)).size).toBe(64)
    expect(lost).toHaveLength(16)
    expect(lost.every((e) => e instanceof LeaseError && e.code === 'ERR_LEASE_EXHAUSTED')).toBe(true)
    // Redis agrees: each key holds the token of exactly the lease that claimed it.
    for (const l of won) expect(await clients[0]!.get(l.key)).toBe(l.token)

    // Released IDs are claimable again, and only those.
    const freed = won.slice(0, 5)
    await Promise.all(freed.map((l) => l.release()))
    const again = await Promise.all(
      freed.map((_, i) =>
        leaseWorkerId(clients[i % 4]!.client, { namespace: ns, maxWorkerId: 63, ttlMs: 10_000 }).then(track),
      ),
    )
    expect(new Set(again.map((l) => l.workerId))).toEqual(new Set(freed.map((l) => l.workerId)))
  })

  test('Redis unreachable: the holder gives the ID up before Redis can hand it to someone else', async () => {
    const a = await make('ioredis')
    const b = await make('node-redis')
    const ns = namespace()
    const ttlMs = 600
    let lostAt = 0
    const lease = track(
      await leaseWorkerId(a.client, {
        namespace: ns,
        maxWorkerId: 0,
        ttlMs,
        renewEveryMs: 100,
        safetyMarginMs: 100,
        onLost: () => {
          lostAt = Date.now()
        },
      }),
    )
    const ids = new Snowflake({ workerId: 0, signal: lease.signal })
    expect(await lease.renew()).toBe(true)
    const renewedAt = performance.now()
    redis.pause()
    // `held` reads the deadline itself (no timer involved): ttl - margin after the last renewal was
    // sent, the lease is no longer held, well before Redis could expire the key.
    await sleep(ttlMs - 100 - (performance.now() - renewedAt) + 5)
    expect(lease.held).toBe(false)
    // The expiry timer then reports it and stops the generator (late only if the event loop is).
    await until('the lease to be reported lost', 5000, () => lostAt > 0)
    expect((lease.signal.reason as LeaseError).code).toBe('ERR_LEASE_EXPIRED')
    expect(ids.stopped).toBe(true)
    await sleep(ttlMs)
    redis.resume()
    // Only now, after the TTL, can another process claim ID 0.
    const next = track(await leaseWorkerId(b.client, { namespace: ns, maxWorkerId: 0, ttlMs: 5000 }))
    expect(next.workerId).toBe(0)
    expect(Date.now()).toBeGreaterThan(lostAt)
    expect(await b.get(next.key)).toBe(next.token)
  })

  test('Redis restarted (the key is gone): the next renewal reports ERR_LEASE_LOST', async () => {
    const c = await make('ioredis')
    const onLost = vi.fn()
    const lease = track(
      await leaseWorkerId(c.client, { namespace: namespace(), maxWorkerId: 9, ttlMs: 10_000, onLost }),
    )
    await redis.restart()
    // The client reconnects on its own; the renewal finds no key.
    expect(await lease.renew()).toBe(false)
    expect(onLost).toHaveBeenCalledTimes(1)
    expect(onLost.mock.calls[0]![0].code).toBe('ERR_LEASE_LOST')
  })

  test('a throwing onLost callback surfaces its error and the lease stays consistent', async () => {
    const c = await make('node-redis')
    const boom = new Error('callback bug')
    const lease = track(
      await leaseWorkerId(c.client, {
        namespace: namespace(),
        maxWorkerId: 0,
        ttlMs: 10_000,
        onLost: () => {
          throw boom
        },
      }),
    )
    const surfaced: unknown[] = []
    const spy = vi.spyOn(globalThis, 'queueMicrotask').mockImplementation((fn) => {
      try {
        fn()
      } catch (err) {
        surfaced.push(err)
      }
    })
    try {
      await c.raw('DEL', lease.key)
      expect(await lease.renew()).toBe(false)
    } finally {
      spy.mockRestore()
    }
    expect(surfaced).toEqual([boom])
    expect(lease.held).toBe(false)
    expect((lease.signal.reason as LeaseError).code).toBe('ERR_LEASE_LOST')
    expect(await lease.renew()).toBe(false)
  })
})

describeRedis('leaseWorkerId on a 3-master Redis Cluster', () => {
  let cluster: RedisCluster
  beforeAll(async () => {
    cluster = await startRedisCluster({ masters: 3 })
  })
  afterAll(() => cluster?.stop())

  test('ioredis Cluster and node-redis cluster clients claim distinct IDs, renew and release', async () => {
    const io = new Cluster(cluster.nodes.map((n) => ({ host: n.host, port: n.port })))
    const nr = createCluster({
      rootNodes: cluster.nodes.map((n) => ({ url: `redis://${n.host}:${n.port}` })),
    })
    nr.on('error', () => undefined)
    await nr.connect()
    try {
      const clients: RedisClientLike[] = [io, nr]
      const leases = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          leaseWorkerId(clients[i % 2]!, { namespace: 'cluster', maxWorkerId: 15, ttlMs: 10_000 }),
        ),
      )
      expect(new Set(leases.map((l) => l.workerId)).size).toBe(12)
      for (const l of leases) expect(await io.get(l.key)).toBe(l.token)
      expect(await Promise.all(leases.map((l) => l.renew()))).toEqual(Array(12).fill(true))
      expect(await Promise.all(leases.map((l) => l.release()))).toEqual(Array(12).fill(true))
      for (const l of leases) expect(await nr.get(l.key)).toBeNull()
    } finally {
      io.disconnect()
      nr.destroy()
    }
  })
})
