import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import {
  ClockBackwardsError,
  type ClockBackwardsPolicy,
  decodeSnowflake,
  type PresetName,
  presets,
  Snowflake,
  type SnowflakeLayout,
} from '../src/index.js'

const CI = !!process.env.CI
const T0 = 1_700_000_000_000
const policies: ClockBackwardsPolicy[] = ['wait', 'throw', 'continue']

/** A valid custom layout: 1 to 4 fields, the sequence anywhere among them, at most 63 bits. */
const layoutArb: fc.Arbitrary<SnowflakeLayout> = fc
  .record({
    fieldBits: fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 1, maxLength: 4 }),
    sequenceAt: fc.nat(),
    timestampBits: fc.integer({ min: 36, max: 50 }),
    epoch: fc.integer({ min: 0, max: T0 - 1 }),
    timeUnitMs: fc.constantFrom<1 | 10>(1, 10),
  })
  .map(({ fieldBits, sequenceAt, timestampBits, epoch, timeUnitMs }) => {
    const low = fieldBits.reduce((a, b) => a + b, 0)
    const seqIndex = sequenceAt % fieldBits.length
    const fields = fieldBits.map((bits, i) => ({ name: i === seqIndex ? 'sequence' : `f${i}`, bits }))
    // Enough timestamp bits to reach T0 from the epoch; the rest of the 63 bits for the fields.
    const needed = Math.ceil(Math.log2((T0 - epoch) / timeUnitMs + 2)) + 1
    return { epoch, timeUnitMs, timestampBits: Math.max(needed, Math.min(timestampBits, 63 - low)), fields }
  })
  .filter((l) => l.timestampBits + l.fields.reduce((a, f) => a + f.bits, 0) <= 63)

/** A layout (preset or custom) plus values for its settable fields. */
const configArb = fc
  .oneof(
    fc.constantFrom<PresetName>('twitter', 'discord', 'sonyflake', 'instagram').map((p) => presets[p]),
    layoutArb,
  )
  .chain((layout) =>
    fc.tuple(...layout.fields.map((f) => fc.integer({ min: 0, max: 2 ** f.bits - 1 }))).map((values) => {
      const fields: Record<string, number> = {}
      layout.fields.forEach((f, i) => {
        if (f.name !== (layout.sequence ?? 'sequence')) fields[f.name] = values[i]!
      })
      return { layout, fields }
    }),
  )

describe('decode(next()) round-trips', () => {
  test('every field, the timestamp and the sequence come back', () => {
    fc.assert(
      fc.property(
        configArb,
        fc.integer({ min: 0, max: 2 ** 35 }),
        fc.integer({ min: 1, max: 40 }),
        (config, offset, count) => {
          const unit = config.layout.timeUnitMs ?? 1
          const now = Math.min(config.layout.epoch + offset, T0)
          const ids = new Snowflake({ layout: config.layout, fields: config.fields, clock: () => now })
          const seqName = config.layout.sequence ?? 'sequence'
          const seqMax = 2 ** config.layout.fields.find((f) => f.name === seqName)!.bits
          for (let i = 0; i < Math.min(count, seqMax); i++) {
            const id = ids.next()
            const parts = ids.decode(id)
            const expected = {
              ...config.fields,
              [seqName]: i,
              timestamp: now - ((now - config.layout.epoch) % unit),
            }
            expect({ ...parts }).toEqual(expected)
            expect(parts.date.getTime()).toBe(expected.timestamp)
            expect({ ...decodeSnowflake(id.toString(), config.layout) }).toEqual(expected)
            if (id <= BigInt(Number.MAX_SAFE_INTEGER)) expect({ ...ids.decode(Number(id)) }).toEqual(expected)
          }
        },
      ),
      { numRuns: CI ? 2000 : 300 },
    )
  })

  test('nextString() is next() in decimal', () => {
    fc.assert(
      fc.property(configArb, fc.integer({ min: 0, max: 1000 }), (config, n) => {
        // Two identical clocks that move 1 ms every 3 readings: both generators see the same times.
        const clockFrom = () => {
          let reads = 0
          return () => T0 + Math.floor(reads++ / 3)
        }
        const a = new Snowflake({ layout: config.layout, fields: config.fields, clock: clockFrom() })
        const b = new Snowflake({ layout: config.layout, fields: config.fields, clock: clockFrom() })
        for (let i = 0; i <= n % 50; i++) expect(b.nextString()).toBe(a.next().toString())
      }),
      { numRuns: CI ? 500 : 100 },
    )
  })
})

