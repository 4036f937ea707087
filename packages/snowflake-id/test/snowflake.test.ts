import { describe, expect, test } from 'vitest'
import {
  ClockBackwardsError,
  decodeSnowflake,
  Snowflake,
  SnowflakeError,
  type SnowflakeLayout,
} from '../src/index.js'
import { FakeClock } from './fake-clock.js'

const T0 = 1_700_000_000_000

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (err) {
    return (err as SnowflakeError).code
  }
  return undefined
}

describe('next, nextString, decode', () => {
  test('IDs carry the clock, the fields and a counting sequence', () => {
    const clock = new FakeClock(T0)
    const ids = new Snowflake({ workerId: 7, datacenterId: 2, clock: clock.read })
    const a = ids.next()
    const b = ids.next()
    expect(typeof a).toBe('bigint')
    expect(b).toBe(a + 1n)
    expect(ids.decode(a)).toMatchObject({ timestamp: T0, workerId: 7, datacenterId: 2, sequence: 0 })
    expect(ids.decode(b).sequence).toBe(1)
    expect(ids.decode(a).date).toEqual(new Date(T0))
    const s = ids.nextString()
    expect(s).toBe(String(b + 1n))
    expect(ids.decode(s)).toMatchObject({ timestamp: T0, sequence: 2 })
    expect(ids.fields).toEqual({ datacenterId: 2, workerId: 7 })
    expect(ids.preset).toBe('twitter')
    expect(ids.epoch).toBe(1288834974657)
  })

  test('a new tick restarts the sequence at 0', () => {
    const clock = new FakeClock(T0)
    const ids = new Snowflake({ clock: clock.read })
    ids.next()
    ids.next()
    clock.now += 1
    expect(ids.decode(ids.next())).toMatchObject({ timestamp: T0 + 1, sequence: 0 })
  })

  test('fields default to 0 and the decoded object has exactly the layout fields', () => {
    const ids = new Snowflake({ preset: 'discord', clock: () => T0 })
    const parts = ids.decode(ids.next())
    expect({ ...parts }).toEqual({ timestamp: T0, workerId: 0, processId: 0, increment: 0 })
    expect(JSON.parse(JSON.stringify(parts))).toEqual({
      timestamp: T0,
      workerId: 0,
      processId: 0,
      increment: 0,
    })
  })

  test('decode accepts a bigint, a decimal string and a safe-integer number alike', () => {
    const ids = new Snowflake({ preset: 'instagram', shardId: 77, clock: () => T0 })
    const id = ids.next()
    // An instagram ID of 2023 is far above 2^53, so build a small one to exercise numbers.
    const small = (5n << 23n) | (77n << 10n) | 3n
    expect(ids.decode(String(id))).toEqual(ids.decode(id))
    expect({ ...ids.decode(Number(small)) }).toEqual({ ...ids.decode(small) })
    expect(ids.decode(small)).toMatchObject({ timestamp: 1314220021721 + 5, shardId: 77, sequence: 3 })
  })

  test('decode refuses anything that is not exactly an ID', () => {
    const ids = new Snowflake({ clock: () => T0 })
    const bad: [unknown, ErrorConstructor, RegExp][] = [
      ['', TypeError, /1 to 20 decimal digits, got ""/],
      ['0x1f', TypeError, /decimal digits, got "0x1f"/],
      ['0b101', TypeError, /decimal digits/],
      [' 12', TypeError, /decimal digits/],
      ['12 ', TypeError, /decimal digits/],
      ['-5', TypeError, /decimal digits/],
      ['1e3', TypeError, /decimal digits/],
      ['123456789012345678901', TypeError, /decimal digits/],
      [1.5, RangeError, /non-negative integer, got 1.5/],
      [-1, RangeError, /from 0 to 9223372036854775807, got -1/],
      [2 ** 53, RangeError, /lost precision/],
      [Number.NaN, RangeError, /got NaN/],
      [-1n, RangeError, /got -1n/],
      [2n ** 63n, RangeError, /from 0 to 9223372036854775807/],
      ['9223372036854775808', RangeError, /from 0 to 9223372036854775807/],
      [null, TypeError, /bigint, a decimal string or a safe integer, got null/],
      [{}, TypeError, /got an object/],
    ]
    for (const [input, E, message] of bad) {
      expect(() => ids.decode(input as bigint), String(input)).toThrow(E)
      expect(() => ids.decode(input as bigint), String(input)).toThrow(message)
    }
    expect(ids.decode('0')).toMatchObject({ timestamp: 1288834974657, sequence: 0 })
    expect(ids.decode('00042').sequence).toBe(42)
  })
})

