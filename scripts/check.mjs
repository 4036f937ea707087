// npm run check: each package as npm will see it.
//  - publint --strict          (package.json fields, exports, files)
//  - attw --pack               (types resolve right for ESM and CJS under node10/node16/bundler)
//  - package contract          (no third-party runtime dependencies, engines, sideEffects, files)
//  - size budget per entry     (esbuild bundle of the built entry, minified, gzipped, against
//                               package.json "hotpath.sizeBudget", so growth is a decision)
// Needs a prior `npm run build`.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import { entries, packages, root } from './workspaces.mjs'

const bin = (pkg, file) => join(root, 'node_modules', pkg, file)
let failures = 0
const report = (ok, what, detail = '') => {
  if (!ok) failures++
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}${detail ? ` — ${detail}` : ''}`)
}
const run = (args, cwd) => spawnSync(process.execPath, args, { cwd, encoding: 'utf8' })

for (const pkg of packages()) {
  const { json, path, name } = pkg
  if (!existsSync(join(path, 'dist'))) {
    report(false, `${name}: dist/ missing`, 'run `npm run build` first')
    continue
  }

  const publint = run([bin('publint', 'src/cli.js'), 'run', '--strict', '--pack', 'npm', path], root)
  report(
    publint.status === 0,
    `${name}: publint --strict`,
    publint.status === 0 ? '' : `\n${publint.stdout}${publint.stderr}`,
  )

  const attw = run(
    [bin('@arethetypeswrong/cli', 'dist/index.js'), '--pack', path, '--format', 'table-flipped'],
    root,
  )
  report(attw.status === 0, `${name}: attw --pack`, attw.status === 0 ? '' : `\n${attw.stdout}${attw.stderr}`)

  const thirdParty = Object.keys(json.dependencies ?? {}).filter((d) => !d.startsWith('@hotpath/'))
  report(thirdParty.length === 0, `${name}: no third-party runtime dependencies`, thirdParty.join(', '))
  report(
    json.sideEffects === false && json.type === 'module',
    `${name}: "type": "module" and "sideEffects": false`,
  )
  report(
    json.engines?.node === '>=20',
    `${name}: engines.node is ">=20"`,
    json.engines?.node === '>=20' ? '' : `got ${json.engines?.node}`,
  )
  report(
    Array.isArray(json.files) && json.files.length === 1 && json.files[0] === 'dist',
    `${name}: "files" is ["dist"]`,
  )
  report(existsSync(join(path, 'README.md')), `${name}: README.md present`)

  const budgets = json.hotpath?.sizeBudget ?? {}
  for (const { subpath, name: entry } of entries(pkg)) {
    const budget = budgets[subpath]
    if (!Number.isInteger(budget)) {
      report(
        false,
        `${name}${subpath.slice(1)}: size budget`,
        `add "hotpath": { "sizeBudget": { "${subpath}": <gzip bytes> } }`,
      )
      continue
    }
    const out = await build({
      entryPoints: [join(path, 'dist', `${entry}.js`)],
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'neutral',
      write: false,
      // node: built-ins are the platform's, not the package's weight.
      external: ['node:*'],
      logLevel: 'silent',
    })
    const bytes = gzipSync(out.outputFiles[0].contents, { level: 9 }).length
    report(
      bytes <= budget,
      `${name}${subpath === '.' ? '' : subpath.slice(1)}: ${bytes} B min+gz (budget ${budget} B)`,
    )
  }
}
console.log(failures ? `\ncheck: ${failures} problem(s)` : '\ncheck: all packages clean')
process.exit(failures ? 1 : 0)
