import { show } from '../validate.js'
import { commandSender, type RedisClientLike, runScript, type Script, type Send } from './client.js'

/**
 * The stable codes of {@link LeaseError}:
 *
 * - `ERR_LEASE_EXHAUSTED`: every worker ID of the range is held by someone else.
 * - `ERR_LEASE_LOST`: a renewal found the key gone or owned by another token (Redis restarted, the key
 *   was deleted, or it expired and someone else claimed it).
 * - `ERR_LEASE_EXPIRED`: no renewal succeeded in time (Redis unreachable or slow), so the lease may
 *   have expired in Redis; the ID is given up before that can happen.
 * - `ERR_LEASE_RELEASED`: `release()` was called.
 */
export type LeaseErrorCode =
  | 'ERR_LEASE_EXHAUSTED'
  | 'ERR_LEASE_LOST'
  | 'ERR_LEASE_EXPIRED'
  | 'ERR_LEASE_RELEASED'

/**
 * The error of the worker-ID lease: thrown by `leaseWorkerId` when no ID is free, and passed to
 * `onLost` / used as the `signal`'s abort reason when a held lease ends.
 *
 * @example
 * ```ts
 * import { LeaseError, leaseWorkerId } from '@hotpath/snowflake-id/redis'
 *
 * try {
 *   await leaseWorkerId(redis, { namespace: 'orders', maxWorkerId: 31, ttlMs: 30_000 })
 * } catch (err) {
 *   if (err instanceof LeaseError && err.code === 'ERR_LEASE_EXHAUSTED') {
 *     // 32 workers are already running: scale the layout's worker field, or wait
 *   }
 *   throw err
 * }
 * ```
 */
export class LeaseError extends Error {
  /** Which failure this is; stable across versions. */
  readonly code: LeaseErrorCode
  /** The worker ID concerned, when one was held. */
  readonly workerId: number | undefined

  constructor(code: LeaseErrorCode, message: string, workerId?: number, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'LeaseError'
    this.code = code
    this.workerId = workerId
  }
}

/** Options of {@link leaseWorkerId}. */
export interface LeaseOptions {
  /** Separates fleets sharing one Redis; keys are `snowflake-id:{<namespace>}:<workerId>`. */
  namespace: string
  /** The largest worker ID to hand out (inclusive), e.g. 1023 for twitter's 10 bits of datacenter + worker. */
  maxWorkerId: number
  /** The smallest worker ID to hand out. Default 0. */
  minWorkerId?: number
  /** How long the lease lives in Redis without a renewal, in ms (at least 50). */
  ttlMs: number
  /** How often to renew, in ms. Default a third of `ttlMs`. */
  renewEveryMs?: number
  /**
   * How long before the lease could expire in Redis the holder gives it up when renewals keep
   * failing, in ms (covers timer lateness and clock-rate drift). Default `min(ttlMs / 5, 2000)`.
   */
  safetyMarginMs?: number
  /** Called once when a held lease is lost or expires (not on `release()`). */
  onLost?: (error: LeaseError) => void
  /** Called when a renewal fails but the lease is still within its time (the next one may succeed). */
  onRenewError?: (error: unknown) => void
}

/**
 * A worker ID held in Redis. Keep it for the life of the process; pass `signal` to the generator so
 * that losing the lease stops the generator instead of risking a duplicate.
 */
export interface WorkerLease {
  /** The claimed worker ID, in [minWorkerId, maxWorkerId]. */
  readonly workerId: number
  /** The Redis key holding the lease. */
  readonly key: string
  /** The random value stored in the key; only its holder may renew or release it. */
  readonly token: string
  /**
   * Aborted when the lease ends (lost, expired or released); the reason is the {@link LeaseError}.
   * `new Snowflake({ workerId: lease.workerId, signal: lease.signal })` stops issuing at that moment.
   */
  readonly signal: AbortSignal
  /** True while the lease is held and within its time. Checks the deadline itself, not only timers. */
  readonly held: boolean
  /** Renews now (the background timer does this on its own); resolves true when renewed. */
  renew(): Promise<boolean>
  /** Gives the ID back (compare-and-delete) and stops renewing; resolves true if it was still ours. Idempotent. */
  release(): Promise<boolean>
}

const RENEW: Script = {
  source:
    "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0",
  sha1: 'e50f848e374a94192aa6f2e444e7eb8acc16501d',
}
const RELEASE: Script = {
  source: "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0",
  sha1: '6fbe84d1140fd2047394924af9d845b83c070bec',
}
/** @internal The Lua scripts, exported for the test that checks their SHA-1. */
export const scripts: { readonly renew: Script; readonly release: Script } = {
  renew: RENEW,
  release: RELEASE,
}

// MGET this many keys at a time while looking for a free ID.
const CHUNK = 256
const MAX_WORKER_ID = 2 ** 20 - 1

// Deadlines use the monotonic clock: a wall-clock step must not stretch a lease.
const monotonic = (): number => performance.now()

type Timer = ReturnType<typeof setTimeout>
function unref(timer: Timer): Timer {
  ;(timer as { unref?: () => void }).unref?.()
  return timer
}

