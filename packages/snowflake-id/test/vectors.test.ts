import { describe, expect, test } from 'vitest'
import { decodeSnowflake, endOfLife, presets, Snowflake } from '../src/index.js'

describe('published vectors', () => {
  // https://discord.com/developers/docs/reference#snowflakes
  test('Discord documentation: 175928847299117063', () => {
    for (const id of ['175928847299117063', 175928847299117063n]) {
      const parts = decodeSnowflake(id, 'discord')
      expect(parts.timestamp).toBe(1462015105796)
      expect(parts.date.toISOString()).toBe('2016-04-30T11:18:25.796Z')
      expect(parts.workerId).toBe(1)
      expect(parts.processId).toBe(0)
      expect(parts.increment).toBe(7)
    }
  })

  test('the Discord vector as a JS number is refused: it has already lost precision', () => {
    // 175928847299117063 is not representable as a double; the literal becomes ...7056.
    const rounded = Number('175928847299117063')
    expect(() => decodeSnowflake(rounded, 'discord')).toThrow(RangeError)
    expect(() => decodeSnowflake(rounded, 'discord')).toThrow(/lost precision.*bigint or a decimal string/)
  })

  // The Tweet object example of Twitter's API v1.1 docs: "created_at": "Wed Oct 10 20:19:24 +0000 2018".
  test('Twitter API docs: tweet 1050118621198921728 was created at 2018-10-10T20:19:24Z', () => {
    const parts = decodeSnowflake('1050118621198921728', 'twitter')
    expect(Math.floor(parts.timestamp / 1000) * 1000).toBe(Date.parse('Wed Oct 10 20:19:24 +0000 2018'))
    expect(parts.date.toISOString()).toBe('2018-10-10T20:19:24.211Z')
    expect([parts.datacenterId, parts.workerId, parts.sequence]).toEqual([10, 27, 0])
  })

  // "Sharding & IDs at Instagram": 1387263000 ms since their epoch, shard 1341, sequence 5001 % 1024.
  test('Instagram engineering blog worked example', () => {
    const epoch = Date.UTC(2011, 0, 1)
    const id = (1387263000n << 23n) | (1341n << 10n) | BigInt(5001 % 1024)
    const parts = decodeSnowflake(id, 'instagram', { epoch })
    expect(parts.timestamp).toBe(epoch + 1387263000)
    expect(parts.shardId).toBe(1341)
    expect(parts.sequence).toBe(905)
  })
})

describe('presets', () => {
  test('exactly as published', () => {
    expect(presets.twitter).toEqual({
      epoch: 1288834974657,
      timeUnitMs: 1,
      timestampBits: 41,
      fields: [
        { name: 'datacenterId', bits: 5 },
        { name: 'workerId', bits: 5 },
        { name: 'sequence', bits: 12 },
      ],
      sequence: 'sequence',
    })
    expect(presets.discord).toEqual({
      epoch: 1420070400000,
      timeUnitMs: 1,
      timestampBits: 42,
      fields: [
        { name: 'workerId', bits: 5 },
        { name: 'processId', bits: 5 },
        { name: 'increment', bits: 12 },
      ],
      sequence: 'increment',
    })
    expect(presets.sonyflake).toEqual({
      epoch: Date.UTC(2014, 8, 1),
      timeUnitMs: 10,
      timestampBits: 39,
      fields: [
        { name: 'sequence', bits: 8 },
        { name: 'machineId', bits: 16 },
      ],
      sequence: 'sequence',
    })
    expect(presets.instagram).toEqual({
      epoch: 1314220021721,
      timeUnitMs: 1,
      timestampBits: 41,
      fields: [
        { name: 'shardId', bits: 13 },
        { name: 'sequence', bits: 10 },
      ],
      sequence: 'sequence',
    })
    expect(Object.isFrozen(presets.twitter.fields[0])).toBe(true)
  })

  test('bit positions: each field lands where its layout says', () => {
    const at = 1_700_000_000_000
    const clock = () => at
    const tw = new Snowflake({ preset: 'twitter', datacenterId: 0b10101, workerId: 0b01110, clock })
    const t = tw.next()
    expect(t >> 22n).toBe(BigInt(at - 1288834974657))
    expect((t >> 17n) & 31n).toBe(0b10101n)
    expect((t >> 12n) & 31n).toBe(0b01110n)
    expect(t & 4095n).toBe(0n)
    expect(tw.next() & 4095n).toBe(1n)

    const sf = new Snowflake({ preset: 'sonyflake', machineId: 0xbeef, clock })
    const s = sf.next()
    sf.next()
    const s2 = sf.next()
    expect(s >> 24n).toBe(BigInt(Math.floor((at - Date.UTC(2014, 8, 1)) / 10)))
    expect(s & 0xffffn).toBe(0xbeefn)
    // Sonyflake's sequence sits above the machine ID.
    expect((s2 >> 16n) & 255n).toBe(2n)

    const ig = new Snowflake({ preset: 'instagram', shardId: 5000, clock })
    const i = ig.next()
    expect(i >> 23n).toBe(BigInt(at - 1314220021721))
    expect((i >> 10n) & 8191n).toBe(5000n)

    const dc = new Snowflake({ preset: 'discord', workerId: 3, processId: 30, clock })
    const d = dc.next()
    expect(d >> 22n).toBe(BigInt(at - 1420070400000))
    expect((d >> 17n) & 31n).toBe(3n)
    expect((d >> 12n) & 31n).toBe(30n)
  })

  test('end of life of each preset', () => {
    expect(endOfLife('twitter').toISOString()).toBe('2080-07-10T17:30:30.209Z')
    // discord declares 42 bits, but a generated ID never needs the sign bit: 2^41 ms after 2015.
    expect(endOfLife('discord').toISOString()).toBe('2084-09-06T15:47:35.552Z')
    // instagram's 41 + 13 + 10 = 64 bits: signed 64-bit storage runs out at 2^40 ms after its epoch.
    expect(endOfLife('instagram').toISOString()).toBe('2046-06-27T17:00:49.497Z')
    expect(endOfLife('sonyflake').toISOString()).toBe('2188-11-16T03:28:58.880Z')
    expect(endOfLife(presets.twitter).getTime()).toBe(1288834974657 + 2 ** 41)
    expect(new Snowflake({ preset: 'sonyflake' }).endOfLife.getUTCFullYear()).toBe(2188)
  })

  test('the 64-bit presets decode IDs that use the top bit', () => {
    const top = (1n << 64n) - 1n
    const parts = decodeSnowflake(top, 'discord')
    expect(parts.timestamp).toBe(1420070400000 + 2 ** 42 - 1)
    expect([parts.workerId, parts.processId, parts.increment]).toEqual([31, 31, 4095])
    expect(() => decodeSnowflake(top + 1n, 'discord')).toThrow(RangeError)
    expect(() => decodeSnowflake(1n << 63n, 'twitter')).toThrow(
      '`id` must be an integer from 0 to 9223372036854775807, got 9223372036854775808n',
    )
  })
})
