// Real clients for the Redis tests: ioredis and node-redis, single node or cluster, plus the raw
// commands the tests use to look at what the store wrote (GET, PTTL, INFO, ...).
import type { RedisCluster, RedisServer } from '@hotpath/test-utils/redis'
import { Cluster, Redis } from 'ioredis'
import { createClient, createCluster } from 'redis'
import type { RedisClientLike } from '../../src/redis/index.js'

export type Kind = 'ioredis' | 'node-redis'
export const KINDS: readonly Kind[] = ['ioredis', 'node-redis']

export interface Connected {
  readonly kind: Kind
  // Typed as what RedisStore accepts: assigning the real clients checks that they fit.
  readonly client: RedisClientLike
  /** A raw command through the same client (routed by `key` on a cluster). */
  raw(args: string[], key?: string): Promise<unknown>
  close(): Promise<void>
}

export async function connect(kind: Kind, server: RedisServer): Promise<Connected> {
  if (kind === 'ioredis') {
    // maxRetriesPerRequest: null: while Redis is down, commands wait for the reconnection (the store's
    // timeout decides) instead of failing after 20 attempts.
    const client = new Redis({ host: server.host, port: server.port, maxRetriesPerRequest: null })
    client.on('error', () => undefined)
    await client.ping()
    return {
      kind,
      client,
      raw: (args) => client.call(args[0]!, ...args.slice(1)),
      close: async () => {
        client.disconnect()
      },
    }
  }
  const client = createClient({
    url: server.url,
    socket: { reconnectStrategy: (retries) => Math.min(20 * (retries + 1), 200) },
  })
  client.on('error', () => undefined)
  await client.connect()
  return {
    kind,
    client,
    raw: (args) => client.sendCommand(args),
    close: async () => {
      client.destroy()
    },
  }
}

export async function connectCluster(kind: Kind, cluster: RedisCluster): Promise<Connected> {
  if (kind === 'ioredis') {
    const client = new Cluster(cluster.nodes.map((n) => ({ host: n.host, port: n.port })))
    client.on('error', () => undefined)
    await client.ping()
    return {
      kind,
      client,
      raw: (args) => client.call(args[0]!, ...args.slice(1)),
      close: async () => {
        client.disconnect()
      },
    }
  }
  const client = createCluster({
    rootNodes: cluster.nodes.map((n) => ({ url: `redis://${n.host}:${n.port}` })),
  })
  client.on('error', () => undefined)
  await client.connect()
  return {
    kind,
    client,
    raw: (args, key) => client.sendCommand(key, false, args),
    close: async () => {
      client.destroy()
    },
  }
}

/** `INFO <section>` as a map of `field → value`. */
export function parseInfo(text: unknown): Map<string, string> {
  const out = new Map<string, string>()
  for (const line of String(text).split('\r\n')) {
    const i = line.indexOf(':')
    if (i > 0 && !line.startsWith('#')) out.set(line.slice(0, i), line.slice(i + 1))
  }
  return out
}

/** Calls of a command from INFO commandstats (`cmdstat_evalsha:calls=12,...`), 0 when never called. */
export function calls(info: Map<string, string>, command: string): number {
  const m = /(?:^|,)calls=(\d+)/.exec(info.get(`cmdstat_${command}`) ?? '')
  return m ? Number(m[1]) : 0
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

export async function until(what: string, ms: number, ok: () => boolean | Promise<boolean>): Promise<void> {
  const end = Date.now() + ms
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`)
    await sleep(5)
  }
}
