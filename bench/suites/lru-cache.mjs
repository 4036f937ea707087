// @hotpath/lru-cache against the LRU caches people use instead (shared/PEERS.md), on a full cache:
// get hits, sets that always evict, a 90/10 get/set stream over Zipf-skewed keys, and TTL on.
// Keys: dense integers 0..n, sparse 31-bit integers and short strings. Every competitor is first
// checked to be an LRU of the stated capacity (two-generation caches: their documented weaker
// contract), and each workload checks the answers its timed loop produced.
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { defineSuite } from '../lib/harness.mjs'
import { LIBS, makeKeys, rng, shuffled, zipf, zipfLoop } from './lru-cache/libs.mjs'

const N = 10_000 // capacity of every cache in the timed workloads
const ZIPF_KEYS = 100_000
// The stream must set more distinct keys than the cache holds, or eviction never matters: 1M
// operations set ~25,000 distinct keys (a 100k-op stream only ~4,400, all of which fit).
const ZIPF_OPS = 1_000_000
const ZIPF_CHUNK = 100_000 // operations per timed call; successive calls walk the stream
const ZIPF_S = 0.99 // YCSB's default skew
const TTL = 60_000

const GET_LOOP = `function () {
  let hits = 0
  for (let i = 0; i < order.length; i++) if (cache.get(order[i]) !== undefined) hits++
  return hits
}`
const SET_LOOP = `function () {
  const keys = (flip = !flip) ? b : a
  for (let i = 0; i < keys.length; i++) cache.set(keys[i], i)
  return keys
}`
const MAP_SET_LOOP = `function () {
  const keys = (flip = !flip) ? b : a
  const old = flip ? a : b
  for (let i = 0; i < keys.length; i++) { cache.delete(old[i]); cache.set(keys[i], i) }
  return keys
}`

// Each competitor gets its own copy of the loop (the tag makes V8 compile the source
// separately), so no loop's inline caches ever see another library's objects.
function makeGet(tag, cache, order) {
  return new Function('cache', 'order', `return ${GET_LOOP} // get ${tag}`)(cache, order)
}
function makeSet(tag, cache, a, b, loop = SET_LOOP) {
  return new Function('cache', 'a', 'b', `let flip = false; return ${loop} // set ${tag}`)(cache, a, b)
}
function makeZipf(tag, cache, stream, isSet, key = 'stream[i]') {
  return new Function(
    'cache',
    'stream',
    'isSet',
    `let pos = 0; return ${zipfLoop(key, ZIPF_CHUNK)} // zipf ${tag}`,
  )(cache, stream, isSet)
}

// ------------------------------------------------------------------ conformance
// A random get/set stream on a small cache, replayed on a reference LRU (a Map with delete + set
// on every access): an LRU of the stated capacity answers every get as the reference does and
// holds exactly its keys afterwards. Two-generation caches (quick-lru, hashlru) do not: they keep
// up to 2 × max entries and forget by generation, so they are reported but not ranked (the
// harness ranks only competitors whose check passes). Any wrong value fails every kind.
const conformance = new Map()
function conforms(lib) {
  if (conformance.has(lib.name)) return conformance.get(lib.name)
  const max = 64
  const keys = makeKeys('string', 256, 99)
  const random = rng(5)
  const cache = lib.make(max)
  const model = new Map()
  const last = new Map()
  let differing = 0
  let verdict = true
  for (let step = 0; step < 20_000 && verdict === true; step++) {
    const k = keys[Math.floor(random() * random() * keys.length)]
    if (random() < 0.5) {
      const got = cache.get(k)
      const want = model.get(k)
      if (want !== undefined) {
        model.delete(k)
        model.set(k, want)
      }
      if (got !== undefined && got !== last.get(k))
        verdict = `get returned ${got}, the last value set was ${last.get(k)}`
      if (got !== want) differing++
    } else {
      cache.set(k, step)
      last.set(k, step)
      model.delete(k)
      model.set(k, step)
      if (model.size > max) model.delete(model.keys().next().value)
    }
  }
  if (verdict === true) {
    const held = keys.filter((k) => lib.has(cache, k)).length
    if (differing || held !== model.size || ![...model.keys()].every((k) => lib.has(cache, k))) {
      verdict =
        `not an LRU of the stated capacity: with max ${max} it held ${held} entries (an LRU: ${model.size}) and ` +
        `${differing.toLocaleString('en-US')} of ~10,000 gets answered differently from an LRU`
    }
  }
  conformance.set(lib.name, verdict)
  return verdict
}

