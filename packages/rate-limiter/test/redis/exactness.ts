// The multi-process exactness test's machinery: child processes hammering one Redis (or Cluster), and
// the checks of what they saw. Each decision comes back with the Redis time it was made at, so the whole
// concurrent history can be checked two ways:
//  - replayed on the memory store (the reference): Redis executes scripts one at a time, so the history
//    is a sequence ordered by Redis time, and within one millisecond identical requests are
//    interchangeable: the number admitted in each millisecond must be exactly the reference's;
//  - against each algorithm's documented bound, written out (no window over the limit, ...).
import { type ChildProcess, fork } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { expect } from 'vitest'
import { RateLimiter } from '../../src/index.js'
import { FakeClock } from '../helpers.js'
import type { DoneMessage, RunMessage } from './child.js'

const here = dirname(fileURLToPath(import.meta.url))

/**
 * Bundles child.ts (the package's source included) into packages/rate-limiter/.tmp/, where Node finds
 * the real ioredis and redis up the folder tree (they stay external: the same code as the tests use).
 */
export async function buildChild(): Promise<{ file: string; remove: () => void }> {
  const root = join(here, '..', '..', '.tmp')
  mkdirSync(root, { recursive: true })
  const dir = mkdtempSync(join(root, 'redis-child-'))
  const file = join(dir, 'child.mjs')
  await build({
    entryPoints: [join(here, 'child.ts')],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['ioredis', 'redis'],
    outfile: file,
    logLevel: 'silent',
  })
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

export class Children {
  private constructor(private readonly procs: ChildProcess[]) {}

  /** Starts one child per entry of `kinds`, all connected to `nodes`, and waits until each is ready. */
  static async spawn(
    file: string,
    kinds: readonly string[],
    mode: 'single' | 'cluster',
    nodes: readonly { host: string; port: number }[],
  ): Promise<Children> {
    const procs = kinds.map((kind) =>
      fork(file, [kind, mode, JSON.stringify(nodes)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
    )
    const children = new Children(procs)
    try {
      await Promise.all(procs.map((p) => children.next(p, 'ready')))
    } catch (error) {
      children.kill()
      throw error
    }
    return children
  }

  private next<T>(p: ChildProcess, type: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const onMessage = (m: { type: string }) => {
        if (m.type !== type) return
        cleanup()
        resolve(m as T)
      }
      const onExit = (code: number | null) => {
        cleanup()
        reject(new Error(`child exited with ${code} before '${type}'`))
      }
      const cleanup = () => {
        p.off('message', onMessage)
        p.off('exit', onExit)
      }
      p.on('message', onMessage)
      p.once('exit', onExit)
    })
  }

  /** Every child runs `message` at once; resolves with their reports. */
  async run(message: Omit<RunMessage, 'type'>): Promise<DoneMessage[]> {
    const done = this.procs.map((p) => this.next<DoneMessage>(p, 'done'))
    for (const p of this.procs) p.send({ type: 'run', ...message })
    return Promise.all(done)
  }

  async close(): Promise<void> {
    await Promise.all(
      this.procs.map(
        (p) =>
          new Promise<void>((resolve) => {
            if (p.exitCode !== null || p.signalCode !== null) return resolve()
            p.once('exit', () => resolve())
            p.send({ type: 'exit' })
            setTimeout(() => p.kill('SIGKILL'), 5000).unref()
          }),
      ),
    )
  }

  kill(): void {
    for (const p of this.procs) p.kill('SIGKILL')
  }
}

export type Config = RunMessage['config']

export interface History {
  /** Every decision, ordered by Redis time: [timeMs, admitted (1/0)]. */
  readonly decisions: [number, number][]
  readonly admitted: number[]
  readonly rejected: number[]
}

/** Merges the children's reports for key number `k`; no decision may have come from anywhere but Redis. */
export function historyOf(reports: readonly DoneMessage[], k: number): History {
  for (const r of reports) {
    expect(r.errors).toEqual([])
    expect(r.fallbacks).toBe(0)
  }
  const decisions: [number, number][] = []
  for (const r of reports) {
    const now = r.now[k]!
    const allowed = r.allowed[k]!
    for (let i = 0; i < now.length; i++) decisions.push([now[i]!, allowed[i]!])
  }
  decisions.sort((a, b) => a[0] - b[0])
  return {
    decisions,
    admitted: decisions.filter((d) => d[1] === 1).map((d) => d[0]),
    rejected: decisions.filter((d) => d[1] === 0).map((d) => d[0]),
  }
}

/** The memory store, fed the same requests at the same times, admits as many in every millisecond. */
export function expectReplayMatches(config: Config, h: History): void {
  const clock = new FakeClock(0)
  const memory = new RateLimiter({ ...config, clock: clock.now })
  const d = h.decisions
  for (let i = 0; i < d.length; ) {
    const t = d[i]![0]
    let j = i
    let redis = 0
    while (j < d.length && d[j]![0] === t) redis += d[j++]![1]
    clock.t = t
    let reference = 0
    for (let n = i; n < j; n++) if (memory.limit('k').allowed) reference++
    if (reference !== redis)
      expect.fail(`at ${t} ms, ${j - i} requests: Redis admitted ${redis}, the memory store ${reference}`)
    i = j
  }
}

// Index of the first element ≥ x in a sorted array.
function lowerBound(a: readonly number[], x: number): number {
  let lo = 0
  let hi = a.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (a[mid]! < x) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** How many of the sorted times fall in [from, to]. */
export function countIn(times: readonly number[], from: number, to: number): number {
  return lowerBound(times, to + 1) - lowerBound(times, from)
}

/** sliding-window-log: every window (t − W, t] holds at most N, and exactly N wherever one was rejected. */
export function expectSlidingLogExact(h: History, limit: number, W: number): void {
  for (const a of h.admitted) expect(countIn(h.admitted, a - W + 1, a)).toBeLessThanOrEqual(limit)
  for (const r of h.rejected) expect(countIn(h.admitted, r - W + 1, r)).toBe(limit)
}

/** fixed-window: at most N per aligned window, exactly N in every window with a rejection. */
export function expectFixedWindowExact(h: History, limit: number, W: number): void {
  const perWindow = new Map<number, number>()
  for (const a of h.admitted) perWindow.set(Math.floor(a / W), (perWindow.get(Math.floor(a / W)) ?? 0) + 1)
  for (const n of perWindow.values()) expect(n).toBeLessThanOrEqual(limit)
  for (const r of h.rejected) expect(perWindow.get(Math.floor(r / W))).toBe(limit)
}

/** token-bucket, gcra, leaky-bucket: between any two admissions, at most burst + limit × elapsed / W. */
export function expectBucketBound(h: History, burst: number, limit: number, W: number): void {
  const a = h.admitted
  for (let i = 0; i < a.length; i++)
    for (let j = i; j < a.length; j++) {
      const admitted = j - i + 1
      if (admitted * W > burst * W + limit * (a[j]! - a[i]!))
        expect.fail(
          `${admitted} admitted in [${a[i]}, ${a[j]}]: more than ${burst} + ${limit} × elapsed / ${W}`,
        )
    }
}