describe('sequence overflow', () => {
  test('waits for the next tick instead of wrapping', () => {
    const clock = new FakeClock(T0)
    const ids = new Snowflake({ clock: clock.read })
    const seen: bigint[] = []
    for (let i = 0; i < 4096; i++) seen.push(ids.next())
    expect(ids.decode(seen[4095]!)).toMatchObject({ timestamp: T0, sequence: 4095 })
    // The clock stays put for 100 more readings, then moves on.
    clock.script(...Array<number>(100).fill(0), 1)
    const readsBefore = clock.reads
    const next = ids.next()
    expect(clock.reads - readsBefore).toBe(101)
    expect(ids.decode(next)).toMatchObject({ timestamp: T0 + 1, sequence: 0 })
    expect(next).toBeGreaterThan(seen[4095]!)
  })

  test('sonyflake: 256 IDs per 10 ms tick', () => {
    const clock = new FakeClock(T0)
    clock.autoStep = 0
    const ids = new Snowflake({ preset: 'sonyflake', machineId: 9, clock: clock.read })
    for (let i = 0; i < 256; i++) ids.next()
    // A 1 ms step stays inside the same 10 ms tick: still waiting.
    clock.script(1, 1, 1, 1, 1, 1, 1, 1, 1, 1)
    const id = ids.decode(ids.next())
    expect(clock.now).toBe(T0 + 10)
    expect(id).toMatchObject({ timestamp: T0 + 10, sequence: 0, machineId: 9 })
  })

  test('a frozen clock is reported instead of hanging', () => {
    const ids = new Snowflake({ preset: 'sonyflake', clock: () => T0 })
    for (let i = 0; i < 256; i++) ids.next()
    expect(codeOf(() => ids.next())).toBe('ERR_CLOCK_STALLED')
    // Nothing was issued or lost: with a moving clock the generator carries on.
  })
})

