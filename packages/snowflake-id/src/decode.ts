import { type CompiledLayout, compileLayout, type FieldsOf, type LayoutSpec } from './layout.js'
import { show } from './validate.js'

/**
 * A decoded ID: the timestamp in Unix ms, the same instant as a `Date`, and every field of the layout
 * by name (the sequence included).
 *
 * `date` is computed on access (a getter), so decoding allocates no `Date` you do not read; it is
 * therefore not an own property and `JSON.stringify` / spreads leave it out.
 */
export type SnowflakeParts<F extends string = string> = {
  /** When the ID was made, in Unix ms (rounded down to the layout's time unit). */
  readonly timestamp: number
  /** `new Date(timestamp)`, a fresh object on every access. */
  readonly date: Date
} & { readonly [K in F]: number }

/** The accepted forms of an ID: a bigint, a decimal string, or a number that is a safe integer. */
export type SnowflakeInput = bigint | string | number

class DecodedSnowflake {
  readonly timestamp: number
  constructor(timestamp: number) {
    this.timestamp = timestamp
  }
  get date(): Date {
    return new Date(this.timestamp)
  }
}

type Decoder = (id: unknown) => DecodedSnowflake

// One 64-bit slot viewed as two 32-bit halves: storing a bigint and reading the halves back splits it
// without allocating (a `>> 32n` would allocate two bigints).
const b64 = new BigUint64Array(1)
const u32 = new Uint32Array(b64.buffer)
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1
const LO = LITTLE_ENDIAN ? 0 : 1
const HI = LITTLE_ENDIAN ? 1 : 0

/** Converts an accepted ID form to a bigint in [0, maxId], or throws a TypeError / RangeError. */
export function toBigIntId(id: unknown, maxId: bigint): bigint {
  let value: bigint
  if (typeof id === 'bigint') {
    value = id
  } else if (typeof id === 'string') {
    value = parseDecimal(id)
  } else if (typeof id === 'number') {
    if (!Number.isSafeInteger(id)) {
      throw new RangeError(
        Number.isInteger(id)
          ? `\`id\` as a number must be a safe integer (at most 2^53 - 1); ${id} has already lost precision, so pass the ID as a bigint or a decimal string`
          : `\`id\` must be a non-negative integer, got ${show(id)}`,
      )
    }
    value = BigInt(id)
  } else {
    throw new TypeError(`\`id\` must be a bigint, a decimal string or a safe integer, got ${show(id)}`)
  }
  if (value < 0n || value > maxId) throw outOfRange(id, maxId)
  return value
}

function outOfRange(id: unknown, maxId: bigint): RangeError {
  return new RangeError(`\`id\` must be an integer from 0 to ${maxId}, got ${show(id)}`)
}

function parseDecimal(id: string): bigint {
  const n = id.length
  // BigInt() alone would also take "0x1f", "0b1", " 12 " and "" (as 0n), none of which is an ID.
  let ok = n > 0 && n <= 20
  for (let i = 0; ok && i < n; i++) {
    const c = id.charCodeAt(i)
    ok = c >= 48 && c <= 57
  }
  if (!ok) throw new TypeError(`\`id\` as a string must be 1 to 20 decimal digits, got ${show(id)}`)
  return BigInt(id)
}

const decoders = new WeakMap<CompiledLayout, Decoder>()

/** The decoder of a compiled layout (built once per layout). */
export function decoderFor(layout: CompiledLayout): Decoder {
  let decoder = decoders.get(layout)
  if (decoder === undefined) {
    decoder = layout.lowBits < 32 ? fastDecoder(layout) : bigintDecoder(layout)
    decoders.set(layout, decoder)
  }
  return decoder
}

// The halves of the last ID parsed by splitDecimal (module slots: no object per call).
let parsedHi = 0
let parsedLo = 0
const TWO_20 = 2 ** 20
const TWO_32 = 2 ** 32
// Multiplying by an exact power-of-two inverse gives the same result as dividing, and is cheaper.
const INV_20 = 2 ** -20
const INV_12 = 2 ** -12

