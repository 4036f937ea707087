// Type-checks every workspace that has a tsconfig.json (packages, test-utils, bench, docs).

import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { packages, root } from './workspaces.mjs'

const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc')
const dirs = [
  ...packages().map((p) => p.path),
  join(root, 'test-utils'),
  join(root, 'bench'),
  join(root, 'docs'),
]
let failed = 0
for (const dir of dirs) {
  if (!existsSync(join(dir, 'tsconfig.json'))) continue
  const r = spawnSync(process.execPath, [tsc, '-p', dir, '--noEmit'], { stdio: 'inherit' })
  console.log(`${r.status === 0 ? 'ok  ' : 'FAIL'} typecheck ${dir.slice(root.length + 1)}`)
  if (r.status !== 0) failed++
}
process.exit(failed ? 1 : 0)
