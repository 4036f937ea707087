import { checkInteger, show } from './validate.js'

/** The built-in layouts, by name. */
export type PresetName = 'twitter' | 'discord' | 'sonyflake' | 'instagram'

/** The field names of each built-in layout (the sequence field included). */
export interface PresetFieldNames {
  /** 5 bits of datacenter, 5 of worker, 12 of sequence. */
  twitter: 'datacenterId' | 'workerId' | 'sequence'
  /** 5 bits of worker, 5 of process, 12 of increment (the sequence). */
  discord: 'workerId' | 'processId' | 'increment'
  /** 8 bits of sequence, then 16 of machine. */
  sonyflake: 'sequence' | 'machineId'
  /** 13 bits of shard, 10 of sequence. */
  instagram: 'shardId' | 'sequence'
}

/** One field below the timestamp: a name and a width in bits. */
export interface SnowflakeField<F extends string = string> {
  /** The property name in decoded IDs and the option name in the generator (`workerId`, `shardId`, ...). */
  readonly name: F
  /** Width in bits, from 1 to 53 (so the value is exact as a JS number). */
  readonly bits: number
}

/**
 * How the bits of an ID are laid out. The timestamp always takes the top bits (that is what makes the
 * IDs sort by time); `fields` follow, most significant first, and one of them is the sequence that
 * counts IDs within a tick. A custom layout uses at most 63 bits so every ID fits a signed 64-bit
 * integer (Postgres `bigint`, Java `long`).
 *
 * @example
 * ```ts
 * import { Snowflake, type SnowflakeLayout } from '@hotpath/snowflake-id'
 *
 * // 41 bits of ms, 10 bits of shard, 12 bits of sequence.
 * const layout = {
 *   epoch: Date.UTC(2024, 0, 1),
 *   timestampBits: 41,
 *   fields: [{ name: 'shardId', bits: 10 }, { name: 'sequence', bits: 12 }],
 * } as const satisfies SnowflakeLayout
 * const ids = new Snowflake({ layout, fields: { shardId: 42 } })
 * ids.decode(ids.next()).shardId // 42
 * ```
 */
export interface SnowflakeLayout<F extends string = string> {
  /** The instant (Unix ms) the timestamp field counts from. */
  readonly epoch: number
  /** Length of one timestamp tick in ms: 1 (default), or 10 as Sonyflake. */
  readonly timeUnitMs?: 1 | 10
  /** Width of the timestamp field in bits. */
  readonly timestampBits: number
  /** The fields below the timestamp, most significant first; one of them is the sequence. */
  readonly fields: readonly SnowflakeField<F>[]
  /** The name of the field that counts IDs within one tick. Default `'sequence'`. */
  readonly sequence?: F
}

const twitter: SnowflakeLayout<PresetFieldNames['twitter']> = Object.freeze({
  epoch: 1288834974657,
  timeUnitMs: 1,
  timestampBits: 41,
  fields: Object.freeze([
    Object.freeze({ name: 'datacenterId', bits: 5 }),
    Object.freeze({ name: 'workerId', bits: 5 }),
    Object.freeze({ name: 'sequence', bits: 12 }),
  ] as const),
  sequence: 'sequence',
})

const discord: SnowflakeLayout<PresetFieldNames['discord']> = Object.freeze({
  epoch: 1420070400000,
  timeUnitMs: 1,
  timestampBits: 42,
  fields: Object.freeze([
    Object.freeze({ name: 'workerId', bits: 5 }),
    Object.freeze({ name: 'processId', bits: 5 }),
    Object.freeze({ name: 'increment', bits: 12 }),
  ] as const),
  sequence: 'increment',
})

const sonyflake: SnowflakeLayout<PresetFieldNames['sonyflake']> = Object.freeze({
  // Sonyflake's default start time, 2014-09-01T00:00:00Z.
  epoch: 1409529600000,
  timeUnitMs: 10,
  timestampBits: 39,
  // Sonyflake puts the sequence above the machine ID.
  fields: Object.freeze([
    Object.freeze({ name: 'sequence', bits: 8 }),
    Object.freeze({ name: 'machineId', bits: 16 }),
  ] as const),
  sequence: 'sequence',
})

const instagram: SnowflakeLayout<PresetFieldNames['instagram']> = Object.freeze({
  // The epoch of Instagram's "Sharding & IDs at Instagram" PL/pgSQL function.
  epoch: 1314220021721,
  timeUnitMs: 1,
  timestampBits: 41,
  fields: Object.freeze([
    Object.freeze({ name: 'shardId', bits: 13 }),
    Object.freeze({ name: 'sequence', bits: 10 }),
  ] as const),
  sequence: 'sequence',
})

