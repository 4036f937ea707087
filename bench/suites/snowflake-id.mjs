// IDs per second (bigint and decimal string, real clock) and decodes per second, against the
// snowflake generators people use instead, with UUIDv7 and ULID for context. Every generator is
// checked: its output over the timed runs must be strictly increasing (which rules out duplicates);
// a peer that is not gets a verification batch counted for duplicates and is flagged, not ranked.
import { createRequire } from 'node:module'
import { decodeSnowflake, Snowflake } from '@hotpath/snowflake-id'
import { Snowflake as SapphireSnowflake } from '@sapphire/snowflake'
import FlakeId from 'flake-idgen'
import { decodeTime, monotonicFactory } from 'ulid'
import { v7 as uuidv7 } from 'uuid'
import { defineSuite } from '../lib/harness.mjs'

// nodejs-snowflake is a CommonJS wasm-bindgen module without an ESM entry.
const { Snowflake: NodejsSnowflake } = createRequire(import.meta.url)('nodejs-snowflake')

const DISCORD_EPOCH = 1420070400000
// 12 bits of sequence per 1 ms tick: no single-worker generator of this layout can issue more
// without duplicates or a wider sequence.
const CEILING = 4096 * 1000
const BATCH = 65_536 // 16 ms of IDs at the ceiling per timed call
const VERIFY = 200_000

/**
 * Wraps one generator: a timed loop that tracks order (every ID vs the previous one) and a check
 * that reports order violations seen while timed, plus duplicates in a separate verification batch.
 */
function generator(name, role, make, { compare = (a, b) => a < b, pkg } = {}) {
  let violations = 0
  let produced = 0
  let next
  return {
    name,
    role,
    ...(pkg ? { package: pkg } : {}),
    setup: () => {
      next = make()
      let prev = next()
      return () => {
        let bad = 0
        for (let i = 0; i < BATCH; i++) {
          const id = next()
          if (!compare(prev, id)) bad++
          prev = id
        }
        violations += bad
        produced += BATCH
        return prev
      }
    },
    // CPU cost apart from the ceiling: 1,000 IDs (under every peer's per-ms capacity) from the start
    // of a fresh millisecond, median of 41 bursts.
    metrics: () => {
      const samples = []
      let last
      for (let k = 0; k < 41; k++) {
        const t = Date.now()
        while (Date.now() === t) {}
        const t0 = performance.now()
        for (let i = 0; i < 1000; i++) last = next()
        samples.push(((performance.now() - t0) * 1e6) / 1000)
      }
      samples.sort((a, b) => a - b)
      // `last` keeps the calls observable.
      return last === undefined ? {} : { 'ns/ID in a 1,000-ID burst': Math.round(samples[20]) }
    },
    check: () => {
      const out = new Array(VERIFY)
      for (let i = 0; i < VERIFY; i++) out[i] = next()
      const duplicates = VERIFY - new Set(out.map(String)).size
      if (violations === 0 && duplicates === 0) return true
      return (
        `${violations.toLocaleString('en-US')} of ${produced.toLocaleString('en-US')} timed IDs were not above the previous one, ` +
        `and a verification batch of ${VERIFY.toLocaleString('en-US')} held ${duplicates.toLocaleString('en-US')} duplicates: its speed comes from reusing IDs`
      )
    },
  }
}

// Numeric order of unsigned decimal strings: shorter is smaller, then character by character.
const decimalLess = (a, b) => a.length < b.length || (a.length === b.length && a < b)

// flake-idgen's synchronous next() throws when a millisecond's 4,096 IDs are used up; retrying until
// the clock moves on is how a caller gets an ID from it without the callback API.
function flakeNext(flake) {
  for (;;) {
    try {
      return flake.next()
    } catch {}
  }
}

const baseline = { name: '4,096 IDs per ms ceiling', role: 'baseline', fixedOpsPerSec: CEILING }

// Decode input: real Discord-layout IDs spread over a year, as a user would receive them.
function decodeInput() {
  const ids = []
  let t = Date.now() - 365 * 86_400_000
  const gen = new Snowflake({ preset: 'discord', workerId: 17, processId: 3, clock: () => t })
  for (let i = 0; i < 10_000; i++) {
    t += 3_153 + (i % 7)
    ids.push(gen.next())
  }
  return { ids, strings: ids.map(String), expected: ids.map((id) => Number(id >> 22n) + DISCORD_EPOCH) }
}