describe('decode input forms', () => {
  const layouts: [string, Parameters<typeof decodeSnowflake>[1], bigint][] = [
    ['discord (64 bits)', 'discord', 2n ** 64n - 1n],
    ['twitter (63 bits)', 'twitter', 2n ** 63n - 1n],
    ['sonyflake (63 bits)', 'sonyflake', 2n ** 63n - 1n],
    [
      'custom (20 bits)',
      Object.freeze({ epoch: 0, timestampBits: 8, fields: Object.freeze([{ name: 'sequence', bits: 12 }]) }),
      2n ** 20n - 1n,
    ],
  ]
  // Values of every magnitude: each digit count from 1 to 20, and the edges around the layout's end.
  const valueArb = (max: bigint) =>
    fc.oneof(
      fc.bigInt({ min: 0n, max: 2n ** 64n + 5n }),
      fc.integer({ min: 0, max: 64 }).chain((bits) => fc.bigInt({ min: 0n, max: 2n ** BigInt(bits) })),
      fc.bigInt({ min: max - 3n, max: max + 3n }),
    )
  for (const [name, layout, max] of layouts) {
    test(`${name}: a decimal string decodes exactly like the bigint, and out-of-range fails alike`, () => {
      fc.assert(
        fc.property(valueArb(max), fc.integer({ min: 0, max: 3 }), (v, zeros) => {
          const str = '0'.repeat(v.toString().length + zeros <= 20 ? zeros : 0) + v.toString()
          if (v > max) {
            expect(() => decodeSnowflake(v, layout)).toThrow(RangeError)
            expect(() => decodeSnowflake(str, layout)).toThrow(RangeError)
            return
          }
          const expected = { ...decodeSnowflake(v, layout) }
          expect({ ...decodeSnowflake(str, layout) }).toEqual(expected)
          if (v <= BigInt(Number.MAX_SAFE_INTEGER))
            expect({ ...decodeSnowflake(Number(v), layout) }).toEqual(expected)
        }),
        { numRuns: CI ? 20_000 : 3000 },
      )
    })
  }

  test('the decoded fields are the bits of the ID', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), (v) => {
        const p = decodeSnowflake(v.toString(), 'discord')
        expect(p.timestamp).toBe(Number(v >> 22n) + 1420070400000)
        expect(p.workerId).toBe(Number((v >> 17n) & 31n))
        expect(p.processId).toBe(Number((v >> 12n) & 31n))
        expect(p.increment).toBe(Number(v & 4095n))
      }),
      { numRuns: CI ? 20_000 : 3000 },
    )
  })
})

/** One step of a hostile clock script. */
type Step = { kind: 'stall'; reads: number } | { kind: 'jump'; ms: number } | { kind: 'back'; ms: number }
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('stall' as const), reads: fc.integer({ min: 1, max: 5000 }) }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('jump' as const), ms: fc.integer({ min: 1, max: 50 }) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('back' as const), ms: fc.integer({ min: 1, max: 40 }) }),
  },
)

/**
 * A clock following the script: a stall keeps the time for that many readings, a jump moves it
 * forward, a step back moves it back. Between steps (and after the script) it moves 1 ms per reading
 * only when it has stalled for 64 readings, so waits always end but the sequence still fills up.
 */
function scriptedClock(start: number, steps: readonly Step[]): { read: () => number; max: () => number } {
  let now = start
  let max = start
  let i = 0
  let left = 0
  let idle = 0
  return {
    max: () => max,
    read: () => {
      if (left > 0) {
        left--
      } else if (i < steps.length) {
        const s = steps[i++]!
        if (s.kind === 'stall') left = s.reads - 1
        else now += s.kind === 'jump' ? s.ms : -s.ms
        idle = 0
      } else if (++idle >= 64) {
        now++
        idle = 0
      }
      if (now > max) max = now
      return now
    },
  }
}

describe('strictly increasing, never a duplicate, whatever the clock does', () => {
  // Over all runs this issues millions of IDs (several times more with CI set).
  const idsPerRun = CI ? 100_000 : 30_000
  for (const policy of policies) {
    test(`onClockBackwards: '${policy}'`, () => {
      let total = 0
      fc.assert(
        fc.property(
          fc.array(stepArb, { minLength: 1, maxLength: 60 }),
          fc.constantFrom(2, 6, 12),
          fc.integer({ min: 0, max: 40 }),
          (steps, sequenceBits, maxBackwardsMs) => {
            const layout = {
              epoch: T0 - 1_000_000,
              timestampBits: 41,
              fields: [
                { name: 'workerId', bits: 10 },
                { name: 'sequence', bits: sequenceBits },
              ],
            }
            const clock = scriptedClock(T0, steps)
            // Three generators with distinct worker IDs share the hostile clock.
            const gens = [1, 2, 3].map(
              (workerId) =>
                new Snowflake({
                  layout,
                  workerId,
                  clock: clock.read,
                  onClockBackwards: policy,
                  maxBackwardsMs,
                }),
            )
            const all = new BigUint64Array(idsPerRun)
            const last = [-1n, -1n, -1n]
            let n = 0
            let refused = 0
            for (let k = 0; n < idsPerRun; k++) {
              const g = k % 3
              let id: bigint
              try {
                id = gens[g]!.next()
              } catch (err) {
                // Only 'wait' and 'throw' may refuse, and only with ClockBackwardsError.
                if (!(err instanceof ClockBackwardsError) || policy === 'continue') throw err
                if (++refused > idsPerRun) throw new Error('the clock never recovered')
                continue
              }
              // Plain comparisons in the loop: expect() per ID would dominate the run time.
              if (id <= last[g]!) expect.fail(`worker ${g + 1}: ${id} after ${last[g]}`)
              last[g] = id
              // Never stamped later than the clock has read ('continue' may borrow ticks ahead).
              if (policy !== 'continue' && gens[g]!.decode(id).timestamp > clock.max()) {
                expect.fail(`${id} is stamped after the latest clock reading ${clock.max()}`)
              }
              all[n++] = id
            }
            all.sort()
            for (let i = 1; i < all.length; i++) if (all[i] === all[i - 1]) expect.fail(`duplicate ${all[i]}`)
            total += n
          },
        ),
        { numRuns: CI ? 60 : 35 },
      )
      expect(total).toBeGreaterThanOrEqual(1_000_000)
    })
  }
})

