/**
 * A fake clock for the generator. Tests set `now` directly, or script the next readings: each
 * reading first applies the next scripted step (0 = stall, negative = backwards), and once the
 * script is used up, `autoStep` (default 0), so "wait for the next tick" loops can end without
 * real time passing.
 */
export class FakeClock {
  now: number
  reads = 0
  autoStep = 0
  readonly #script: number[] = []

  constructor(start = 1_700_000_000_000) {
    this.now = start
  }

  /** The function to pass as `clock`. */
  readonly read = (): number => {
    this.reads++
    this.now += this.#script.length > 0 ? this.#script.shift()! : this.autoStep
    return this.now
  }

  /** Queues steps for the next readings. */
  script(...steps: number[]): this {
    this.#script.push(...steps)
    return this
  }
}
