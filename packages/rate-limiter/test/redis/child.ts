// One process of the multi-process exactness test (bundled by esbuild, run with fork()). It connects
// one real client (argv: kind, 'single' | 'cluster', the nodes as JSON), then on each 'run' message
// starts `callers` concurrent loops checking the keys through a RedisStore until the deadline, and
// sends back every decision with the Redis time it was made at (seen through the store's reply
// witness), so the parent can replay them against the memory store.
import { Cluster, Redis } from 'ioredis'
import { createClient, createCluster } from 'redis'
import { type AlgorithmName, RateLimiter } from '../../src/index.js'
import { type RedisClientLike, RedisStore } from '../../src/redis/index.js'
import { observeReplies } from '../../src/redis/redis-store.js'

export interface RunMessage {
  type: 'run'
  config: { algorithm: AlgorithmName; limit: number; windowMs: number; burst?: number; maxQueue?: number }
  keys: string[]
  callers: number
  durationMs: number
}

export interface DoneMessage {
  type: 'done'
  // Per key (same order as `keys`): the Redis time (ms) and the decision (1 admitted, 0 rejected).
  now: number[][]
  allowed: number[][]
  fallbacks: number
  errors: string[]
}

const [kind, mode, nodesJson] = process.argv.slice(2)
const nodes = JSON.parse(nodesJson!) as { host: string; port: number }[]

async function open(): Promise<{ client: RedisClientLike; close: () => void }> {
  const first = nodes[0]!
  if (kind === 'ioredis') {
    const client = mode === 'cluster' ? new Cluster(nodes) : new Redis({ host: first.host, port: first.port })
    client.on('error', () => undefined)
    await client.ping()
    return { client, close: () => client.disconnect() }
  }
  if (mode === 'cluster') {
    const client = createCluster({ rootNodes: nodes.map((n) => ({ url: `redis://${n.host}:${n.port}` })) })
    client.on('error', () => undefined)
    await client.connect()
    return { client, close: () => client.destroy() }
  }
  const client = createClient({ url: `redis://${first.host}:${first.port}` })
  client.on('error', () => undefined)
  await client.connect()
  return { client, close: () => client.destroy() }
}

const { client, close } = await open()

async function run(m: RunMessage): Promise<DoneMessage> {
  const errors: string[] = []
  let fallbacks = 0
  const now = m.keys.map(() => [] as number[])
  const allowed = m.keys.map(() => [] as number[])
  // One store per key, so each store's reply witness knows whose decision it sees. The block cache is
  // off so that every decision is Redis's (and witnessed); the timeout is long so that none is
  // answered by the policy while Redis, swamped by hundreds of callers, still counts it.
  const limiters = m.keys.map((_, k) => {
    const store = new RedisStore({ client, blockCacheSize: 0, timeoutMs: 30_000, onError: 'deny' })
    observeReplies(store, (reply) => {
      now[k]!.push(reply[5]!)
      allowed[k]!.push(reply[0]!)
    })
    return new RateLimiter({ ...m.config, store })
  })
  const end = performance.now() + m.durationMs
  await Promise.all(
    Array.from({ length: m.callers }, async (_, caller) => {
      const k = caller % m.keys.length
      const limiter = limiters[k]!
      const key = m.keys[k]!
      while (performance.now() < end) {
        try {
          if ((await limiter.limit(key)).source !== 'redis') fallbacks++
        } catch (error) {
          errors.push(String(error))
        }
      }
    }),
  )
  return { type: 'done', now, allowed, fallbacks, errors }
}

process.on('message', (m: RunMessage | { type: 'exit' }) => {
  if (m.type === 'exit') {
    close()
    process.exit(0)
  }
  void run(m).then((done) => process.send!(done))
})
process.send!({ type: 'ready' })