describe('model: the generator against a trivially correct model', () => {
  // The model only remembers the last issued tick and sequence; every command checks the real
  // generator's answer against what that allows.
  interface Model {
    tick: number
    seq: number
    lastId: bigint
  }
  interface Real {
    ids: Snowflake<SnowflakeLayout>
    clock: { now: number; reads: number }
    policy: ClockBackwardsPolicy
    maxBackwardsMs: number
    seqMax: number
  }
  const EPOCH = T0 - 10_000_000
  const tickOf = (now: number) => now - EPOCH

  class Next implements fc.Command<Model, Real> {
    constructor(readonly asString: boolean) {}
    check(): boolean {
      return true
    }
    run(m: Model, r: Real): void {
      const before = r.clock.now
      const behind = m.tick >= 0 ? EPOCH + m.tick - before : 0
      let id: bigint
      try {
        id = this.asString ? BigInt(r.ids.nextString()) : r.ids.next()
      } catch (err) {
        expect(err).toBeInstanceOf(ClockBackwardsError)
        expect(behind).toBeGreaterThan(0)
        expect(r.policy === 'throw' || (r.policy === 'wait' && behind > r.maxBackwardsMs)).toBe(true)
        // A refusal changes nothing: the model stays as it was.
        return
      }
      expect(id).toBeGreaterThan(m.lastId)
      const parts = r.ids.decode(id)
      const tick = tickOf(parts.timestamp)
      expect(parts.workerId).toBe(5)
      if (tick === m.tick) {
        expect(parts.sequence).toBe(m.seq + 1)
      } else {
        expect(tick).toBeGreaterThan(m.tick)
        expect(parts.sequence).toBe(0)
      }
      if (r.policy === 'continue' && behind > 0) {
        // The logical clock: same tick while the sequence lasts, then exactly one tick ahead.
        expect(tick).toBe(m.seq < r.seqMax ? m.tick : m.tick + 1)
      } else {
        // Stamped with the clock's tick when the ID was made (after any wait), never a cached one.
        expect(tick).toBe(tickOf(r.clock.now))
      }
      m.tick = tick
      m.seq = parts.sequence!
      m.lastId = id
    }
    toString(): string {
      return this.asString ? 'nextString' : 'next'
    }
  }

  class Move implements fc.Command<Model, Real> {
    constructor(readonly ms: number) {}
    check(): boolean {
      return true
    }
    run(_m: Model, r: Real): void {
      r.clock.now += this.ms
    }
    toString(): string {
      return `clock ${this.ms >= 0 ? '+' : ''}${this.ms}`
    }
  }

  test('next / nextString / clock moves (forward, stalls, backwards)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...policies),
        fc.integer({ min: 0, max: 8 }),
        fc.commands(
          [
            fc.boolean().map((s) => new Next(s)),
            fc.integer({ min: 0, max: 3 }).map((ms) => new Move(ms)),
            fc.integer({ min: -20, max: -1 }).map((ms) => new Move(ms)),
          ],
          { maxCommands: 200 },
        ),
        (policy, maxBackwardsMs, cmds) => {
          const clock = { now: T0, reads: 0, stalled: 0 }
          const layout = {
            epoch: EPOCH,
            timestampBits: 41,
            fields: [
              { name: 'workerId', bits: 10 },
              { name: 'sequence', bits: 2 },
            ],
          }
          // The clock moves 1 ms after 8 identical readings, so overflow waits end; tests read `now`.
          const read = () => {
            clock.reads++
            if (++clock.stalled > 8) {
              clock.now++
              clock.stalled = 0
            }
            return clock.now
          }
          const ids = new Snowflake({
            layout,
            workerId: 5,
            clock: read,
            onClockBackwards: policy,
            maxBackwardsMs,
          })
          const real: Real = { ids, clock, policy, maxBackwardsMs, seqMax: 3 }
          fc.modelRun(() => ({ model: { tick: -1, seq: -1, lastId: -1n }, real }), cmds)
        },
      ),
      { numRuns: CI ? 1000 : 200 },
    )
  })
})