// The lease's state is settled before a user callback runs; one that throws is the caller's bug, so
// the error surfaces as an uncaught exception instead of being swallowed or breaking the renewals.
function callSafely<T>(callback: ((value: T) => void) | undefined, value: T): void {
  if (callback === undefined) return
  try {
    callback(value)
  } catch (err) {
    queueMicrotask(() => {
      throw err
    })
  }
}

function checkMs(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const E = typeof value === 'number' ? RangeError : TypeError
    throw new E(`\`${name}\` must be an integer from ${min} to ${max}, got ${show(value)}`)
  }
  return value
}

/**
 * The Redis key of one worker ID. The `{namespace}` hash tag keeps a namespace's keys in one Cluster
 * slot, so one MGET can look at many of them.
 *
 * @example
 * ```ts
 * import { leaseKey } from '@hotpath/snowflake-id/redis'
 *
 * leaseKey('orders', 7) // 'snowflake-id:{orders}:7'
 * ```
 */
export function leaseKey(namespace: string, workerId: number): string {
  return `snowflake-id:{${namespace}}:${workerId}`
}

/**
 * Claims a free worker ID in Redis and keeps it: `SET key token NX PX ttlMs` on an ID nobody holds
 * (atomic, so two claimants never get the same one), then a background renewal every `renewEveryMs`
 * that extends the TTL only while the key still holds this lease's token (a Lua compare-and-PEXPIRE).
 * The timers are unref'd, so a lease does not keep the process alive. Works on Redis Cluster too (the
 * namespace is a hash tag).
 *
 * If a renewal finds the key gone or someone else's, or no renewal succeeds before
 * `ttlMs - safetyMarginMs` has passed since the last good one, the lease ends: `onLost` is called and
 * `signal` aborts, which stops a generator built with it. Works with ioredis and node-redis v4+.
 *
 * Keep the lease for the life of the process and `release()` it on shutdown.
 *
 * @throws {LeaseError} `ERR_LEASE_EXHAUSTED` when every ID in the range is held.
 *
 * @example
 * ```ts
 * import Redis from 'ioredis'
 * import { Snowflake } from '@hotpath/snowflake-id'
 * import { leaseWorkerId } from '@hotpath/snowflake-id/redis'
 *
 * const redis = new Redis(process.env.REDIS_URL!)
 * const lease = await leaseWorkerId(redis, {
 *   namespace: 'orders',
 *   maxWorkerId: 1023, // twitter layout: 5 bits of datacenter + 5 of worker
 *   ttlMs: 30_000,
 *   onLost: (err) => console.error('worker ID lease lost', err.code),
 * })
 * const ids = new Snowflake({
 *   datacenterId: lease.workerId >> 5,
 *   workerId: lease.workerId & 31,
 *   signal: lease.signal,
 * })
 * process.on('SIGTERM', () => void lease.release())
 * ```
 */
export async function leaseWorkerId(client: RedisClientLike, options: LeaseOptions): Promise<WorkerLease> {
  const send = commandSender(client)
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`\`options\` must be an object, got ${show(options)}`)
  }
  const { namespace } = options
  if (typeof namespace !== 'string' || namespace.length === 0) {
    throw new TypeError(`\`namespace\` must be a non-empty string, got ${show(namespace)}`)
  }
  const maxWorkerId = checkMs('maxWorkerId', options.maxWorkerId, 0, MAX_WORKER_ID)
  const minWorkerId = checkMs('minWorkerId', options.minWorkerId ?? 0, 0, maxWorkerId)
  const ttlMs = checkMs('ttlMs', options.ttlMs, 50, 2 ** 31 - 1)
  const safetyMarginMs = checkMs(
    'safetyMarginMs',
    options.safetyMarginMs ?? Math.floor(Math.min(ttlMs / 5, 2000)),
    0,
    ttlMs - 2,
  )
  const renewEveryMs = checkMs(
    'renewEveryMs',
    options.renewEveryMs ?? Math.floor(ttlMs / 3),
    1,
    ttlMs - safetyMarginMs - 1,
  )
  for (const name of ['onLost', 'onRenewError'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'function') {
      throw new TypeError(`\`${name}\` must be a function, got ${show(options[name])}`)
    }
  }

  const token = globalThis.crypto.randomUUID()
  const range = maxWorkerId - minWorkerId + 1
  // A random starting point spreads simultaneous claimants over the range, so they rarely race
  // for the same key (a lost race only costs one more SET).
  const start = Math.floor(Math.random() * range)
  for (let offset = 0; offset < range; offset += CHUNK) {
    const ids: number[] = []
    for (let k = 0; k < CHUNK && offset + k < range; k++)
      ids.push(minWorkerId + ((start + offset + k) % range))
    const keys = ids.map((id) => leaseKey(namespace, id))
    const held = (await send(['MGET', ...keys], keys[0]!)) as unknown[]
    for (let i = 0; i < ids.length; i++) {
      if (held[i] != null) continue
      const workerId = ids[i]!
      const key = keys[i]!
      const sentAt = monotonic()
      if ((await send(['SET', key, token, 'PX', ttlMs, 'NX'], key)) === 'OK') {
        return new Lease(send, workerId, key, token, {
          ttlMs,
          renewEveryMs,
          safetyMarginMs,
          validUntil: sentAt + ttlMs - safetyMarginMs,
          onLost: options.onLost,
          onRenewError: options.onRenewError,
        })
      }
    }
  }
  throw new LeaseError(
    'ERR_LEASE_EXHAUSTED',
    `every worker ID from ${minWorkerId} to ${maxWorkerId} of namespace ${show(namespace)} is leased`,
  )
}

