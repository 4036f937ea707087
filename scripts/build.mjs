// Builds every package under packages/ (dependency order) with the shared tsup config.
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { packages, root } from './workspaces.mjs'

const only = process.argv.slice(2)
const tsup = join(root, 'node_modules', 'tsup', 'dist', 'cli-default.js')
for (const pkg of packages()) {
  if (only.length && !only.includes(pkg.dir) && !only.includes(pkg.name)) continue
  const started = Date.now()
  const r = spawnSync(process.execPath, [tsup, '--config', join(root, 'tsup.config.ts'), '--silent'], {
    cwd: pkg.path,
    stdio: 'inherit',
  })
  if (r.status !== 0) {
    console.error(`build failed: ${pkg.name}`)
    process.exit(r.status ?? 1)
  }
  console.log(`built ${pkg.name} in ${Date.now() - started} ms`)
}
