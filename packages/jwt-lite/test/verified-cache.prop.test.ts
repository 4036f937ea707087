import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import type { VerifyResult } from '../src/shared/types.js'
import { VerifiedCache } from '../src/shared/verified-cache.js'

// Model-based test of the verified-token cache: a plain array of entries in insertion order,
// where every operation is written the obvious way, checked against the real cache after
// every command.
interface ModelEntry {
  digest: string
  result: VerifyResult<unknown>
  from: number
  until: number
}
interface Model {
  max: number
  entries: ModelEntry[]
}

const result = (n: number): VerifyResult<unknown> => ({ header: { alg: 'HS256' }, payload: { n } })

class SetCommand implements fc.Command<Model, VerifiedCache> {
  constructor(
    readonly digest: string,
    readonly n: number,
    readonly from: number,
    readonly until: number,
  ) {}
  check(): boolean {
    return true
  }
  run(model: Model, real: VerifiedCache): void {
    const value = result(this.n)
    real.set(this.digest, value, this.from, this.until)
    const i = model.entries.findIndex((e) => e.digest === this.digest)
    if (i >= 0) model.entries.splice(i, 1)
    else if (model.entries.length >= model.max) model.entries.shift()
    model.entries.push({ digest: this.digest, result: value, from: this.from, until: this.until })
    expect(real.size).toBe(model.entries.length)
    expect(real.size).toBeLessThanOrEqual(model.max)
  }
  toString(): string {
    return `set(${this.digest}, ${this.n}, [${this.from}, ${this.until}))`
  }
}

class GetCommand implements fc.Command<Model, VerifiedCache> {
  constructor(
    readonly digest: string,
    readonly now: number,
  ) {}
  check(): boolean {
    return true
  }
  run(model: Model, real: VerifiedCache): void {
    const got = real.get(this.digest, this.now)
    const i = model.entries.findIndex((e) => e.digest === this.digest)
    let expected: VerifyResult<unknown> | undefined
    if (i >= 0) {
      const e = model.entries[i]!
      if (this.now >= e.from && this.now < e.until) expected = e.result
      else model.entries.splice(i, 1)
    }
    expect(got).toBe(expected)
    expect(real.size).toBe(model.entries.length)
  }
  toString(): string {
    return `get(${this.digest}, ${this.now})`
  }
}

class ClearCommand implements fc.Command<Model, VerifiedCache> {
  check(): boolean {
    return true
  }
  run(model: Model, real: VerifiedCache): void {
    real.clear()
    model.entries = []
    expect(real.size).toBe(0)
  }
  toString(): string {
    return 'clear()'
  }
}

const digest = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f')
const time = fc.integer({ min: 0, max: 20 })
const commands = fc.commands(
  [
    fc
      .tuple(digest, fc.nat(), time, time)
      .map(([d, n, a, b]) => new SetCommand(d, n, Math.min(a, b), Math.max(a, b))),
    fc.tuple(digest, time).map(([d, t]) => new GetCommand(d, t)),
    fc.constant(new ClearCommand()),
  ],
  { maxCommands: 60 },
)

describe('VerifiedCache (model-based)', () => {
  test('matches an insertion-ordered list with FIFO eviction and [from, until) validity', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), commands, (max, cmds) => {
        fc.modelRun(() => ({ model: { max, entries: [] }, real: new VerifiedCache(max) }), cmds)
      }),
      { numRuns: process.env.CI ? 1000 : 200 },
    )
  })
})