// ------------------------------------------------------------------ inputs

const zipfStream = (keyType) => zipf(keyType, { keys: ZIPF_KEYS, ops: ZIPF_OPS, skew: ZIPF_S })

const KEY_TYPES = [
  { type: 'dense', label: 'dense int keys 0..n' },
  { type: 'sparse', label: 'sparse 31-bit int keys' },
  { type: 'string', label: 'short string keys' },
]

// ------------------------------------------------------------------ workloads

function getWorkload({ type, label }, ttl = 0) {
  const libs = LIBS.filter((l) => !ttl || l.ttl)
  return {
    name: `get (hit), full cache of ${N.toLocaleString('en-US')}, ${label}${ttl ? ', TTL on' : ''}`,
    ops: N,
    input: () => {
      const keys = makeKeys(type, N, 21)
      return { keys, order: shuffled(keys, 22) }
    },
    competitors: [
      ...libs.map((lib) => {
        let cache
        return {
          name: lib.name,
          role: lib.role,
          ...(lib.package ? { package: lib.package } : {}),
          setup: ({ keys, order }) => {
            cache = lib.make(N, ttl)
            for (let i = 0; i < keys.length; i++) cache.set(keys[i], i + 1)
            return makeGet(`${lib.name} ${type} ${ttl}`, cache, order)
          },
          check: ({ keys }) => {
            const c = conforms(lib)
            if (c !== true) return c
            for (let i = 0; i < keys.length; i++) {
              if (cache.get(keys[i]) !== i + 1) return `get(${keys[i]}) missed on a full cache of ${N}`
            }
            return true
          },
        }
      }),
      {
        name: 'Map (baseline)',
        role: 'baseline',
        setup: ({ keys, order }) => {
          const cache = new Map()
          for (let i = 0; i < keys.length; i++) cache.set(keys[i], i + 1)
          return makeGet(`Map ${type} ${ttl}`, cache, order)
        },
      },
    ],
    note: ttl
      ? `Every entry has a ${TTL / 1000} s TTL, so each get also checks expiry; compare with the TTL-off row for the same keys. Peers without TTL support are left out.`
      : type === 'dense'
        ? 'Object-keyed caches (mnemonist LRUCache, tiny-lru, hashlru) store small dense integers as array elements of a plain object, which is faster to index than any Map; the goal is set against the Map-backed peers (lru-cache, mnemonist LRUMap, lru.min, quick-lru).'
        : undefined,
  }
}