/**
 * Parses 1 to 20 decimal digits into 32-bit halves (parsedHi may exceed 32 bits for values of 2^64
 * and more; the caller's range check rejects those). Returns false when `s` is not all digits.
 * Number arithmetic only (no bigint is allocated), every intermediate exact below 2^53.
 */
function splitDecimal(s: string): boolean {
  const n = s.length
  if (n === 0 || n > 20) return false
  // Three chunks of at most 9 digits, from the right: value = (c0 * 1e9 + c1) * 1e9 + c2. Each is
  // accumulated in int32, whose multiply-add is a shorter dependency chain than a double's.
  const end0 = n > 18 ? n - 18 : 0
  const end1 = n > 9 ? n - 9 : 0
  let c0 = 0
  let c1 = 0
  let c2 = 0
  let i = 0
  for (; i < end0; i++) {
    const d = (s.charCodeAt(i) - 48) | 0
    if (d >>> 0 > 9) return false
    c0 = (c0 * 10 + d) | 0
  }
  for (; i < end1; i++) {
    const d = (s.charCodeAt(i) - 48) | 0
    if (d >>> 0 > 9) return false
    c1 = (c1 * 10 + d) | 0
  }
  for (; i < n; i++) {
    const d = (s.charCodeAt(i) - 48) | 0
    if (d >>> 0 > 9) return false
    c2 = (c2 * 10 + d) | 0
  }
  // a = c0 * 1e9 + c1 < 1e11. With a = a1 * 2^20 + a0: value = (a1 * 1e9) * 2^20 + (a0 * 1e9 + c2),
  // both products below 2^53; then carry the second term's high part into 2^20 units.
  const a = c0 * 1e9 + c1
  const a1 = Math.floor(a * INV_20)
  const y = (a - a1 * TWO_20) * 1e9 + c2
  const yh = Math.floor(y * INV_20)
  const top = a1 * 1e9 + yh
  parsedHi = Math.floor(top * INV_12)
  parsedLo = (top - parsedHi * 4096) * TWO_20 + (y - yh * TWO_20)
  return true
}

// Everything below the timestamp sits in the low 32 bits, so each field is one shift and one mask of
// a 32-bit number, and the timestamp is hi * 2^(32 - lowBits) + (lo >>> lowBits), exact in a double.
function fastDecoder(layout: CompiledLayout): Decoder {
  const { epoch, unit, lowBits, maxId, fields, totalBits } = layout
  const hiScale = 2 ** (32 - lowBits)
  // The ID is in range when hi < hiLimit and lo < loLimit.
  const hiLimit = totalBits >= 32 ? 2 ** (totalBits - 32) : 1
  const loLimit = totalBits >= 32 ? TWO_32 : 2 ** totalBits
  const names = fields.map((f) => f.name)
  const shifts = fields.map((f) => f.shift)
  const masks = fields.map((f) => f.max)
  const ts = (hi: number, lo: number): number => (hi * hiScale + (lo >>> lowBits)) * unit + epoch
  // Unrolled for the common field counts so each store site sees one property name and stays
  // monomorphic; a loop over names would make the store megamorphic.
  let build: (hi: number, lo: number) => DecodedSnowflake
  if (fields.length === 2) {
    const [n0, n1] = names as [string, string]
    const [s0, s1] = shifts as [number, number]
    const [m0, m1] = masks as [number, number]
    build = (hi, lo) => {
      const p = new DecodedSnowflake(ts(hi, lo)) as DecodedSnowflake & Record<string, number>
      p[n0] = (lo >>> s0) & m0
      p[n1] = (lo >>> s1) & m1
      return p
    }
  } else if (fields.length === 3) {
    const [n0, n1, n2] = names as [string, string, string]
    const [s0, s1, s2] = shifts as [number, number, number]
    const [m0, m1, m2] = masks as [number, number, number]
    build = (hi, lo) => {
      const p = new DecodedSnowflake(ts(hi, lo)) as DecodedSnowflake & Record<string, number>
      p[n0] = (lo >>> s0) & m0
      p[n1] = (lo >>> s1) & m1
      p[n2] = (lo >>> s2) & m2
      return p
    }
  } else {
    build = (hi, lo) => {
      const p = new DecodedSnowflake(ts(hi, lo)) as DecodedSnowflake & Record<string, number>
      for (let i = 0; i < names.length; i++) p[names[i]!] = (lo >>> shifts[i]!) & masks[i]!
      return p
    }
  }
  return (id) => {
    let hi: number
    let lo: number
    // `asUintN(64, id) === id` compiles to 64-bit machine operations; `id >= 0n && id <= max`
    // does not (it calls into the runtime), and costs as much as the rest of the decode.
    if (typeof id === 'bigint' && BigInt.asUintN(64, id) === id) {
      b64[0] = id
      hi = u32[HI]!
      lo = u32[LO]!
    } else if (typeof id === 'string' && splitDecimal(id)) {
      hi = parsedHi
      lo = parsedLo
    } else {
      // Safe-integer numbers, and every error message.
      b64[0] = toBigIntId(id, maxId)
      hi = u32[HI]!
      lo = u32[LO]!
    }
    if (hi >= hiLimit || lo >= loLimit) throw outOfRange(id, maxId)
    return build(hi, lo)
  }
}

