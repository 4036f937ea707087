import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildSync } from 'esbuild'
import { afterAll, expect, test } from 'vitest'
import * as lib from '../src/index.js'

// Every scheme must place keys identically in any process, on any machine and from either
// module format. The same workload (fixtures/determinism-scenario.cjs) runs here, and in fresh
// Node processes against an ESM and a CJS bundle of src/; all three digests must match the
// golden digest below, recorded when the placement rules were fixed. A change to it means
// every deployed client would disagree with the new version about where keys live.
const GOLDEN = 'a70b84bebca7066bf33d20d1b9979bab9de9fca6179f556df6259107585f5780'

const require = createRequire(import.meta.url)
const scenarioPath = fileURLToPath(new URL('./fixtures/determinism-scenario.cjs', import.meta.url))
const scenario = require(scenarioPath) as (l: typeof lib) => unknown
const digest = (value: unknown) =>
  createHash('sha256')
    .update(JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? `${v}n` : v)))
    .digest('hex')

const dir = mkdtempSync(join(tmpdir(), 'consistent-hash-determinism-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function runChild(format: 'esm' | 'cjs'): string {
  const bundle = join(dir, format === 'esm' ? 'lib.mjs' : 'lib.cjs')
  buildSync({
    entryPoints: [fileURLToPath(new URL('../src/index.ts', import.meta.url))],
    bundle: true,
    format,
    platform: 'neutral',
    outfile: bundle,
    logLevel: 'silent',
  })
  const runner = join(dir, format === 'esm' ? 'run.mjs' : 'run.cjs')
  const body = `const out = scenario(lib)
const json = JSON.stringify(out, (_, v) => (typeof v === 'bigint' ? v + 'n' : v))
process.stdout.write(createHash('sha256').update(json).digest('hex'))`
  writeFileSync(
    runner,
    format === 'esm'
      ? `import { createHash } from 'node:crypto'\nimport { createRequire } from 'node:module'\nimport * as lib from ${JSON.stringify(bundle)}\nconst scenario = createRequire(import.meta.url)(${JSON.stringify(scenarioPath)})\n${body}\n`
      : `const { createHash } = require('node:crypto')\nconst lib = require(${JSON.stringify(bundle)})\nconst scenario = require(${JSON.stringify(scenarioPath)})\n${body}\n`,
  )
  return execFileSync(process.execPath, [runner], { encoding: 'utf8' })
}

test('the same placements in this process, in a child ESM process and in a child CJS process', () => {
  const here = digest(scenario(lib))
  expect(runChild('esm')).toBe(here)
  expect(runChild('cjs')).toBe(here)
  expect(here).toBe(GOLDEN)
})

test('the scenario exercises every scheme (a digest of nothing would prove nothing)', () => {
  const out = scenario(lib) as Record<string, unknown[]>
  for (const name of [
    'ring',
    'classic',
    'ketama',
    'hashring',
    'rendezvous',
    'maglev',
    'bounded',
    'jump',
    'after',
  ]) {
    expect(out[name]!.length).toBeGreaterThan(0)
    expect(new Set(out[name]!.map((v) => JSON.stringify(v))).size).toBeGreaterThan(2)
  }
})