function setWorkload({ type, label }, ttl = 0) {
  const libs = LIBS.filter((l) => !ttl || l.ttl)
  return {
    name: `set into a full cache of ${N.toLocaleString('en-US')} (every set evicts), ${label}${ttl ? ', TTL on' : ''}`,
    ops: N,
    input: () => {
      const keys = makeKeys(type, 2 * N, 31)
      return { a: keys.slice(0, N), b: keys.slice(N) }
    },
    competitors: [
      ...libs.map((lib) => {
        let cache
        return {
          name: lib.name,
          role: lib.role,
          ...(lib.package ? { package: lib.package } : {}),
          setup: ({ a, b }) => {
            cache = lib.make(N, ttl)
            for (let i = 0; i < a.length; i++) cache.set(a[i], i)
            return makeSet(`${lib.name} ${type} ${ttl}`, cache, a, b)
          },
          check: ({ a, b }) => {
            const c = conforms(lib)
            if (c !== true) return c
            // The timed loop alternates halves; whichever ran last must be held in full.
            const last = lib.has(cache, a[N - 1]) && lib.has(cache, a[0]) ? a : b
            for (let i = 0; i < N; i++)
              if (!lib.has(cache, last[i])) return `lost ${last[i]}, set within the last ${N}`
            if (lib.kind !== 'approx' && lib.size(cache) !== N)
              return `holds ${lib.size(cache)} entries, max is ${N}`
            return true
          },
        }
      }),
      {
        name: 'Map (baseline)',
        role: 'baseline',
        setup: ({ a, b }) => {
          const cache = new Map()
          for (let i = 0; i < a.length; i++) cache.set(a[i], i)
          return makeSet(`Map ${type} ${ttl}`, cache, a, b, MAP_SET_LOOP)
        },
      },
    ],
    note: `Baseline: one Map delete (the evicted key) plus one Map set per operation, the least an LRU over a Map can do. quick-lru and hashlru are two-generation caches, not LRUs of the stated size (hence not ranked): they hold up to 2 × max entries and drop a whole generation at once instead of evicting on each set, which lets them undercut even one Map delete + set per operation.${ttl ? ` Every entry gets a ${TTL / 1000} s TTL.` : ''}`,
  }
}