/**
 * The built-in layouts, exactly as their authors published them:
 *
 * | preset      | timestamp           | fields (high → low)                      | epoch                    |
 * |-------------|---------------------|------------------------------------------|--------------------------|
 * | `twitter`   | 41 bits of ms       | datacenterId 5, workerId 5, sequence 12  | 1288834974657 (2010-11-04) |
 * | `discord`   | 42 bits of ms       | workerId 5, processId 5, increment 12    | 1420070400000 (2015-01-01) |
 * | `sonyflake` | 39 bits of 10 ms    | sequence 8, machineId 16                 | 1409529600000 (2014-09-01) |
 * | `instagram` | 41 bits of ms       | shardId 13, sequence 10                  | 1314220021721 (2011-08-24) |
 *
 * `discord` and `instagram` declare 64 bits. They decode over the full 64 bits, but the generator
 * stops (`ERR_END_OF_LIFE`) before an ID would need the top bit, so every generated ID still fits a
 * signed 64-bit integer; custom layouts are limited to 63 bits for the same reason.
 *
 * @example
 * ```ts
 * import { presets } from '@hotpath/snowflake-id'
 *
 * presets.discord.timestampBits // 42
 * presets.sonyflake.timeUnitMs // 10
 * ```
 */
export const presets: {
  /** Twitter's original snowflake: 41 bits of ms since 2010-11-04, datacenter 5, worker 5, sequence 12. */
  readonly twitter: SnowflakeLayout<PresetFieldNames['twitter']>
  /** Discord's: 42 bits of ms since 2015-01-01, worker 5, process 5, increment 12. */
  readonly discord: SnowflakeLayout<PresetFieldNames['discord']>
  /** Sony's Sonyflake: 39 bits of 10 ms since 2014-09-01, sequence 8, machine 16. */
  readonly sonyflake: SnowflakeLayout<PresetFieldNames['sonyflake']>
  /** Instagram's: 41 bits of ms since 2011-08-24, shard 13, sequence 10. */
  readonly instagram: SnowflakeLayout<PresetFieldNames['instagram']>
} = Object.freeze({ twitter, discord, sonyflake, instagram })

/** A preset's name or a layout object. */
export type LayoutSpec = PresetName | SnowflakeLayout

/** The field names of a layout spec (a preset name or a layout object). */
export type FieldsOf<L> = L extends PresetName
  ? PresetFieldNames[L]
  : L extends SnowflakeLayout<infer F>
    ? F
    : string

/** One field of a compiled layout, with its position. */
export interface CompiledField {
  readonly name: string
  readonly bits: number
  /** Bit position of the field's least significant bit. */
  readonly shift: number
  /** Largest value the field holds: 2^bits - 1. */
  readonly max: number
}

/** A validated layout with every derived figure the generator and the decoder need. */
export interface CompiledLayout {
  readonly name: string
  readonly epoch: number
  readonly unit: number
  readonly timestampBits: number
  /** Bits below the timestamp (the timestamp's shift). */
  readonly lowBits: number
  readonly totalBits: number
  readonly fields: readonly CompiledField[]
  readonly sequence: CompiledField
  /** The largest tick the generator may issue: the timestamp field's limit, and never the sign bit. */
  readonly maxTick: number
  /** The largest ID the layout can decode: 2^totalBits - 1. */
  readonly maxId: bigint
  /** The first instant (Unix ms) the generator cannot encode. */
  readonly endOfLifeMs: number
}

const PRESET_NAMES: readonly string[] = Object.keys(presets)
const RESERVED = new Set(['timestamp', 'date'])
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/
// The last instant a Date can represent; a layout that outlives it ends "never" for practical purposes.
const MAX_DATE_MS = 8.64e15

const compiled = new WeakMap<object, CompiledLayout>()
const overridden = new Map<string, CompiledLayout>()

/** Validates `spec` (a preset name or a layout object) and derives the figures; cached per object. */
export function compileLayout(
  spec: unknown,
  optionName = 'layout',
  overrides?: { readonly epoch?: number; readonly timeUnitMs?: 1 | 10 },
): CompiledLayout {
  if (typeof spec === 'string') {
    if (!PRESET_NAMES.includes(spec)) {
      throw new TypeError(`\`${optionName}\` must be one of ${PRESET_NAMES.join(', ')}, got ${show(spec)}`)
    }
    return compileLayout(presets[spec as PresetName], optionName, overrides)
  }
  if (typeof spec !== 'object' || spec === null) {
    throw new TypeError(
      `\`${optionName}\` must be a layout object { epoch, timestampBits, fields }, got ${show(spec)}`,
    )
  }
  const presetName = PRESET_NAMES.find((n) => presets[n as PresetName] === spec)
  if (overrides !== undefined) {
    if (typeof overrides !== 'object' || overrides === null) {
      throw new TypeError(`\`overrides\` must be an object { epoch?, timeUnitMs? }, got ${show(overrides)}`)
    }
    if (overrides.epoch !== undefined || overrides.timeUnitMs !== undefined) {
      const key = presetName && `${presetName}|${overrides.epoch}|${overrides.timeUnitMs}`
      const hit = key ? overridden.get(key) : undefined
      if (hit !== undefined) return hit
      // The overridden values are the caller's own options, so errors name them without a prefix.
      const merged = { ...(spec as SnowflakeLayout), ...overrides }
      const result = build(merged, presetName, optionName, {
        epoch: overrides.epoch !== undefined ? 'epoch' : undefined,
        timeUnitMs: overrides.timeUnitMs !== undefined ? 'timeUnitMs' : undefined,
      })
      if (key) {
        // A handful of epochs in practice; the bound only guards against a caller looping over many.
        if (overridden.size >= 64) overridden.clear()
        overridden.set(key, result)
      }
      return result
    }
  }
  const cached = compiled.get(spec)
  if (cached !== undefined) return cached
  const result = build(spec as SnowflakeLayout, presetName, optionName, {})
  // Only frozen objects are cached: a mutable layout could change after the first use.
  if (Object.isFrozen(spec) && Object.isFrozen((spec as SnowflakeLayout).fields)) compiled.set(spec, result)
  return result
}

