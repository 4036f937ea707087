// The two Redis clients people use, driven through their raw-command methods so this entry needs
// neither as a dependency: ioredis `call(name, ...args)` (Redis and Cluster, plus `pipeline()` on a
// single node), node-redis (v4+) `sendCommand([...])`, and node-redis's cluster
// `sendCommand(firstKey, isReadonly, [...])`.

/**
 * The part of an ioredis client (`Redis` or `Cluster`) the Redis store uses.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis'
 * import { RateLimiter } from '@hotpath/rate-limiter'
 * import { RedisStore } from '@hotpath/rate-limiter/redis'
 *
 * const store = new RedisStore({ client: new Redis('redis://127.0.0.1:6379') })
 * const limiter = new RateLimiter({ algorithm: 'gcra', limit: 100, windowMs: 60_000, store })
 * ```
 */
export interface IoRedisLike {
  /** Sends a raw command: `call('EVALSHA', sha1, 1, key, ...)`. */
  call(command: string, ...args: string[]): Promise<unknown>
}

/**
 * The part of a node-redis (v4 and later) client the Redis store uses.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis'
 * import { RateLimiter } from '@hotpath/rate-limiter'
 * import { RedisStore } from '@hotpath/rate-limiter/redis'
 *
 * const client = await createClient({ url: 'redis://127.0.0.1:6379' }).connect()
 * const limiter = new RateLimiter({ algorithm: 'gcra', limit: 100, windowMs: 60_000, store: new RedisStore({ client }) })
 * ```
 */
export interface NodeRedisLike {
  /** Sends a raw command: `sendCommand(['EVALSHA', sha1, '1', key, ...])`. */
  sendCommand(args: string[]): Promise<unknown>
}

/**
 * The part of a node-redis (v4 and later) cluster client the Redis store uses: its `sendCommand` takes
 * the key that routes the command first.
 *
 * @example
 * ```ts
 * import { createCluster } from 'redis'
 * import { RedisStore } from '@hotpath/rate-limiter/redis'
 *
 * const cluster = await createCluster({ rootNodes: [{ url: 'redis://10.0.0.1:6379' }] }).connect()
 * const store = new RedisStore({ client: cluster })
 * ```
 */
export interface NodeRedisClusterLike {
  /** Sends a raw command to the node owning `firstKey`'s slot. */
  sendCommand(firstKey: string | undefined, isReadonly: boolean | undefined, args: string[]): Promise<unknown>
  /** Present on cluster clients only; used to tell them from single-node clients. */
  getSlotMaster(slot: number): unknown
}

/** A connected ioredis (`Redis` or `Cluster`) or node-redis (client or cluster) client. */
export type RedisClientLike = IoRedisLike | NodeRedisLike | NodeRedisClusterLike

/** One command, name first, every argument already a string (what node-redis wants; ioredis too). */
export type Command = readonly string[]

/** What one command of a batch came back with: its reply, or the error it failed with. */
export type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown }

/** Sends commands the way the client does best. */
export interface Sender {
  /** One command, routed by `key` on a cluster. */
  one(args: Command, key: string): Promise<unknown>
  /**
   * Several commands in one round trip: one write of an explicit pipeline on ioredis, commands issued
   * in the same tick on node-redis (which corks the socket and writes them together). On a cluster, one
   * batch per node, all in flight at once. Never rejects: each command gets its own outcome.
   */
  many(batch: readonly Command[], keys: readonly string[]): Promise<Outcome[]>
}

interface IoPipeline {
  call(command: string, ...args: string[]): unknown
  exec(): Promise<[Error | null, unknown][] | null>
}

const settle = (p: Promise<unknown>): Promise<Outcome> =>
  p.then(
    (value): Outcome => ({ ok: true, value }),
    (error: unknown): Outcome => ({ ok: false, error }),
  )

/** Recognises the client by shape; ioredis first, because it also has a (different) sendCommand. */
export function senderFor(client: unknown): Sender {
  const c = client as Partial<
    IoRedisLike & NodeRedisLike & NodeRedisClusterLike & { pipeline(): IoPipeline; isCluster: boolean }
  > | null
  if (typeof c === 'object' && c !== null) {
    if (typeof c.call === 'function') {
      const call = c.call as (...args: Command) => Promise<unknown>
      // apply() spreads the prepared array without copying it (no slice, no rest array).
      const one = (args: Command): Promise<unknown> => call.apply(c, args as string[])
      // ioredis refuses a Cluster pipeline whose keys live on different nodes: there, commands go out
      // one by one (still all in flight together).
      if (typeof c.pipeline === 'function' && c.isCluster !== true) {
        const pipeline = c.pipeline.bind(c)
        return {
          one,
          async many(batch) {
            const p = pipeline()
            const add = p.call as (...args: Command) => unknown
            for (const args of batch) add.apply(p, args as string[])
            let replies: [Error | null, unknown][] | null
            try {
              replies = await p.exec()
            } catch (error) {
              return batch.map(() => ({ ok: false, error }))
            }
            return batch.map((_, i): Outcome => {
              const [error, value] = replies?.[i] ?? [new Error('no reply'), undefined]
              return error ? { ok: false, error } : { ok: true, value }
            })
          },
        }
      }
      return { one, many: (batch) => Promise.all(batch.map((args) => settle(one(args)))) }
    }
    if (typeof c.sendCommand === 'function' && typeof c.getSlotMaster === 'function') {
      const send = (c as NodeRedisClusterLike).sendCommand.bind(c)
      const one = (args: Command, key: string): Promise<unknown> => send(key, false, args as string[])
      return { one, many: (batch, keys) => Promise.all(batch.map((args, i) => settle(one(args, keys[i]!)))) }
    }
    if (typeof c.sendCommand === 'function') {
      const send = (c as NodeRedisLike).sendCommand.bind(c)
      const one = (args: Command): Promise<unknown> => send(args as string[])
      return { one, many: (batch) => Promise.all(batch.map((args) => settle(one(args)))) }
    }
  }
  throw new TypeError(
    '`client` must be an ioredis client (with `call`) or a node-redis v4+ client or cluster (with `sendCommand`), got ' +
      (c === null ? 'null' : Array.isArray(c) ? 'an array' : typeof c),
  )
}

/** A Lua script run with EVALSHA, falling back to EVAL when the server does not know it yet. */
export interface Script {
  readonly source: string
  readonly sha1: string
}

/** Whether a command failed because the server does not have the script (restart, failover, flush). */
export function isNoScript(error: unknown): boolean {
  const message = (error as { message?: unknown } | null)?.message
  return typeof message === 'string' && message.startsWith('NOSCRIPT')
}
