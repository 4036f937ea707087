// npm run bench [-- <suite> ...] [--quick]
// Runs the suites in bench/suites/ against the BUILT packages (the root script
// builds first) and writes bench/results/<suite>.json. --quick is a short
// smoke run for CI: same code paths, few samples, results kept out of
// bench/results so committed figures are never replaced by noisy ones.
import { readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { runSuite, writeResult } from './lib/harness.mjs'

const dir = import.meta.dirname
const args = process.argv.slice(2)
const quick = args.includes('--quick')
const wanted = args.filter((a) => !a.startsWith('--'))
const available = readdirSync(join(dir, 'suites'))
  .filter((f) => f.endsWith('.mjs'))
  .map((f) => f.slice(0, -4))
  .sort()
const unknown = wanted.filter((w) => !available.includes(w))
if (unknown.length) {
  console.error(`unknown suite(s): ${unknown.join(', ')}; available: ${available.join(', ')}`)
  process.exit(2)
}
const outDir = quick ? resolve(dir, '..', '.tmp', 'bench-quick') : join(dir, 'results')
let failed = 0
for (const name of wanted.length ? wanted : available) {
  const { default: suite } = await import(pathToFileURL(join(dir, 'suites', `${name}.mjs`)).href)
  console.log(`\n## ${suite.name}${quick ? ' (quick)' : ''}`)
  const started = Date.now()
  try {
    const result = await runSuite(suite, { quick })
    const hotpathWrong = result.workloads.flatMap((w) =>
      w.rows.filter((r) => r.role === 'hotpath' && !r.correct),
    )
    if (hotpathWrong.length) {
      failed++
      console.error(
        `\n✗ ${name}: hotpath competitor(s) failed their check: ${hotpathWrong.map((r) => `${r.name}: ${r.error}`).join('; ')}`,
      )
    }
    console.log(`\nwrote ${writeResult(result, outDir)} in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  } catch (err) {
    failed++
    console.error(`✗ suite ${name} crashed:`, err)
  }
}
process.exit(failed ? 1 : 0)