/** Checks a decoder against the expected timestamps and worker field of every input ID. */
function checkDecoder(decodeTs, decodeWorker, input, strings = false) {
  const src = strings ? input.strings : input.ids
  for (let i = 0; i < src.length; i += 97) {
    if (decodeTs(src[i]) !== input.expected[i]) return `wrong timestamp for ${src[i]}: ${decodeTs(src[i])}`
    if (decodeWorker && decodeWorker(src[i]) !== 17)
      return `wrong worker for ${src[i]}: ${decodeWorker(src[i])}`
  }
  return true
}

function decodeWorkload(strings) {
  const kind = strings ? 'decimal string' : 'bigint'
  const sapphire = new SapphireSnowflake(DISCORD_EPOCH)
  const ours = new Snowflake({ preset: 'discord' })
  return {
    name: `decode (${kind} in → timestamp ms + worker), 10k Discord IDs`,
    ops: 10_000,
    input: decodeInput,
    competitors: [
      {
        name: '@hotpath/snowflake-id',
        role: 'hotpath',
        setup: (input) => {
          const src = strings ? input.strings : input.ids
          return () => {
            let s = 0
            for (let i = 0; i < src.length; i++) {
              const p = ours.decode(src[i])
              s += p.timestamp + p.workerId
            }
            return s
          }
        },
        check: (input) =>
          checkDecoder(
            (id) => decodeSnowflake(id, 'discord').timestamp,
            (id) => ours.decode(id).workerId,
            input,
            strings,
          ),
      },
      {
        name: '@sapphire/snowflake',
        role: 'peer',
        setup: (input) => {
          const src = strings ? input.strings : input.ids
          return () => {
            let s = 0
            for (let i = 0; i < src.length; i++) {
              const p = sapphire.deconstruct(src[i])
              s += Number(p.timestamp) + Number(p.workerId)
            }
            return s
          }
        },
        check: (input) =>
          checkDecoder(
            (id) => Number(sapphire.deconstruct(id).timestamp),
            (id) => Number(sapphire.deconstruct(id).workerId),
            input,
            strings,
          ),
      },
      {
        name: 'nodejs-snowflake',
        role: 'peer',
        // Its layout: 42 bits of ms, a 12-bit instance, a 10-bit sequence; on a Discord ID the
        // instance holds worker (5) + process (5) + the top 2 increment bits, so >> 7 is the worker.
        setup: (input) => {
          const src = input.ids
          const strs = input.strings
          return strings
            ? () => {
                let s = 0
                for (let i = 0; i < strs.length; i++) {
                  const id = BigInt(strs[i])
                  s +=
                    NodejsSnowflake.timestampFromID(id, DISCORD_EPOCH) +
                    (NodejsSnowflake.instanceIDFromID(id) >> 7)
                }
                return s
              }
            : () => {
                let s = 0
                for (let i = 0; i < src.length; i++) {
                  const id = src[i]
                  s +=
                    NodejsSnowflake.timestampFromID(id, DISCORD_EPOCH) +
                    (NodejsSnowflake.instanceIDFromID(id) >> 7)
                }
                return s
              }
        },
        check: (input) =>
          checkDecoder(
            (id) => NodejsSnowflake.timestampFromID(BigInt(id), DISCORD_EPOCH),
            (id) => NodejsSnowflake.instanceIDFromID(BigInt(id)) >> 7,
            input,
            strings,
          ),
      },
      ...(strings
        ? [
            {
              name: 'ulid decodeTime (context: its own 26-char IDs)',
              role: 'peer',
              package: 'ulid',
              context: true,
              setup: () => {
                const gen = monotonicFactory()
                const ulids = Array.from({ length: 10_000 }, () => gen())
                return () => {
                  let s = 0
                  for (let i = 0; i < ulids.length; i++) s += decodeTime(ulids[i])
                  return s
                }
              },
            },
          ]
        : []),
      {
        name: 'bare shift + Number (timestamp only, no validation)',
        role: 'baseline',
        setup: (input) => {
          const src = input.ids
          const strs = input.strings
          return strings
            ? () => {
                let s = 0
                for (let i = 0; i < strs.length; i++) s += Number(BigInt(strs[i]) >> 22n) + DISCORD_EPOCH
                return s
              }
            : () => {
                let s = 0
                for (let i = 0; i < src.length; i++) s += Number(src[i] >> 22n) + DISCORD_EPOCH
                return s
              }
        },
      },
    ],
    note:
      'Each decoder turns every ID into its timestamp in ms (a number) and its worker field. @hotpath/snowflake-id validates the input and returns an object with every field and a `date` getter; @sapphire/snowflake returns bigints (converted with Number()); nodejs-snowflake decodes one field per wasm call and takes only bigints (strings go through BigInt() first).' +
      (strings ? ' ulid decodes its own 26-character IDs: context, not the same work.' : ''),
  }
}

