import { afterAll, beforeAll, expect, it } from 'vitest'
import {
  describeRedis,
  type RedisCluster,
  type RedisServer,
  redisCommand,
  startRedis,
  startRedisCluster,
} from '../src/redis.js'

describeRedis('startRedis', () => {
  let redis: RedisServer
  beforeAll(async () => {
    redis = await startRedis()
  })
  afterAll(() => redis.stop())

  it('answers on 127.0.0.1 with persistence off', async () => {
    expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`)
    expect(await redisCommand(redis.port, ['PING'])).toBe('PONG')
    expect(await redisCommand(redis.port, ['SET', 'k', 'v'])).toBe('OK')
    expect(await redisCommand(redis.port, ['GET', 'k'])).toBe('v')
    const info = await redisCommand(redis.port, ['INFO', 'persistence'])
    expect(info).toContain('aof_enabled:0')
  })

  it('pause stops answers, resume brings them back', async () => {
    redis.pause()
    await expect(redisCommand(redis.port, ['PING'], 300)).rejects.toThrow(/did not answer/)
    redis.resume()
    expect(await redisCommand(redis.port, ['PING'])).toBe('PONG')
  })

  it('restart comes back on the same port, empty, in a new process', async () => {
    await redisCommand(redis.port, ['SET', 'gone', '1'])
    const pid = redis.pid
    await redis.restart()
    expect(redis.pid).not.toBe(pid)
    expect(await redisCommand(redis.port, ['GET', 'gone'])).toBeNull()
  })

  it('kill leaves the port dead until restart', async () => {
    await redis.kill()
    await expect(redisCommand(redis.port, ['PING'], 300)).rejects.toThrow()
    await redis.restart()
    expect(await redisCommand(redis.port, ['PING'])).toBe('PONG')
  })
})

describeRedis('startRedis: two servers', () => {
  it('get distinct ports and stop cleanly', async () => {
    const [a, b] = await Promise.all([startRedis(), startRedis()])
    try {
      expect(a.port).not.toBe(b.port)
      await redisCommand(a.port, ['SET', 'x', 'a'])
      expect(await redisCommand(b.port, ['GET', 'x'])).toBeNull()
    } finally {
      await Promise.all([a.stop(), b.stop()])
    }
    await expect(redisCommand(a.port, ['PING'], 300)).rejects.toThrow()
  })
})

describeRedis('startRedisCluster', () => {
  let cluster: RedisCluster
  beforeAll(async () => {
    cluster = await startRedisCluster({ masters: 3 })
  })
  afterAll(() => cluster.stop())

  it('joins three masters that cover all 16384 slots', async () => {
    expect(cluster.nodes).toHaveLength(3)
    for (const node of cluster.nodes) {
      const info = await redisCommand(node.port, ['CLUSTER', 'INFO'])
      expect(info).toContain('cluster_state:ok')
      expect(info).toContain('cluster_slots_assigned:16384')
      expect(info).toContain('cluster_known_nodes:3')
    }
  })

  it('redirects a key to the node that owns its slot', async () => {
    const replies = await Promise.all(
      cluster.nodes.map((n) => redisCommand(n.port, ['SET', '{user:1}:a', '1'])),
    )
    expect(replies.filter((r) => r === 'OK')).toHaveLength(1)
    expect(replies.filter((r) => r instanceof Error && r.message.startsWith('MOVED'))).toHaveLength(2)
  })

  it('rejects fewer than three masters', async () => {
    await expect(startRedisCluster({ masters: 2 })).rejects.toThrow(/`masters` must be an integer >= 3/)
  })
})
