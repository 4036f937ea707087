import { RedisStoreError } from './errors.js'

/**
 * One command in flight. Whoever settles it first sets `settled`: its reply handler, or the sweep,
 * which then calls `expire` with the timeout error.
 */
export interface Pending {
  deadline: number
  settled: boolean
  expire(error: RedisStoreError): void
}

/**
 * Timeouts for commands in flight, without a timer per command. Every command gets the same
 * `timeoutMs`, so deadlines are created in increasing order and a FIFO queue is already sorted: one
 * timer, armed for the oldest pending deadline, serves them all. Replies arrive (nearly) in order, so
 * settled entries leave from the front as new ones are pushed and the queue stays short.
 */
export class Deadlines {
  readonly #ms: number
  #queue: Pending[] = []
  #head = 0
  #timer: ReturnType<typeof setTimeout> | undefined

  constructor(ms: number) {
    this.#ms = ms
  }

  /** Starts the clock for `entry`. */
  add(entry: Pending): void {
    entry.deadline = performance.now() + this.#ms
    const q = this.#queue
    while (this.#head < q.length && q[this.#head]!.settled) this.#head++
    if (this.#head > 1024 && this.#head * 2 > q.length) {
      q.splice(0, this.#head)
      this.#head = 0
    }
    q.push(entry)
    if (this.#timer === undefined) this.#arm(this.#ms)
  }

  /** `p`, or a rejection with `ERR_REDIS_TIMEOUT` if it has not settled within the timeout. */
  watch<T>(p: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const entry: Pending = { deadline: 0, settled: false, expire: reject }
      this.add(entry)
      // Both handlers attached: a command that fails after its timeout is swallowed here, never unhandled.
      p.then(
        (value) => {
          if (entry.settled) return
          entry.settled = true
          resolve(value)
        },
        (error: unknown) => {
          if (entry.settled) return
          entry.settled = true
          reject(error)
        },
      )
    })
  }

  #arm(ms: number): void {
    const timer = setTimeout(this.#sweep, Math.max(1, Math.ceil(ms)))
    // Pending rate-limit checks must not keep a process alive that is otherwise done.
    ;(timer as { unref?: () => void }).unref?.()
    this.#timer = timer
  }

  readonly #sweep = (): void => {
    this.#timer = undefined
    const q = this.#queue
    const now = performance.now()
    while (this.#head < q.length) {
      const entry = q[this.#head]!
      if (!entry.settled) {
        if (entry.deadline > now) break
        entry.settled = true
        entry.expire(new RedisStoreError('ERR_REDIS_TIMEOUT', `Redis did not answer within ${this.#ms} ms`))
      }
      this.#head++
    }
    if (this.#head === q.length) {
      this.#queue = []
      this.#head = 0
    } else {
      this.#arm(q[this.#head]!.deadline - now)
    }
  }
}