describe('clock going backwards', () => {
  test("'throw' throws ClockBackwardsError and stays usable", () => {
    const clock = new FakeClock(T0)
    const ids = new Snowflake({ onClockBackwards: 'throw', clock: clock.read })
    const a = ids.next()
    clock.now -= 5
    let error: unknown
    try {
      ids.next()
    } catch (err) {
      error = err
    }
    expect(error).toBeInstanceOf(ClockBackwardsError)
    expect(error).toBeInstanceOf(SnowflakeError)
    expect((error as ClockBackwardsError).code).toBe('ERR_CLOCK_BACKWARDS')
    expect((error as ClockBackwardsError).behindMs).toBe(5)
    clock.now += 5
    const b = ids.next()
    expect(b).toBe(a + 1n)
  })

  test("'wait' (default) waits out a small step back", () => {
    const clock = new FakeClock(T0)
    const ids = new Snowflake({ clock: clock.read })
    const a = ids.next()
    clock.now -= 3
    clock.autoStep = 1
    const b = ids.next()
    expect(b).toBeGreaterThan(a)
    // Catching up to T0 again, the sequence still had room in that tick.
    expect(ids.decode(b)).toMatchObject({ timestamp: T0, sequence: 1 })
  })

  test("'wait' throws at once when the step is larger than maxBackwardsMs", () => {
    const clock = new FakeClock(T0)
    const ids = new Snowflake({ maxBackwardsMs: 20, clock: clock.read })
    ids.next()
    clock.now -= 21
    const readsBefore = clock.reads
    expect(() => ids.next()).toThrow(ClockBackwardsError)
    expect(() => ids.next()).toThrow(
      "went back 21 ms behind the last issued timestamp (onClockBackwards: 'wait', maxBackwardsMs: 20)",
    )
    expect(clock.reads - readsBefore).toBe(2)
  })

  test("'wait' gives up when the clock falls further behind while waiting", () => {
    const clock = new FakeClock(T0)
    const ids = new Snowflake({ maxBackwardsMs: 10, clock: clock.read })
    ids.next()
    clock.now -= 5
    clock.script(-3, -3)
    let error: unknown
    try {
      ids.next()
    } catch (err) {
      error = err
    }
    expect((error as ClockBackwardsError).behindMs).toBe(11)
  })

  test("'continue' keeps a logical clock and moves it ahead when the sequence runs out", () => {
    const clock = new FakeClock(T0)
    const ids = new Snowflake({ onClockBackwards: 'continue', clock: clock.read })
    let last = ids.next()
    clock.now -= 1000
    for (let i = 0; i < 4095; i++) {
      const id = ids.next()
      expect(id).toBe(last + 1n)
      last = id
    }
    expect(ids.decode(last)).toMatchObject({ timestamp: T0, sequence: 4095 })
    // No waiting: the logical clock borrows the next tick although the clock is 1 s behind.
    const readsBefore = clock.reads
    const next = ids.next()
    expect(clock.reads - readsBefore).toBe(1)
    expect(ids.decode(next)).toMatchObject({ timestamp: T0 + 1, sequence: 0 })
    // Once the clock passes the logical one, IDs follow the clock again.
    clock.now = T0 + 5000
    expect(ids.decode(ids.next())).toMatchObject({ timestamp: T0 + 5000, sequence: 0 })
  })

  test('maxBackwardsMs 0 makes wait behave like throw', () => {
    const clock = new FakeClock(T0)
    const ids = new Snowflake({ maxBackwardsMs: 0, clock: clock.read })
    ids.next()
    clock.now -= 1
    expect(() => ids.next()).toThrow(ClockBackwardsError)
  })
})

describe('end of life', () => {
  test('generating past the last encodable instant throws ERR_END_OF_LIFE', () => {
    const end = 1288834974657 + 2 ** 41
    const clock = new FakeClock(end - 1)
    const ids = new Snowflake({ clock: clock.read })
    expect(ids.endOfLife.getTime()).toBe(end)
    expect(ids.decode(ids.next()).timestamp).toBe(end - 1)
    clock.now = end
    expect(codeOf(() => ids.next())).toBe('ERR_END_OF_LIFE')
    expect(() => ids.next()).toThrow(/twitter layout ran out of timestamp bits at 2080-07-10T17:30:30.209Z/)
  })

  test('discord stops before the sign bit although it declares 42 bits', () => {
    const end = 1420070400000 + 2 ** 41
    const clock = new FakeClock(end - 1)
    const ids = new Snowflake({ preset: 'discord', workerId: 31, processId: 31, clock: clock.read })
    for (let i = 0; i < 4096; i++) expect(ids.next()).toBeLessThan(2n ** 63n)
    clock.autoStep = 1
    expect(codeOf(() => ids.next())).toBe('ERR_END_OF_LIFE')
  })

  test("'continue' cannot borrow ticks past the end either", () => {
    const layout = { epoch: T0, timestampBits: 2, fields: [{ name: 'sequence', bits: 1 }] } as const
    const clock = new FakeClock(T0 + 3)
    const ids = new Snowflake({ layout, onClockBackwards: 'continue', clock: clock.read })
    expect(ids.endOfLife.getTime()).toBe(T0 + 4)
    ids.next()
    ids.next()
    clock.now = T0
    expect(codeOf(() => ids.next())).toBe('ERR_END_OF_LIFE')
  })
})