function build(
  spec: SnowflakeLayout,
  presetName: string | undefined,
  o: string,
  names: { readonly epoch?: string | undefined; readonly timeUnitMs?: string | undefined },
): CompiledLayout {
  const epoch = spec.epoch
  if (typeof epoch !== 'number' || !Number.isSafeInteger(epoch) || epoch < 0) {
    const E = typeof epoch === 'number' ? RangeError : TypeError
    throw new E(
      `\`${names.epoch ?? `${o}.epoch`}\` must be a Unix time in ms (a non-negative integer), got ${show(epoch)}`,
    )
  }
  const unit = spec.timeUnitMs ?? 1
  if (unit !== 1 && unit !== 10) {
    const E = typeof unit === 'number' ? RangeError : TypeError
    throw new E(`\`${names.timeUnitMs ?? `${o}.timeUnitMs`}\` must be 1 or 10, got ${show(unit)}`)
  }
  const timestampBits = checkInteger(`${o}.timestampBits`, spec.timestampBits, 1, 62)
  if (!Array.isArray(spec.fields) || spec.fields.length === 0) {
    throw new TypeError(
      `\`${o}.fields\` must be a non-empty array of { name, bits }, got ${show(spec.fields)}`,
    )
  }
  const seen = new Set<string>()
  let lowBits = 0
  for (let i = 0; i < spec.fields.length; i++) {
    const field: unknown = spec.fields[i]
    if (typeof field !== 'object' || field === null) {
      throw new TypeError(`\`${o}.fields[${i}]\` must be an object { name, bits }, got ${show(field)}`)
    }
    const { name, bits } = field as SnowflakeField
    if (typeof name !== 'string' || !IDENTIFIER.test(name) || RESERVED.has(name)) {
      throw new TypeError(
        `\`${o}.fields[${i}].name\` must be an identifier other than "timestamp" and "date", got ${show(name)}`,
      )
    }
    if (seen.has(name)) throw new TypeError(`\`${o}.fields[${i}].name\` repeats the field name ${show(name)}`)
    seen.add(name)
    // At most 53 bits, so a field's value is exact as a JS number.
    lowBits += checkInteger(`${o}.fields[${i}].bits`, bits, 1, 53)
  }
  const totalBits = timestampBits + lowBits
  // The presets are taken as published, and two of them (discord, instagram) declare 64 bits.
  const bitLimit = presetName === undefined ? 63 : 64
  if (totalBits > bitLimit) {
    throw new RangeError(
      `\`${o}\` must use at most 63 bits in all (timestampBits + the fields' bits), got ${totalBits} (timestampBits ${timestampBits} + fields ${lowBits})`,
    )
  }
  const sequenceName = spec.sequence ?? 'sequence'
  if (!seen.has(sequenceName)) {
    throw new TypeError(
      `\`${o}.sequence\` must name one of the fields (${[...seen].join(', ')}), got ${show(sequenceName)}`,
    )
  }
  let shift = lowBits
  const fields: CompiledField[] = spec.fields.map(({ name, bits }) => {
    shift -= bits
    return Object.freeze({ name, bits, shift, max: 2 ** bits - 1 })
  })
  const sequence = fields.find((f) => f.name === sequenceName)!
  // Generated IDs never set bit 63, whatever the layout declares.
  const tickBits = Math.min(timestampBits, 63 - lowBits)
  const maxTick = Math.min(2 ** tickBits - 1, Number.MAX_SAFE_INTEGER)
  return Object.freeze({
    name: presetName ?? 'custom',
    epoch,
    unit,
    timestampBits,
    lowBits,
    totalBits,
    fields: Object.freeze(fields),
    sequence,
    maxTick,
    maxId: (1n << BigInt(totalBits)) - 1n,
    endOfLifeMs: Math.min(epoch + (maxTick + 1) * unit, MAX_DATE_MS),
  })
}

/**
 * The first instant a layout can no longer encode: after it, a generator with this layout throws
 * `ERR_END_OF_LIFE`. For the 64-bit presets this is when an ID would need the sign bit.
 *
 * @example
 * ```ts
 * import { endOfLife } from '@hotpath/snowflake-id'
 *
 * endOfLife('twitter').toISOString() // '2080-07-10T17:30:30.209Z'
 * endOfLife('sonyflake').getUTCFullYear() // 2188
 * ```
 */
export function endOfLife(layout: LayoutSpec): Date {
  return new Date(compileLayout(layout).endOfLifeMs)
}
