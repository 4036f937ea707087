import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { decodeSnowflake } from '../src/index.js'

const PROCESSES = 4
const PER_PROCESS = 250_000
const here = dirname(fileURLToPath(import.meta.url))
let dir: string

// Each child generates as fast as it can once the parent says go (all start together), and writes
// its IDs, in the order it made them, as raw 64-bit words.
const CHILD = `
import { writeFileSync } from 'node:fs'
import { Snowflake } from './snowflake.mjs'
const [workerId, count, out] = process.argv.slice(2)
const ids = new Snowflake({ workerId: Number(workerId), datacenterId: 1 })
const buf = new BigUint64Array(Number(count))
process.stdout.write('ready\\n')
process.stdin.once('data', () => {
  for (let i = 0; i < buf.length; i++) buf[i] = ids.next()
  writeFileSync(out, buf)
  process.exit(0)
})
`

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'snowflake-mp-'))
  // The children run the package's source, bundled: tsx is not available to load TypeScript.
  await build({
    entryPoints: [join(here, '../src/index.ts')],
    bundle: true,
    format: 'esm',
    platform: 'node',
    outfile: join(dir, 'snowflake.mjs'),
    logLevel: 'silent',
  })
  writeFileSync(join(dir, 'child.mjs'), CHILD)
})

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`child exited with ${code}`))))
  })
}

test(`${PROCESSES} processes x ${PER_PROCESS.toLocaleString('en-US')} IDs: each stream increasing, no duplicate overall`, async () => {
  const children = Array.from({ length: PROCESSES }, (_, w) =>
    spawn(process.execPath, [join(dir, 'child.mjs'), String(w), String(PER_PROCESS), join(dir, `${w}.bin`)], {
      stdio: ['pipe', 'pipe', 'inherit'],
    }),
  )
  const done = children.map(exited)
  await Promise.all(
    children.map((child) => new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()))),
  )
  for (const child of children) child.stdin!.end('go\n')
  await Promise.all(done)

  const all = new BigUint64Array(PROCESSES * PER_PROCESS)
  const ticksByWorker: Set<number>[] = []
  for (let w = 0; w < PROCESSES; w++) {
    const file = readFileSync(join(dir, `${w}.bin`))
    const ids = new BigUint64Array(file.buffer, file.byteOffset, file.byteLength / 8)
    expect(ids.length).toBe(PER_PROCESS)
    const ticks = new Set<number>()
    for (let i = 0; i < ids.length; i++) {
      if (i > 0 && ids[i]! <= ids[i - 1]!)
        expect.fail(`process ${w}: ID ${i} (${ids[i]}) is not above ${ids[i - 1]}`)
      ticks.add(Number(ids[i]! >> 22n))
    }
    const first = decodeSnowflake(ids[0]!, 'twitter')
    const last = decodeSnowflake(ids[PER_PROCESS - 1]!, 'twitter')
    expect([first.workerId, first.datacenterId, last.workerId]).toEqual([w, 1, w])
    all.set(ids, w * PER_PROCESS)
    ticksByWorker.push(ticks)
  }
  all.sort()
  let duplicates = 0
  for (let i = 1; i < all.length; i++) if (all[i] === all[i - 1]) duplicates++
  expect(duplicates).toBe(0)
  // The processes really did run at the same time: some milliseconds hold IDs of several of them,
  // so it is the worker field, not the clock, that kept those IDs apart.
  const shared = [...ticksByWorker[0]!].filter((t) => ticksByWorker.slice(1).some((s) => s.has(t))).length
  expect(shared).toBeGreaterThan(0)
})