describe('signal', () => {
  test('an aborted signal stops the generator', () => {
    const controller = new AbortController()
    const ids = new Snowflake({ clock: () => T0, signal: controller.signal })
    ids.next()
    expect(ids.stopped).toBe(false)
    const reason = new Error('lease lost')
    controller.abort(reason)
    expect(ids.stopped).toBe(true)
    let error: unknown
    try {
      ids.next()
    } catch (err) {
      error = err
    }
    expect((error as SnowflakeError).code).toBe('ERR_GENERATOR_STOPPED')
    expect((error as SnowflakeError).cause).toBe(reason)
    expect(codeOf(() => ids.nextString())).toBe('ERR_GENERATOR_STOPPED')
  })

  test('an already aborted signal stops it from the start', () => {
    const ids = new Snowflake({ signal: AbortSignal.abort() })
    expect(codeOf(() => ids.next())).toBe('ERR_GENERATOR_STOPPED')
  })
})

describe('custom layouts', () => {
  test('sequence in the middle, and more than 32 bits below the timestamp', () => {
    const layout = {
      epoch: 1_600_000_000_000,
      timestampBits: 25,
      fields: [
        { name: 'region', bits: 4 },
        { name: 'seq', bits: 14 },
        { name: 'node', bits: 20 },
      ],
      sequence: 'seq',
    } as const satisfies SnowflakeLayout
    const clock = new FakeClock(1_600_000_000_000 + 12345)
    const ids = new Snowflake({ layout, fields: { region: 9, node: 1_000_000 }, clock: clock.read })
    const a = ids.next()
    const b = ids.next()
    expect(ids.decode(a)).toMatchObject({ timestamp: 1_600_000_012_345, region: 9, seq: 0, node: 1_000_000 })
    expect(ids.decode(b).seq).toBe(1)
    expect(b - a).toBe(1n << 20n)
    expect(decodeSnowflake(b, layout)).toMatchObject({ region: 9, seq: 1, node: 1_000_000 })
  })

  test('a sequence placed above bit 53 is still exact', () => {
    const layout = {
      epoch: T0,
      timestampBits: 3,
      fields: [
        { name: 'sequence', bits: 7 },
        { name: 'pad', bits: 53 },
      ],
    } as const
    const ids = new Snowflake({ layout, fields: { pad: 2 ** 53 - 1 }, clock: () => T0 + 2 })
    for (let i = 0; i < 16; i++) {
      const id = ids.next()
      expect(id).toBe((2n << 60n) | (BigInt(i) << 53n) | BigInt(2 ** 53 - 1))
      expect(ids.decode(id)).toMatchObject({ timestamp: T0 + 2, sequence: i, pad: 2 ** 53 - 1 })
    }
  })

  test('preset options override the epoch and time unit', () => {
    const epoch = Date.UTC(2024, 0, 1)
    const ids = new Snowflake({ preset: 'discord', epoch, timeUnitMs: 10, clock: () => epoch + 1234 })
    const id = ids.next()
    expect(id >> 22n).toBe(123n)
    expect(ids.decode(id).timestamp).toBe(epoch + 1230)
    expect(decodeSnowflake(id, 'discord', { epoch, timeUnitMs: 10 }).timestamp).toBe(epoch + 1230)
    expect(ids.endOfLife.getTime()).toBe(epoch + 2 ** 41 * 10)
  })

  test('types follow the layout', () => {
    const d = new Snowflake({ preset: 'discord', clock: () => T0 }).decode(0n)
    const n: number = d.processId + d.increment
    // @ts-expect-error discord has no datacenterId
    void d.datacenterId
    const c = new Snowflake({
      layout: {
        epoch: 0,
        timestampBits: 41,
        fields: [
          { name: 'shard', bits: 10 },
          { name: 'sequence', bits: 12 },
        ],
      },
    }).decode(0n)
    // @ts-expect-error the custom layout has no workerId
    void c.workerId
    expect(n + c.shard).toBe(0)
  })
})

