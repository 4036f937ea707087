import { decoderFor, type SnowflakeInput, type SnowflakeParts } from './decode.js'
import { ClockBackwardsError, SnowflakeError } from './errors.js'
import {
  type CompiledLayout,
  compileLayout,
  type FieldsOf,
  type LayoutSpec,
  type PresetName,
} from './layout.js'
import { checkInteger, show } from './validate.js'

/**
 * What the generator does when the clock reads earlier than the last timestamp it issued:
 *
 * - `'wait'` (default): spin until the clock catches up, if it is behind by at most `maxBackwardsMs`;
 *   otherwise throw {@link ClockBackwardsError}.
 * - `'throw'`: throw {@link ClockBackwardsError} at once.
 * - `'continue'`: keep a logical clock at the last timestamp and go on counting the sequence; when the
 *   sequence runs out, move the logical clock one tick ahead (as Sonyflake and RFC 9562 do).
 *
 * Under every policy one generator's IDs are strictly increasing.
 */
export type ClockBackwardsPolicy = 'wait' | 'throw' | 'continue'

/** Field values settable as top-level options, when the layout has a field of that name. */
export interface FieldOptions {
  /** The worker field (twitter, discord). */
  workerId?: number
  /** The datacenter field (twitter). */
  datacenterId?: number
  /** The process field (discord). */
  processId?: number
  /** The machine field (sonyflake). */
  machineId?: number
  /** The shard field (instagram). */
  shardId?: number
}

/** The options of {@link Snowflake} other than the layout choice. */
export interface SnowflakeBaseOptions extends FieldOptions {
  /** Overrides the layout's epoch (Unix ms). Must not be in the future. */
  epoch?: number
  /** Overrides the layout's time unit: 1 ms or 10 ms. */
  timeUnitMs?: 1 | 10
  /** Values of fields by name, for fields without a top-level option (custom layouts). Unset fields are 0. */
  fields?: Readonly<Record<string, number>>
  /** Returns the current time in Unix ms. Default `Date.now`. Tests pass a fake one. */
  clock?: () => number
  /** See {@link ClockBackwardsPolicy}. Default `'wait'`. */
  onClockBackwards?: ClockBackwardsPolicy
  /** With `onClockBackwards: 'wait'`, the largest step back (ms) worth waiting out. Default 10. */
  maxBackwardsMs?: number
  /**
   * When aborted, the generator stops issuing IDs (`ERR_GENERATOR_STOPPED`). Pass a worker-ID lease's
   * `signal` so losing the lease stops the generator instead of risking a duplicate.
   */
  signal?: AbortSignal
}

/**
 * Options of {@link Snowflake}. Give a `preset` name or a custom `layout` (not both); the default is
 * the `twitter` preset.
 */
export type SnowflakeOptions<L extends LayoutSpec = LayoutSpec> = SnowflakeBaseOptions &
  (
    | {
        /** A built-in layout. Default `'twitter'`. */
        preset?: L & PresetName
        /** Not with `preset`. */
        layout?: undefined
      }
    | {
        /** A custom layout (or a preset name). */
        layout: L
        /** Not with `layout`. */
        preset?: undefined
      }
  )

const OPTION_KEYS = new Set([
  'preset',
  'layout',
  'epoch',
  'timeUnitMs',
  'fields',
  'clock',
  'onClockBackwards',
  'maxBackwardsMs',
  'signal',
  'workerId',
  'datacenterId',
  'processId',
  'machineId',
  'shardId',
])
const FIELD_OPTION_KEYS = ['workerId', 'datacenterId', 'processId', 'machineId', 'shardId'] as const
const POLICIES: readonly string[] = ['wait', 'throw', 'continue']
// Consecutive identical clock readings after which a wait gives up: about half a second of spinning
// on Date.now(), far beyond any real clock's resolution, so only a frozen clock trips it.
const STALL_LIMIT = 2 ** 24

/**
 * A generator of time-ordered 64-bit IDs (Twitter's snowflake and its relatives).
 *
 * `next()` returns a bigint, `nextString()` the same ID as a decimal string (JSON-safe). One
 * generator's IDs are strictly increasing; generators with distinct field values (worker IDs) never
 * collide. When a tick's sequence is used up, the generator waits for the next tick rather than
 * wrapping around. `next()` is synchronous, so such a wait (at most one tick: 1 ms, or 10 ms with
 * Sonyflake's unit) blocks the thread.
 *
 * @example
 * ```ts
 * import { Snowflake } from '@hotpath/snowflake-id'
 *
 * const ids = new Snowflake({ preset: 'discord', workerId: 1, processId: 3 })
 * const id = ids.next() // e.g. 1234567890123456789n
 * const json = JSON.stringify({ id: ids.nextString() })
 * const { date, workerId } = ids.decode(id) // workerId === 1
 * ids.endOfLife.getUTCFullYear() // 2084
 * ```
 */
