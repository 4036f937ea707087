// The two Redis clients people use, driven through their raw-command methods so this entry needs
// neither as a dependency: ioredis `call(name, ...args)` (Redis and Cluster), node-redis (v4+)
// `sendCommand([...])`, and node-redis's cluster `sendCommand(firstKey, isReadonly, [...])`.

/**
 * The part of an ioredis client (`Redis` or `Cluster`) this package uses.
 *
 * @example
 * ```ts
 * import Redis from 'ioredis'
 * import { leaseWorkerId } from '@hotpath/snowflake-id/redis'
 *
 * const lease = await leaseWorkerId(new Redis(), { namespace: 'orders', maxWorkerId: 1023, ttlMs: 30_000 })
 * ```
 */
export interface IoRedisLike {
  /** Sends a raw command: `call('SET', key, value, ...)`. */
  call(command: string, ...args: (string | number)[]): Promise<unknown>
}

/**
 * The part of a node-redis (v4 and later) client this package uses.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis'
 * import { leaseWorkerId } from '@hotpath/snowflake-id/redis'
 *
 * const client = await createClient({ url: 'redis://127.0.0.1:6379' }).connect()
 * const lease = await leaseWorkerId(client, { namespace: 'orders', maxWorkerId: 1023, ttlMs: 30_000 })
 * ```
 */
export interface NodeRedisLike {
  /** Sends a raw command: `sendCommand(['SET', key, value, ...])`. */
  sendCommand(args: string[]): Promise<unknown>
}

/**
 * The part of a node-redis (v4 and later) cluster client this package uses: its `sendCommand` takes
 * the key that routes the command first.
 *
 * @example
 * ```ts
 * import { createCluster } from 'redis'
 * import { leaseWorkerId } from '@hotpath/snowflake-id/redis'
 *
 * const cluster = await createCluster({ rootNodes: [{ url: 'redis://10.0.0.1:6379' }] }).connect()
 * const lease = await leaseWorkerId(cluster, { namespace: 'orders', maxWorkerId: 1023, ttlMs: 30_000 })
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

/** Sends one command (routed by `key` on a cluster) and resolves with its reply. */
export type Send = (args: readonly (string | number)[], key: string) => Promise<unknown>

/** Recognises the client by shape; ioredis first, because it also has a (different) sendCommand. */
export function commandSender(client: unknown): Send {
  const c = client as Partial<IoRedisLike & NodeRedisLike & NodeRedisClusterLike> | null
  if (typeof c === 'object' && c !== null) {
    if (typeof c.call === 'function') {
      const call = c.call.bind(c)
      return (args) => call(String(args[0]), ...args.slice(1))
    }
    if (typeof c.sendCommand === 'function' && typeof c.getSlotMaster === 'function') {
      const send = (c as NodeRedisClusterLike).sendCommand.bind(c)
      return (args, key) => send(key, false, args.map(String))
    }
    if (typeof c.sendCommand === 'function') {
      const send = (c as NodeRedisLike).sendCommand.bind(c)
      return (args) => send(args.map(String))
    }
  }
  throw new TypeError(
    '`client` must be an ioredis client (with `call`) or a node-redis v4+ client or cluster (with `sendCommand`), got ' +
      (c === null ? 'null' : typeof c),
  )
}

/** A Lua script run with EVALSHA, falling back to EVAL when the server does not know it yet. */
export interface Script {
  readonly source: string
  readonly sha1: string
}

/** EVALSHA, then EVAL on NOSCRIPT (after a restart or SCRIPT FLUSH), which also caches it again. */
export async function runScript(
  send: Send,
  script: Script,
  keys: readonly string[],
  args: readonly (string | number)[],
): Promise<unknown> {
  const route = keys[0] ?? ''
  try {
    return await send(['EVALSHA', script.sha1, keys.length, ...keys, ...args], route)
  } catch (err) {
    if (!String((err as { message?: unknown } | null)?.message).startsWith('NOSCRIPT')) throw err
    return send(['EVAL', script.source, keys.length, ...keys, ...args], route)
  }
}