describe('argument validation names the field', () => {
  const cases: [string, () => unknown, ErrorConstructor, string | RegExp][] = [
    [
      'workerId too big',
      () => new Snowflake({ workerId: 32 }),
      RangeError,
      '`workerId` must be an integer from 0 to 31, got 32',
    ],
    [
      'workerId negative',
      () => new Snowflake({ workerId: -1 }),
      RangeError,
      '`workerId` must be an integer from 0 to 31, got -1',
    ],
    ['workerId fraction', () => new Snowflake({ workerId: 1.5 }), RangeError, 'got 1.5'],
    [
      'workerId string',
      () => new Snowflake({ workerId: '3' as unknown as number }),
      TypeError,
      '`workerId` must be an integer from 0 to 31, got "3"',
    ],
    [
      'machineId range',
      () => new Snowflake({ preset: 'sonyflake', machineId: 65536 }),
      RangeError,
      '`machineId` must be an integer from 0 to 65535, got 65536',
    ],
    [
      'shardId on twitter',
      () => new Snowflake({ shardId: 1 }),
      TypeError,
      '`shardId` is not a field of the twitter layout (fields: datacenterId, workerId)',
    ],
    [
      'fields.x unknown',
      () => new Snowflake({ fields: { x: 1 } }),
      TypeError,
      '`fields.x` is not a field of the twitter layout',
    ],
    [
      'setting the sequence',
      () => new Snowflake({ fields: { sequence: 1 } }),
      TypeError,
      '`fields.sequence` is the sequence',
    ],
    [
      'given twice',
      () => new Snowflake({ workerId: 1, fields: { workerId: 1 } }),
      TypeError,
      '`workerId` is given twice',
    ],
    [
      'fields.x range',
      () => new Snowflake({ fields: { datacenterId: 40 } }),
      RangeError,
      '`fields.datacenterId` must be an integer from 0 to 31, got 40',
    ],
    ['unknown option', () => new Snowflake({ workerID: 1 } as never), TypeError, 'unknown option `workerID`'],
    [
      'unknown preset',
      () => new Snowflake({ preset: 'snowflake' as never }),
      TypeError,
      '`preset` must be one of twitter, discord, sonyflake, instagram, got "snowflake"',
    ],
    [
      'preset and layout',
      () => new Snowflake({ preset: 'twitter', layout: {} } as never),
      TypeError,
      '`preset` and `layout` are exclusive',
    ],
    [
      'epoch in the future',
      () => new Snowflake({ epoch: T0 + 1, clock: () => T0 }),
      RangeError,
      /`epoch` must not be in the future, got 1700000000001/,
    ],
    [
      'layout epoch in the future',
      () =>
        new Snowflake({
          layout: { epoch: T0 + 1, timestampBits: 41, fields: [{ name: 'sequence', bits: 12 }] },
          clock: () => T0,
        }),
      RangeError,
      '`layout.epoch` must not be in the future',
    ],
    [
      'epoch negative',
      () => new Snowflake({ epoch: -1 }),
      RangeError,
      '`epoch` must be a Unix time in ms (a non-negative integer), got -1',
    ],
    ['epoch fraction', () => new Snowflake({ epoch: 1.5 }), RangeError, '`epoch` must be a Unix time in ms'],
    [
      'timeUnitMs',
      () => new Snowflake({ timeUnitMs: 5 as never }),
      RangeError,
      '`timeUnitMs` must be 1 or 10, got 5',
    ],
    [
      'over 63 bits',
      () =>
        new Snowflake({
          layout: {
            epoch: 0,
            timestampBits: 42,
            fields: [
              { name: 'workerId', bits: 10 },
              { name: 'sequence', bits: 12 },
            ],
          },
        }),
      RangeError,
      "`layout` must use at most 63 bits in all (timestampBits + the fields' bits), got 64",
    ],
    [
      'preset spread is custom',
      () => new Snowflake({ layout: { ...presets64() } }),
      RangeError,
      'at most 63 bits',
    ],
    [
      'timestampBits 0',
      () =>
        new Snowflake({ layout: { epoch: 0, timestampBits: 0, fields: [{ name: 'sequence', bits: 12 }] } }),
      RangeError,
      '`layout.timestampBits` must be an integer from 1 to 62, got 0',
    ],
    [
      'field bits 0',
      () =>
        new Snowflake({ layout: { epoch: 0, timestampBits: 41, fields: [{ name: 'sequence', bits: 0 }] } }),
      RangeError,
      '`layout.fields[0].bits` must be an integer from 1 to 53, got 0',
    ],
    [
      'no fields',
      () => new Snowflake({ layout: { epoch: 0, timestampBits: 41, fields: [] } }),
      TypeError,
      '`layout.fields` must be a non-empty array',
    ],
    [
      'duplicate field',
      () =>
        new Snowflake({
          layout: {
            epoch: 0,
            timestampBits: 41,
            fields: [
              { name: 'sequence', bits: 6 },
              { name: 'sequence', bits: 6 },
            ],
          },
        }),
      TypeError,
      '`layout.fields[1].name` repeats the field name "sequence"',
    ],
    [
      'reserved name',
      () =>
        new Snowflake({
          layout: {
            epoch: 0,
            timestampBits: 41,
            fields: [
              { name: 'date', bits: 6 },
              { name: 'sequence', bits: 6 },
            ],
          },
        }),
      TypeError,
      '`layout.fields[0].name` must be an identifier other than "timestamp" and "date", got "date"',
    ],
    [
      'missing sequence',
      () => new Snowflake({ layout: { epoch: 0, timestampBits: 41, fields: [{ name: 'seq', bits: 12 }] } }),
      TypeError,
      '`layout.sequence` must name one of the fields (seq), got "sequence"',
    ],
    [
      'policy',
      () => new Snowflake({ onClockBackwards: 'ignore' as never }),
      TypeError,
      "`onClockBackwards` must be 'wait', 'throw' or 'continue', got \"ignore\"",
    ],
    [
      'maxBackwardsMs',
      () => new Snowflake({ maxBackwardsMs: -1 }),
      RangeError,
      '`maxBackwardsMs` must be a non-negative number of ms, got -1',
    ],
    [
      'clock type',
      () => new Snowflake({ clock: 5 as never }),
      TypeError,
      '`clock` must be a function returning Unix ms, got 5',
    ],
    [
      'clock NaN',
      () => new Snowflake({ clock: () => Number.NaN }),
      TypeError,
      '`clock` must return a finite number of ms, got NaN',
    ],
    ['signal', () => new Snowflake({ signal: {} as never }), TypeError, '`signal` must be an AbortSignal'],
    ['decode preset', () => decodeSnowflake(1n, 'x' as never), TypeError, '`layout` must be one of twitter'],
    [
      'decode layout',
      () => decodeSnowflake(1n, null as never),
      TypeError,
      '`layout` must be a layout object',
    ],
    [
      'decode overrides',
      () => decodeSnowflake(1n, 'twitter', { epoch: -5 }),
      RangeError,
      '`epoch` must be a Unix time in ms',
    ],
  ]
  for (const [name, fn, E, message] of cases) {
    test(name, () => {
      expect(fn).toThrow(E)
      expect(fn).toThrow(message)
    })
  }

  test('a clock that stops returning numbers later throws and leaves the generator usable', () => {
    let value: unknown = T0
    const ids = new Snowflake({ clock: () => value as number })
    const a = ids.next()
    value = undefined
    expect(() => ids.next()).toThrow('`clock` must return a finite number of ms, got undefined')
    value = T0
    expect(ids.next()).toBe(a + 1n)
  })
})

function presets64(): SnowflakeLayout {
  return {
    epoch: 1420070400000,
    timestampBits: 42,
    fields: [
      { name: 'workerId', bits: 5 },
      { name: 'processId', bits: 5 },
      { name: 'increment', bits: 12 },
    ],
    sequence: 'increment',
  }
}
