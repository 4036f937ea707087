// Retained bytes per entry of one cache library, measured in its own process:
//   node --expose-gc bench/suites/lru-cache/memory.mjs <library name> <dense|string> <entries>
// Keys are created (and kept) before the first measurement and values are small integers,
// so the figure is the structure's own overhead: the Map or object, slot arrays, node objects.
// Typed-array backing stores live outside the JS heap, so `arrayBuffers` is counted too.
import { LIBS, makeKeys } from './libs.mjs'

const [name, keyType, countArg] = process.argv.slice(2)
const count = Number(countArg)
if (typeof gc !== 'function') throw new Error('run with --expose-gc')
const MAP = 'Map (baseline)'
const lib = LIBS.find((l) => l.name === name)
if (!lib && name !== MAP) throw new Error(`unknown library ${name}`)

const keys = makeKeys(keyType, count, 7)
// Compile and warm the library's code first: bytecode and JIT code live in the heap too, and a
// bigger library would otherwise be charged for its code size as if it were per-entry data.
for (let round = 0; round < 3; round++) {
  const warm = name === MAP ? new Map() : lib.make(64)
  for (let i = 0; i < 200; i++) {
    warm.set(keys[i], i)
    warm.get(keys[i >> 1])
  }
}
const used = () => {
  gc()
  gc()
  const m = process.memoryUsage()
  return m.heapUsed + m.arrayBuffers
}

const before = used()
let cache
if (name === MAP) {
  cache = new Map()
  for (let i = 0; i < count; i++) cache.set(keys[i], i)
} else {
  cache = lib.make(count)
  for (let i = 0; i < count; i++) cache.set(keys[i], i)
}
const after = used()
// Every key must still be there, or the figure would flatter a cache that dropped entries.
let present = 0
for (let i = 0; i < count; i += 997)
  if (name === MAP ? cache.has(keys[i]) : lib.has(cache, keys[i])) present++
const sampled = Math.ceil(count / 997)
process.stdout.write(
  `${JSON.stringify({ name, keyType, count, bytesPerEntry: (after - before) / count, complete: present === sampled })}\n`,
)
