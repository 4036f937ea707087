import { RedisStoreError } from './errors.js'

interface Pending {
  readonly deadline: number
  // Cleared once the command settles or times out; the entry then only waits to leave the queue.
  fail: ((error: unknown) => void) | undefined
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

  /** `p`, or a rejection with `ERR_REDIS_TIMEOUT` if it has not settled within the timeout. */
  watch<T>(p: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const entry: Pending = { deadline: performance.now() + this.#ms, fail: reject }
      this.#push(entry)
      // Both handlers attached: a command that fails after its timeout is swallowed here, never unhandled.
      p.then(
        (value) => {
          if (entry.fail === undefined) return
          entry.fail = undefined
          resolve(value)
        },
        (error: unknown) => {
          if (entry.fail === undefined) return
          entry.fail = undefined
          reject(error)
        },
      )
    })
  }

  #push(entry: Pending): void {
    const q = this.#queue
    while (this.#head < q.length && q[this.#head]!.fail === undefined) this.#head++
    if (this.#head > 1024 && this.#head * 2 > q.length) {
      q.splice(0, this.#head)
      this.#head = 0
    }
    q.push(entry)
    if (this.#timer === undefined) this.#arm(this.#ms)
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
      if (entry.fail !== undefined) {
        if (entry.deadline > now) break
        const fail = entry.fail
        entry.fail = undefined
        fail(new RedisStoreError('ERR_REDIS_TIMEOUT', `Redis did not answer within ${this.#ms} ms`))
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
