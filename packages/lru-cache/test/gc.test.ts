import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { LRUCache as NpmLRUCache } from 'lru-cache'
import { describe, expect, test } from 'vitest'
import { LRUCache } from '../src/index.js'

// Values the cache has let go of must become garbage: a cache that keeps evicted, deleted or
// cleared values reachable (in a free list, a dispose queue, a timer closure...) is a leak.
// A FinalizationRegistry reports what the collector actually reclaimed.

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

async function collect(): Promise<void> {
  for (let i = 0; i < 4; i++) {
    gc()
    await new Promise((r) => setTimeout(r, 5))
  }
}

function tracker() {
  const collected = new Set<string>()
  const registry = new FinalizationRegistry<string>((label) => collected.add(label))
  // Created in a separate function so no reference survives in the caller's frame.
  const value = (label: string): { label: string; payload: number[] } => {
    const v = { label, payload: [1, 2, 3] }
    registry.register(v, label)
    return v
  }
  return { collected, value }
}

type Value = { label: string; payload: number[] }

function labels(prefix: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}${i}`)
}

describe('released values are collectable', () => {
  test('evicted values (the slot reused in place must not keep them)', async () => {
    const { collected, value } = tracker()
    const cache = new LRUCache<number, Value>({ max: 10 })
    for (let i = 0; i < 10; i++) cache.set(i, value(`old${i}`))
    for (let i = 10; i < 20; i++) cache.set(i, value(`new${i}`))
    await collect()
    for (const l of labels('old', 10)) expect(collected.has(l), l).toBe(true)
    expect([...collected].some((l) => l.startsWith('new'))).toBe(false)
    expect(cache.size).toBe(10)
  })

  test('deleted, popped, replaced and cleared values, with dispose and TTL tracking on', async () => {
    const { collected, value } = tracker()
    let disposed = 0
    const cache = new LRUCache<number, Value>({
      max: 100,
      ttl: 60_000,
      maxSize: 1_000,
      sizeCalculation: () => 1,
      dispose: () => {
        disposed++
      },
    })
    for (let i = 0; i < 40; i++) cache.set(i, value(`v${i}`))
    for (let i = 0; i < 10; i++) cache.delete(i)
    for (let i = 10; i < 20; i++) cache.pop()
    for (let i = 20; i < 30; i++) cache.set(i, value(`replacement${i}`))
    await collect()
    for (const l of labels('v', 30)) expect(collected.has(l), l).toBe(true)
    expect(collected.has('v35')).toBe(false)
    cache.clear()
    await collect()
    for (const l of labels('v', 40)) expect(collected.has(l), l).toBe(true)
    expect(disposed).toBe(50)
  })

  test('stale values removed by purgeStale and by ttlAutopurge', async () => {
    const { collected, value } = tracker()
    const clock = { t: 1 }
    const lazy = new LRUCache<number, Value>({ max: 10, ttl: 10, perf: { now: () => clock.t } })
    for (let i = 0; i < 5; i++) lazy.set(i, value(`lazy${i}`))
    clock.t += 11
    lazy.purgeStale()
    const purged = new LRUCache<number, Value>({ max: 10, ttl: 5, ttlAutopurge: true })
    for (let i = 0; i < 5; i++) purged.set(i, value(`auto${i}`))
    await new Promise((r) => setTimeout(r, 30))
    await collect()
    expect(purged.size).toBe(0)
    for (const l of [...labels('lazy', 5), ...labels('auto', 5)]) expect(collected.has(l), l).toBe(true)
  })

  test('keys go too, including the key of an entry evicted in place', async () => {
    const collected = new Set<string>()
    const registry = new FinalizationRegistry<string>((l) => collected.add(l))
    const cache = new LRUCache<object, number>({ max: 3 })
    const add = (label: string) => {
      const key = { label }
      registry.register(key, label)
      cache.set(key, 1)
    }
    for (const l of ['k0', 'k1', 'k2', 'k3', 'k4']) add(l)
    await collect()
    expect(collected).toEqual(new Set(['k0', 'k1']))
  })
})

describe('ttlAutopurge never immortalises the cache', () => {
  test('an abandoned cache with a pending purge timer is collectable (the timer holds only a WeakRef)', async () => {
    const collected = new Set<string>()
    const registry = new FinalizationRegistry<string>((l) => collected.add(l))
    ;(() => {
      const ours = new LRUCache<string, string>({ max: 10, ttl: 60_000, ttlAutopurge: true })
      ours.set('a', 'A')
      registry.register(ours, 'hotpath')
      // lru-cache arms one timer per entry whose closure holds the cache: it stays reachable
      // until the last TTL runs out.
      const npm = new NpmLRUCache<string, string>({ max: 10, ttl: 60_000, ttlAutopurge: true })
      npm.set('a', 'A')
      registry.register(npm, 'lru-cache')
    })()
    await collect()
    expect(collected.has('hotpath')).toBe(true)
    expect(collected.has('lru-cache')).toBe(false)
  })
})
