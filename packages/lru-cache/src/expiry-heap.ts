/**
 * A binary min-heap of slot numbers ordered by their expiry time, so `ttlAutopurge` can run
 * ONE timer for the whole cache (aimed at the earliest expiry) instead of one per entry.
 * Two Int32Arrays, allocated only when `ttlAutopurge` is on: `heap` holds slots, `pos[slot]`
 * is the slot's place in `heap` (-1 when absent) so removal and re-keying are O(log n).
 * The expiry times live in the cache's own Float64Array, passed in on every call because the
 * cache reallocates it when it grows.
 */
export class ExpiryHeap {
  heap: Int32Array
  pos: Int32Array
  length = 0

  constructor(capacity: number) {
    this.heap = new Int32Array(capacity)
    this.pos = new Int32Array(capacity).fill(-1)
  }

  grow(capacity: number): void {
    const heap = new Int32Array(capacity)
    heap.set(this.heap)
    const pos = new Int32Array(capacity).fill(-1)
    pos.set(this.pos)
    this.heap = heap
    this.pos = pos
  }

  clear(): void {
    this.pos.fill(-1)
    this.length = 0
  }

  /** The slot that expires first; only meaningful when `length > 0`. */
  top(): number {
    return this.heap[0]!
  }

  /** Insert `slot`, or restore heap order after its expiry time changed. */
  upsert(slot: number, exp: Float64Array): void {
    const at = this.pos[slot]!
    if (at === -1) {
      const end = this.length++
      this.heap[end] = slot
      this.pos[slot] = end
      this.up(end, exp)
    } else if (!this.up(at, exp)) {
      this.down(at, exp)
    }
  }

  remove(slot: number, exp: Float64Array): void {
    const at = this.pos[slot]!
    if (at === -1) return
    this.pos[slot] = -1
    const last = --this.length
    if (at === last) return
    const moved = this.heap[last]!
    this.heap[at] = moved
    this.pos[moved] = at
    if (!this.up(at, exp)) this.down(at, exp)
  }

  private up(at: number, exp: Float64Array): boolean {
    const heap = this.heap
    const pos = this.pos
    const slot = heap[at]!
    const key = exp[slot]!
    const start = at
    while (at > 0) {
      const parentAt = (at - 1) >> 1
      const parent = heap[parentAt]!
      if (exp[parent]! <= key) break
      heap[at] = parent
      pos[parent] = at
      at = parentAt
    }
    heap[at] = slot
    pos[slot] = at
    return at !== start
  }

  private down(at: number, exp: Float64Array): void {
    const heap = this.heap
    const pos = this.pos
    const length = this.length
    const slot = heap[at]!
    const key = exp[slot]!
    for (;;) {
      let child = 2 * at + 1
      if (child >= length) break
      const right = child + 1
      if (right < length && exp[heap[right]!]! < exp[heap[child]!]!) child = right
      const childSlot = heap[child]!
      if (exp[childSlot]! >= key) break
      heap[at] = childSlot
      pos[childSlot] = at
      at = child
    }
    heap[at] = slot
    pos[slot] = at
  }
}