// Layouts with 32 or more bits below the timestamp: plain bigint arithmetic, correct for any width.
function bigintDecoder(layout: CompiledLayout): Decoder {
  const { epoch, unit, lowBits, maxId, fields } = layout
  const lowShift = BigInt(lowBits)
  const parts = fields.map((f) => ({
    name: f.name,
    shift: BigInt(f.shift),
    mask: (1n << BigInt(f.bits)) - 1n,
  }))
  return (id) => {
    const value = toBigIntId(id, maxId)
    const p = new DecodedSnowflake(Number(value >> lowShift) * unit + epoch) as DecodedSnowflake &
      Record<string, number>
    for (const { name, shift, mask } of parts) p[name] = Number((value >> shift) & mask)
    return p
  }
}

/**
 * Decodes an ID made with a preset or a layout: its timestamp (Unix ms), `date`, and every field.
 *
 * The ID may be a bigint, a decimal string, or a number only when it is a safe integer: a larger
 * number has already been rounded (JSON.parse does that to 64-bit IDs), so it is refused rather than
 * decoded into a wrong time and worker. `overrides` replaces the layout's epoch or time unit, for
 * IDs made by a generator that had those options.
 *
 * @example
 * ```ts
 * import { decodeSnowflake } from '@hotpath/snowflake-id'
 *
 * // The example ID of Discord's API documentation.
 * const parts = decodeSnowflake('175928847299117063', 'discord')
 * parts.date.toISOString() // '2016-04-30T11:18:25.796Z'
 * parts.workerId // 1
 * parts.processId // 0
 * parts.increment // 7
 *
 * // IDs of a generator built with its own epoch:
 * decodeSnowflake('7146020274176000', 'twitter', { epoch: Date.UTC(2024, 0, 1) }).date.toISOString()
 * // '2024-01-20T17:15:44.000Z'
 * ```
 */
export function decodeSnowflake<const L extends LayoutSpec>(
  id: SnowflakeInput,
  layout: L,
  overrides?: { readonly epoch?: number; readonly timeUnitMs?: 1 | 10 },
): SnowflakeParts<FieldsOf<L>> {
  const compiled = compileLayout(layout, 'layout', overrides)
  return decoderFor(compiled)(id) as unknown as SnowflakeParts<FieldsOf<L>>
}