export class Snowflake<const L extends LayoutSpec = 'twitter'> {
  readonly #layout: CompiledLayout
  readonly #clock: () => number
  readonly #epoch: number
  readonly #unit: number
  readonly #seqMax: number
  readonly #seqScale: number
  readonly #seqShift: bigint
  readonly #lowShift: bigint
  readonly #fixed: bigint
  readonly #policy: ClockBackwardsPolicy
  readonly #maxBackwardsMs: number
  readonly #fieldValues: Readonly<Record<string, number>>
  readonly #decode: (id: unknown) => unknown
  // The fast path of next() may issue while #seq < #room; #room is 0 when every call must take the
  // slow path (generator stopped, or a sequence placed too high for exact double arithmetic).
  #room: number
  #tick = -1
  #seq = 0
  #base = 0n
  #stopped = false
  #stopReason: unknown = undefined

  constructor(options: SnowflakeOptions<L> = {} as SnowflakeOptions<L>) {
    if (typeof options !== 'object' || options === null) {
      throw new TypeError(`\`options\` must be an object, got ${show(options)}`)
    }
    for (const key of Object.keys(options)) {
      if (!OPTION_KEYS.has(key))
        throw new TypeError(`unknown option \`${key}\` (options: ${[...OPTION_KEYS].join(', ')})`)
    }
    const o = options as SnowflakeBaseOptions & { preset?: unknown; layout?: unknown }
    if (o.preset !== undefined && o.layout !== undefined) {
      throw new TypeError('`preset` and `layout` are exclusive: give one of them')
    }
    // Date.now rather than performance.timeOrigin + performance.now(): both cost about 30 ns a read
    // (measured on Node 20), and only Date.now is the wall time the IDs claim; the monotonic sum
    // drifts from it whenever NTP corrects the wall clock, and would disagree across processes.
    const clock = o.clock ?? Date.now
    if (typeof clock !== 'function')
      throw new TypeError(`\`clock\` must be a function returning Unix ms, got ${show(clock)}`)
    const overrides: { epoch?: number; timeUnitMs?: 1 | 10 } = {}
    if (o.epoch !== undefined) overrides.epoch = o.epoch
    if (o.timeUnitMs !== undefined) overrides.timeUnitMs = o.timeUnitMs
    const layoutOption = o.layout !== undefined ? 'layout' : 'preset'
    const layout = compileLayout(o.layout ?? o.preset ?? 'twitter', layoutOption, overrides)
    const epochName = o.epoch !== undefined ? 'epoch' : `${layoutOption}.epoch`
    const now = clock()
    if (typeof now !== 'number' || !Number.isFinite(now)) {
      throw new TypeError(`\`clock\` must return a finite number of ms, got ${show(now)}`)
    }
    if (layout.epoch > now) {
      throw new RangeError(
        `\`${epochName}\` must not be in the future, got ${layout.epoch} (${new Date(layout.epoch).toISOString()}) while the clock reads ${now}`,
      )
    }
    const policy = o.onClockBackwards ?? 'wait'
    if (!POLICIES.includes(policy)) {
      throw new TypeError(`\`onClockBackwards\` must be 'wait', 'throw' or 'continue', got ${show(policy)}`)
    }
    const maxBackwardsMs = o.maxBackwardsMs ?? 10
    if (typeof maxBackwardsMs !== 'number' || !(maxBackwardsMs >= 0)) {
      const E = typeof maxBackwardsMs === 'number' ? RangeError : TypeError
      throw new E(`\`maxBackwardsMs\` must be a non-negative number of ms, got ${show(maxBackwardsMs)}`)
    }

    const values = resolveFieldValues(layout, o)
    let fixed = 0n
    for (const f of layout.fields) {
      if (f !== layout.sequence) fixed |= BigInt(values[f.name]!) << BigInt(f.shift)
    }
    const seq = layout.sequence
    this.#layout = layout
    this.#clock = clock
    this.#epoch = layout.epoch
    this.#unit = layout.unit
    this.#seqMax = seq.max
    this.#seqScale = 2 ** seq.shift
    this.#seqShift = BigInt(seq.shift)
    this.#lowShift = BigInt(layout.lowBits)
    this.#fixed = fixed
    this.#policy = policy as ClockBackwardsPolicy
    this.#maxBackwardsMs = maxBackwardsMs
    this.#fieldValues = Object.freeze(values)
    this.#decode = decoderFor(layout)
    // seq * 2^shift is exact in a double only below 2^53.
    this.#room = seq.shift + seq.bits <= 53 ? seq.max + 1 : 0

    const signal = o.signal
    if (signal !== undefined) {
      if (typeof signal !== 'object' || signal === null || typeof signal.addEventListener !== 'function') {
        throw new TypeError(`\`signal\` must be an AbortSignal, got ${show(signal)}`)
      }
      if (signal.aborted) this.#stop(signal.reason)
      else signal.addEventListener('abort', () => this.#stop(signal.reason), { once: true })
    }
  }

  /**
   * The next ID as a bigint.
   *
   * @throws {ClockBackwardsError} when the clock went back further than the policy allows.
   * @throws {SnowflakeError} `ERR_END_OF_LIFE` past the layout's end of life, `ERR_GENERATOR_STOPPED`
   *   after `signal` aborted, `ERR_CLOCK_STALLED` if the clock stops while a tick is awaited.
   *
   * @example
   * ```ts
   * import { Snowflake } from '@hotpath/snowflake-id'
   *
   * const ids = new Snowflake({ workerId: 3 })
   * const a = ids.next()
   * const b = ids.next()
   * a < b // true
   * ```
   */
  next(): bigint {
    const now = this.#clock()
    // One clock read per ID: the timestamp must be the tick the ID is made in, not a cached one.
    if (Math.floor((now - this.#epoch) / this.#unit) === this.#tick && this.#seq < this.#room) {
      return this.#base + BigInt(this.#seq++ * this.#seqScale)
    }
    return this.#advance(now)
  }

  /**
   * The next ID as a decimal string: the form to put in JSON, where a 64-bit number would be rounded.
   *
   * @example
   * ```ts
   * import { Snowflake } from '@hotpath/snowflake-id'
   *
   * const ids = new Snowflake({ workerId: 3 })
   * JSON.stringify({ id: ids.nextString() }) // e.g. '{"id":"1575051549653217281"}'
   * ```
   */
  nextString(): string {
    return this.next().toString()
  }

  /**
   * Decodes an ID of this generator's layout (and epoch): timestamp, date and every field.
   * Accepts a bigint, a decimal string, or a safe-integer number.
   *
   * @example
   * ```ts
   * import { Snowflake } from '@hotpath/snowflake-id'
   *
   * const ids = new Snowflake({ workerId: 9, datacenterId: 2 })
   * const { timestamp, workerId, datacenterId, sequence } = ids.decode(ids.next())
   * // workerId === 9, datacenterId === 2, timestamp ≈ Date.now()
   * ```
   */
  decode(id: SnowflakeInput): SnowflakeParts<FieldsOf<L>> {
    return this.#decode(id) as SnowflakeParts<FieldsOf<L>>
  }

  /**
   * The first instant this generator cannot encode; `next()` throws `ERR_END_OF_LIFE` from then on.
   *
   * @example
   * ```ts
   * import { Snowflake } from '@hotpath/snowflake-id'
   *
   * new Snowflake({ preset: 'twitter' }).endOfLife.toISOString() // '2080-07-10T17:30:30.209Z'
   * ```
   */
  get endOfLife(): Date {
    return new Date(this.#layout.endOfLifeMs)
  }

  /** The epoch (Unix ms) the timestamps count from. */
  get epoch(): number {
    return this.#epoch
  }

  /** The preset's name, or `'custom'`. */
  get preset(): PresetName | 'custom' {
    return this.#layout.name as PresetName | 'custom'
  }

  /** The fixed field values this generator stamps into every ID (the sequence excluded). */
  get fields(): Readonly<Record<Exclude<FieldsOf<L>, 'sequence' | 'increment'>, number>> {
    return this.#fieldValues as Readonly<Record<Exclude<FieldsOf<L>, 'sequence' | 'increment'>, number>>
  }

  /** True once `signal` aborted: every further `next()` throws `ERR_GENERATOR_STOPPED`. */
  get stopped(): boolean {
    return this.#stopped
  }

  #stop(reason: unknown): void {
    this.#stopped = true
    this.#stopReason = reason
    this.#room = 0
  }

  #startTick(tick: number): void {
    this.#tick = tick
    this.#seq = 0
    this.#base = (BigInt(tick) << this.#lowShift) | this.#fixed
  }

  // Everything but "same tick, sequence left": a new tick, an exhausted sequence, a clock that went
  // back, a stopped generator. Nothing is mutated before a throw, so the generator stays usable.
  #advance(now: number): bigint {
    if (this.#stopped) {
      throw new SnowflakeError('ERR_GENERATOR_STOPPED', 'the generator was stopped by its signal', {
        cause: this.#stopReason,
      })
    }
    const layout = this.#layout
    let unchanged = 0
    for (;;) {
      if (typeof now !== 'number' || !Number.isFinite(now)) {
        throw new TypeError(`\`clock\` must return a finite number of ms, got ${show(now)}`)
      }
      const tick = Math.floor((now - this.#epoch) / this.#unit)
      if (tick > this.#tick) {
        if (tick > layout.maxTick) {
          throw new SnowflakeError(
            'ERR_END_OF_LIFE',
            `the ${layout.name} layout ran out of timestamp bits at ${new Date(layout.endOfLifeMs).toISOString()}`,
          )
        }
        this.#startTick(tick)
        break
      }
      if (tick === this.#tick) {
        if (this.#seq <= this.#seqMax) break
        // Sequence used up in this tick: wait for the next one (never wrap into a duplicate).
      } else {
        const behindMs = this.#epoch + this.#tick * this.#unit - now
        if (this.#policy === 'continue') {
          if (this.#seq <= this.#seqMax) break
          if (this.#tick >= layout.maxTick) {
            throw new SnowflakeError(
              'ERR_END_OF_LIFE',
              `the ${layout.name} layout's logical clock ran out of timestamp bits`,
            )
          }
          this.#startTick(this.#tick + 1)
          break
        }
        if (this.#policy === 'throw' || behindMs > this.#maxBackwardsMs) {
          throw new ClockBackwardsError(
            behindMs,
            `the clock went back ${behindMs} ms behind the last issued timestamp (onClockBackwards: '${this.#policy}', maxBackwardsMs: ${this.#maxBackwardsMs})`,
          )
        }
      }
      const next = this.#clock()
      if (next !== now) unchanged = 0
      else if (++unchanged > STALL_LIMIT) {
        throw new SnowflakeError(
          'ERR_CLOCK_STALLED',
          `the clock stayed at ${now} for ${STALL_LIMIT} readings while the generator waited for the next tick`,
        )
      }
      now = next
    }
    const seq = this.#seq++
    return this.#room === 0
      ? this.#base + (BigInt(seq) << this.#seqShift)
      : this.#base + BigInt(seq * this.#seqScale)
  }
}

function resolveFieldValues(layout: CompiledLayout, o: SnowflakeBaseOptions): Record<string, number> {
  const names = layout.fields.map((f) => f.name)
  const settable = layout.fields.filter((f) => f !== layout.sequence).map((f) => f.name)
  const where = `the ${layout.name} layout (fields: ${settable.join(', ') || 'none'})`
  const given: Record<string, [string, unknown]> = {}
  for (const key of FIELD_OPTION_KEYS) {
    if (o[key] === undefined) continue
    if (!settable.includes(key)) {
      throw new TypeError(
        names.includes(key)
          ? `\`${key}\` is the sequence of ${where} and cannot be set`
          : `\`${key}\` is not a field of ${where}`,
      )
    }
    given[key] = [key, o[key]]
  }
  if (o.fields !== undefined) {
    if (typeof o.fields !== 'object' || o.fields === null) {
      throw new TypeError(`\`fields\` must be an object of field values, got ${show(o.fields)}`)
    }
    for (const [key, value] of Object.entries(o.fields)) {
      if (!settable.includes(key)) {
        throw new TypeError(
          names.includes(key)
            ? `\`fields.${key}\` is the sequence of ${where} and cannot be set`
            : `\`fields.${key}\` is not a field of ${where}`,
        )
      }
      if (given[key] !== undefined)
        throw new TypeError(`\`${key}\` is given twice: as an option and in \`fields\``)
      given[key] = [`fields.${key}`, value]
    }
  }
  const values: Record<string, number> = {}
  for (const f of layout.fields) {
    if (f === layout.sequence) continue
    const entry = given[f.name]
    values[f.name] = entry === undefined ? 0 : checkInteger(entry[0], entry[1], 0, f.max)
  }
  return values
}
