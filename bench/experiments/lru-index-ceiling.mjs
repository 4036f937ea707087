// How fast can a Map-indexed LRU be on the Zipf workload of the lru-cache suite? Issue #3 asks for
// >= 1.2x mnemonist LRUMap there while prescribing a `Map<K, index>` plus typed-array links. This
// experiment times, on the suite's exact Zipf stream (string keys, capacity 10,000):
//
//   - mnemonist LRUMap and @hotpath/lru-cache (built; run `npm run build` first),
//   - `minimal Map LRU`: the least such a cache can do (Map index, Int32Array links, no TTL, no
//     counters, no options, no validation) — the ceiling of the prescribed structure,
//   - `minimal object LRU`: the same code with a null-prototype object as the index,
//
// each with the suite's reused key objects and with keys built per operation ('u:' + suffix, a new
// string object each time, as keys from requests are). Interleaved rounds, medians, ratios to
// mnemonist LRUMap. Usage: node bench/experiments/lru-index-ceiling.mjs [rounds]
import { LRUCache } from '@hotpath/lru-cache'
import { LRUMap } from 'mnemonist'
import { zipf, zipfLoop } from '../suites/lru-cache/libs.mjs'

const N = 10_000
const KEYS = 100_000
const OPS = 1_000_000
const CHUNK = 100_000
const ROUNDS = Number(process.argv[2] ?? 15)

function minimalLRU(objectIndex) {
  // One class per index kind (two literals), so neither sees the other's shapes.
  const MapIndexed = class {
    constructor(max) {
      this.max = max
      this.idx = new Map()
      this.keys = new Array(max).fill(undefined)
      this.vals = new Array(max).fill(undefined)
      this.next = new Int32Array(max)
      this.prev = new Int32Array(max)
      this.head = 0
      this.tail = 0
      this.size = 0
    }
    get(k) {
      const i = this.idx.get(k)
      if (i === undefined) return undefined
      if (i !== this.tail) this.move(i)
      return this.vals[i]
    }
    move(i) {
      const n = this.next[i]
      if (i === this.head) this.head = n
      else {
        const p = this.prev[i]
        this.next[p] = n
        this.prev[n] = p
      }
      this.next[this.tail] = i
      this.prev[i] = this.tail
      this.tail = i
    }
    set(k, v) {
      const i = this.idx.get(k)
      if (i !== undefined) {
        this.vals[i] = v
        if (i !== this.tail) this.move(i)
        return this
      }
      let j
      if (this.size === this.max) {
        j = this.head
        this.idx.delete(this.keys[j])
        this.head = this.next[j]
        this.next[this.tail] = j
        this.prev[j] = this.tail
      } else {
        j = this.size++
        if (j > 0) {
          this.next[this.tail] = j
          this.prev[j] = this.tail
        }
      }
      this.tail = j
      this.idx.set(k, j)
      this.keys[j] = k
      this.vals[j] = v
      return this
    }
  }
  const ObjectIndexed = class extends MapIndexed {
    constructor(max) {
      super(max)
      this.idx = Object.create(null)
    }
    get(k) {
      const i = this.idx[k]
      if (i === undefined) return undefined
      if (i !== this.tail) this.move(i)
      return this.vals[i]
    }
    set(k, v) {
      const i = this.idx[k]
      if (i !== undefined) {
        this.vals[i] = v
        if (i !== this.tail) this.move(i)
        return this
      }
      let j
      if (this.size === this.max) {
        j = this.head
        delete this.idx[this.keys[j]]
        this.head = this.next[j]
        this.next[this.tail] = j
        this.prev[j] = this.tail
      } else {
        j = this.size++
        if (j > 0) {
          this.next[this.tail] = j
          this.prev[j] = this.tail
        }
      }
      this.tail = j
      this.idx[k] = j
      this.keys[j] = k
      this.vals[j] = v
      return this
    }
  }
  return objectIndex ? ObjectIndexed : MapIndexed
}

// The suite's stream: same seeds, same keys.
const { stream, isSet } = zipf('string', { keys: KEYS, ops: OPS, skew: 0.99 })
const suffixes = stream.map((k) => k.slice(2))

const caches = [
  ['mnemonist LRUMap', () => new LRUMap(N)],
  ['@hotpath/lru-cache', () => new LRUCache({ max: N })],
  ['minimal Map LRU', () => new (minimalLRU(false))(N)],
  ['minimal object LRU', () => new (minimalLRU(true))(N)],
]
for (const fresh of [false, true]) {
  const timed = caches.map(([name, make]) => {
    const cache = make()
    const run = new Function(
      'cache',
      'stream',
      'isSet',
      `let pos = 0; return ${zipfLoop(fresh ? "'u:' + stream[i]" : 'stream[i]', CHUNK)} // ${name} ${fresh}`,
    )(cache, fresh ? suffixes : stream, isSet)
    for (let w = 0; w < 20; w++) run() // two passes over the stream: steady state, optimized code
    return { name, run, samples: [] }
  })
  for (let round = 0; round < ROUNDS; round++)
    for (let c = 0; c < timed.length; c++) {
      const t = timed[(c + round) % timed.length]
      const start = process.hrtime.bigint()
      for (let k = 0; k < 5; k++) t.run()
      t.samples.push((5 * CHUNK * 1e9) / Number(process.hrtime.bigint() - start))
    }
  const median = (a) => a.sort((x, y) => x - y)[a.length >> 1]
  const reference = median(timed[0].samples)
  console.log(
    `\nZipf(0.99), 90% get / 10% set, string keys ${fresh ? 'built per operation' : 'reused (the suite row)'}`,
  )
  for (const t of timed) {
    const m = median(t.samples)
    console.log(
      `  ${t.name.padEnd(20)} ${(m / 1e6).toFixed(2).padStart(6)} M ops/s  ${(m / reference).toFixed(2)}x`,
    )
  }
}