interface LeaseConfig {
  ttlMs: number
  renewEveryMs: number
  safetyMarginMs: number
  validUntil: number
  onLost: ((error: LeaseError) => void) | undefined
  onRenewError: ((error: unknown) => void) | undefined
}

class Lease implements WorkerLease {
  readonly workerId: number
  readonly key: string
  readonly token: string
  readonly #send: Send
  readonly #config: LeaseConfig
  readonly #controller = new AbortController()
  // Monotonic time until which the lease is certainly ours: the send time of the last good
  // SET/renewal + ttlMs - safetyMarginMs (Redis started its TTL no earlier than we sent).
  #validUntil: number
  #renewTimer: Timer | undefined
  #expiryTimer: Timer | undefined
  #renewing: Promise<boolean> | undefined
  #ended = false

  constructor(send: Send, workerId: number, key: string, token: string, config: LeaseConfig) {
    this.#send = send
    this.workerId = workerId
    this.key = key
    this.token = token
    this.#config = config
    this.#validUntil = config.validUntil
    this.#armExpiry()
    this.#scheduleRenew()
  }

  get signal(): AbortSignal {
    return this.#controller.signal
  }

  get held(): boolean {
    return !this.#ended && monotonic() < this.#validUntil
  }

  renew(): Promise<boolean> {
    if (this.#ended) return Promise.resolve(false)
    // One renewal in flight at a time: a slow Redis must not pile them up.
    this.#renewing ??= this.#renewOnce().finally(() => {
      this.#renewing = undefined
    })
    return this.#renewing
  }

  async release(): Promise<boolean> {
    if (this.#ended) return false
    this.#end(new LeaseError('ERR_LEASE_RELEASED', `worker ID ${this.workerId} was released`, this.workerId))
    return Number(await runScript(this.#send, RELEASE, [this.key], [this.token])) === 1
  }

  async #renewOnce(): Promise<boolean> {
    const sentAt = monotonic()
    let reply: unknown
    try {
      reply = await runScript(this.#send, RENEW, [this.key], [this.token, this.#config.ttlMs])
    } catch (err) {
      if (!this.#ended) callSafely(this.#config.onRenewError, err)
      return false
    }
    if (this.#ended) return false
    if (Number(reply) !== 1) {
      this.#lose(
        new LeaseError(
          'ERR_LEASE_LOST',
          `worker ID ${this.workerId} is no longer leased to this process (key ${this.key} is gone or has another owner)`,
          this.workerId,
        ),
      )
      return false
    }
    this.#validUntil = Math.max(this.#validUntil, sentAt + this.#config.ttlMs - this.#config.safetyMarginMs)
    this.#armExpiry()
    return true
  }

  #scheduleRenew(): void {
    this.#renewTimer = unref(
      setTimeout(() => {
        if (this.#ended) return
        this.renew()
          .catch(() => false)
          .finally(() => {
            if (!this.#ended) this.#scheduleRenew()
          })
      }, this.#config.renewEveryMs),
    )
  }

  #armExpiry(): void {
    if (this.#expiryTimer !== undefined) clearTimeout(this.#expiryTimer)
    this.#expiryTimer = unref(
      setTimeout(() => this.#checkExpiry(), Math.max(0, this.#validUntil - monotonic()) + 1),
    )
  }

  #checkExpiry(): void {
    if (this.#ended) return
    if (monotonic() < this.#validUntil) {
      this.#armExpiry()
      return
    }
    this.#lose(
      new LeaseError(
        'ERR_LEASE_EXPIRED',
        `worker ID ${this.workerId} could not be renewed within ${this.#config.ttlMs - this.#config.safetyMarginMs} ms; given up before Redis could hand it to someone else`,
        this.workerId,
      ),
    )
    // Free the ID early if Redis is reachable again; if not, its TTL frees it.
    runScript(this.#send, RELEASE, [this.key], [this.token]).catch(() => undefined)
  }

  #lose(error: LeaseError): void {
    this.#end(error)
    callSafely(this.#config.onLost, error)
  }

  #end(reason: LeaseError): void {
    this.#ended = true
    if (this.#renewTimer !== undefined) clearTimeout(this.#renewTimer)
    if (this.#expiryTimer !== undefined) clearTimeout(this.#expiryTimer)
    // Stops any generator built with this signal before anything else can run.
    this.#controller.abort(reason)
  }
}