// fresh: string keys arrive as new string objects, built per operation (as from a request), instead of
// the same string objects again and again. A Map hashes a new string once per lookup either way; an
// object-keyed cache must first find the string's internalized copy (a second hash-table probe), which it
// skips for string objects it has already seen as property keys. The fresh-keys row shows that cost.
function zipfWorkload({ type, label }, fresh = false) {
  const FRESH_PREFIX = 'u:'
  const inputs = () => {
    const input = zipfStream(type)
    if (!fresh) return input
    // The timed loop gets the suffixes and builds each key; replay() and checks get the keys.
    const suffixes = input.stream.map((k) => k.slice(FRESH_PREFIX.length))
    return { ...input, suffixes }
  }
  const timedStream = (input) => (fresh ? input.suffixes : input.stream)
  const keyExpr = fresh ? `'${FRESH_PREFIX}' + stream[i]` : 'stream[i]'
  const replay = (cache, { stream, isSet }) => {
    let gets = 0
    let hits = 0
    for (let i = 0; i < stream.length; i++) {
      if (isSet[i] === 0) {
        gets++
        if (cache.get(stream[i]) !== undefined) hits++
      } else cache.set(stream[i], i)
    }
    return { gets, hits }
  }
  const hitRate = (make, input) => {
    const cache = make()
    replay(cache, input) // warm to steady state, then measure one pass
    const { gets, hits } = replay(cache, input)
    return { hitRate: Math.round((hits / gets) * 10_000) / 10_000 }
  }
  return {
    name: `90% get / 10% set, Zipf(${ZIPF_S}) over ${ZIPF_KEYS.toLocaleString('en-US')} ${label}${fresh ? ' built per operation' : ''}, capacity ${N.toLocaleString('en-US')}`,
    ops: ZIPF_CHUNK,
    input: inputs,
    competitors: [
      ...LIBS.map((lib) => ({
        name: lib.name,
        role: lib.role,
        ...(lib.package ? { package: lib.package } : {}),
        setup: (input) => {
          const cache = lib.make(N)
          replay(cache, input)
          return makeZipf(`${lib.name} ${type} ${fresh}`, cache, timedStream(input), input.isSet, keyExpr)
        },
        check: (input) => {
          const c = conforms(lib)
          if (c !== true) return c
          // Every true LRU of the same capacity must score exactly the reference's hits.
          const reference = hitRate(() => LIBS[0].make(N), input).hitRate
          const own = hitRate(() => lib.make(N), input).hitRate
          return own === reference || `hit rate ${own}, an LRU of ${N} scores ${reference}`
        },
        metrics: (input) => hitRate(() => lib.make(N), input),
      })),
      {
        name: 'Map (baseline)',
        role: 'baseline',
        setup: (input) => {
          const cache = new Map()
          replay(cache, input)
          return makeZipf(`Map ${type} ${fresh}`, cache, timedStream(input), input.isSet, keyExpr)
        },
        metrics: (input) => hitRate(() => new Map(), input),
      },
    ],
    note: `${fresh ? `Same stream as the row above, but each key is built in the timed loop (\`'u:' + suffix\`), a new string object per operation as when keys come from requests. Object-keyed caches lose their edge here: for a string they have not seen as a property key, V8 first looks up its internalized copy, a second hash lookup that a Map does not need. ` : ''}The stream is fixed (seeded) and shared: ${ZIPF_OPS.toLocaleString('en-US')} operations, 10% of them sets, keys drawn with Zipf skew ${ZIPF_S} (YCSB's default); each timed call runs the next ${ZIPF_CHUNK.toLocaleString('en-US')}. The sets touch ~25,000 distinct keys, so the cache of ${N.toLocaleString('en-US')} keeps evicting. Hit rate (gets that found a value) is measured on a second pass over the whole stream. The baseline is an unbounded Map (no eviction, no recency), hence its higher hit rate; quick-lru and hashlru keep up to 2 × capacity entries, hence theirs.`,
  }
}

function memoryTable() {
  return async ({ quick }) => {
    const count = quick ? 100_000 : 1_000_000
    const runs = quick ? 1 : 3
    const script = join(import.meta.dirname, 'lru-cache', 'memory.mjs')
    const names = [...LIBS.map((l) => l.name), 'Map (baseline)']
    const rows = []
    for (const name of names) {
      const row = [name]
      for (const keyType of ['dense', 'string']) {
        const figures = []
        for (let r = 0; r < runs; r++) {
          const out = execFileSync(process.execPath, ['--expose-gc', script, name, keyType, String(count)], {
            encoding: 'utf8',
          })
          const result = JSON.parse(out.trim().split('\n').at(-1))
          if (!result.complete) throw new Error(`${name} lost entries while filling`)
          figures.push(result.bytesPerEntry)
        }
        figures.sort((x, y) => x - y)
        row.push(Math.round(figures[figures.length >> 1] * 10) / 10)
      }
      const lib = LIBS.find((l) => l.name === name)
      row.push(
        lib
          ? { map: 'Map + slot arrays', object: 'object + node objects', approx: 'two generations' }[lib.kind]
          : 'Map only',
      )
      rows.push(row)
    }
    rows.sort((x, y) => x[1] - y[1])
    return [
      {
        title: `Retained bytes per entry at ${count.toLocaleString('en-US')} entries`,
        columns: ['library', 'bytes/entry, int keys 0..n', 'bytes/entry, string keys', 'structure'],
        rows,
        note: `Each figure is the median of ${runs} child processes (node --expose-gc): heap plus ArrayBuffer bytes after filling a cache of max ${count.toLocaleString('en-US')} with that many keys, minus before; keys are created before the first reading and values are small integers, so only the structure is counted. Object-keyed caches store dense integer keys as array elements, which is why their int-key figure is small.`,
      },
    ]
  }
}

export default defineSuite({
  name: 'lru-cache',
  workloads: [
    ...KEY_TYPES.map((k) => getWorkload(k)),
    ...KEY_TYPES.map((k) => setWorkload(k)),
    zipfWorkload(KEY_TYPES[2]),
    zipfWorkload(KEY_TYPES[2], true),
    zipfWorkload(KEY_TYPES[1]),
    getWorkload(KEY_TYPES[2], TTL),
    setWorkload(KEY_TYPES[2], TTL),
  ],
  tables: memoryTable(),
})