export default defineSuite({
  name: 'snowflake-id',
  workloads: [
    {
      name: 'next() as bigint, real clock (one worker)',
      ops: BATCH,
      competitors: [
        generator('@hotpath/snowflake-id', 'hotpath', () => {
          const ids = new Snowflake({ preset: 'discord', workerId: 1, processId: 2 })
          return () => ids.next()
        }),
        generator('@sapphire/snowflake', 'peer', () => {
          const sf = new SapphireSnowflake(DISCORD_EPOCH)
          return () => sf.generate()
        }),
        generator('nodejs-snowflake', 'peer', () => {
          const sf = new NodejsSnowflake({ custom_epoch: DISCORD_EPOCH, instance_id: 33 })
          return () => sf.getUniqueID()
        }),
        generator(
          'flake-idgen (Buffer → readBigUInt64BE)',
          'peer',
          () => {
            const flake = new FlakeId({ id: 33, epoch: DISCORD_EPOCH })
            return () => flakeNext(flake).readBigUInt64BE(0)
          },
          { pkg: 'flake-idgen' },
        ),
        baseline,
      ],
      note: 'The baseline is not code: it is the 4,096 IDs per millisecond that a 12-bit sequence allows one worker, so "vs baseline" is the share of the physical ceiling reached with the real clock. Every timed ID is compared with the previous one; @sapphire/snowflake wraps its 12-bit increment instead of waiting for the next millisecond, so above 4,096 IDs/ms it repeats IDs and is flagged. nodejs-snowflake has a 10-bit sequence (its own ceiling is 1.024 M/s). flake-idgen throws when a millisecond is used up; the loop retries until the clock moves.',
    },
    {
      name: 'nextString() as decimal string, real clock (one worker)',
      ops: BATCH,
      competitors: [
        generator(
          '@hotpath/snowflake-id',
          'hotpath',
          () => {
            const ids = new Snowflake({ preset: 'discord', workerId: 1, processId: 2 })
            return () => ids.nextString()
          },
          { compare: decimalLess },
        ),
        generator(
          '@sapphire/snowflake',
          'peer',
          () => {
            const sf = new SapphireSnowflake(DISCORD_EPOCH)
            return () => sf.generate().toString()
          },
          { compare: decimalLess },
        ),
        generator(
          'nodejs-snowflake',
          'peer',
          () => {
            const sf = new NodejsSnowflake({ custom_epoch: DISCORD_EPOCH, instance_id: 33 })
            return () => sf.getUniqueID().toString()
          },
          { compare: decimalLess },
        ),
        generator(
          'flake-idgen (Buffer → decimal)',
          'peer',
          () => {
            const flake = new FlakeId({ id: 33, epoch: DISCORD_EPOCH })
            return () => flakeNext(flake).readBigUInt64BE(0).toString()
          },
          { compare: decimalLess, pkg: 'flake-idgen' },
        ),
        generator('uuid v7 (context: 128-bit, 36 chars)', 'peer', () => uuidv7, { pkg: 'uuid' }),
        generator('ulid monotonic (context: 128-bit, 26 chars)', 'peer', () => monotonicFactory(), {
          pkg: 'ulid',
        }),
        baseline,
      ],
      note: 'Same ceiling and checks as the bigint row, on the string form an API puts in JSON. uuid v7 and ulid are 128-bit IDs with random bits and no worker field; they are here for context (they have no 4,096/ms ceiling) and are ordered by plain string comparison.',
    },
    decodeWorkload(false),
    decodeWorkload(true),
  ],
})
