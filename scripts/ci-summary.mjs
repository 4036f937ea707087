// Totals every test run of .ci/run from the reports in the results folder:
// vitest JSON reports (vitest-*.json) and {passed, failed} files (pack.json, docs.json).
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const [dir, ...failedSteps] = process.argv.slice(2)
let passed = 0
let failed = 0
const lines = []
for (const file of existsSync(dir) ? readdirSync(dir).sort() : []) {
  if (!file.endsWith('.json')) continue
  const json = JSON.parse(readFileSync(join(dir, file), 'utf8'))
  const p = json.numPassedTests ?? json.passed ?? 0
  // A test file that failed to load has no failed *tests*; count it so it cannot hide.
  const brokenFiles = (json.testResults ?? []).filter(
    (f) => f.status === 'failed' && !f.assertionResults?.some((a) => a.status === 'failed'),
  ).length
  const f = (json.numFailedTests ?? json.failed ?? 0) + brokenFiles
  passed += p
  failed += f
  lines.push(`  ${file.replace(/\.json$/, '').padEnd(16)} ${p} passed, ${f} failed`)
}
console.log('\nTest runs:')
console.log(lines.join('\n') || '  (no reports)')
if (failedSteps.length) console.log(`Failed steps: ${failedSteps.join(', ')}`)
// A failed step that ran no tests (lint, build, check, …) still fails the run.
failed += failedSteps.length && failed === 0 ? failedSteps.length : 0
console.log(`${passed} passed, ${failed} failed`)
