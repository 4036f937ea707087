// npm run test:pack: what a user gets from `npm install`.
// Packs every package with `npm pack`, installs the tarballs into a fresh app
// outside the repo, and there:
//  1. imports every entry point from ESM (.mjs) and requires it from CJS (.cjs):
//     both must load and expose the same, non-empty set of exports;
//  2. type-checks a TypeScript file that imports every entry under
//     `moduleResolution: node16` and under `bundler`;
//  3. if the package has test/pack/usage.ts (real use of the API with runtime
//     assertions): type-checks it under node16 and bundler, then compiles and
//     runs it as ESM and as CJS (so both the .d.ts and the .d.cts are exercised).
// Needs a prior `npm run build`.
import { execFileSync, spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { entries, packages, root } from './workspaces.mjs'

const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc')
const app = mkdtempSync(join(tmpdir(), 'hotpath-pack-'))
const tarballs = join(app, 'tarballs')
mkdirSync(tarballs)
let passed = 0
let failed = 0
const check = (ok, what, detail = '') => {
  ok ? passed++ : failed++
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}${!ok && detail ? `\n${detail}` : ''}`)
}
const sh = (cmd, args, cwd) => spawnSync(cmd, args, { cwd, encoding: 'utf8' })

try {
  const pkgs = packages()
  for (const p of pkgs) {
    if (!existsSync(join(p.path, 'dist')))
      throw new Error(`${p.name}: dist/ missing; run \`npm run build\` first`)
    execFileSync('npm', ['pack', '--silent', '--pack-destination', tarballs], { cwd: p.path, stdio: 'pipe' })
  }
  const files = readdirSync(tarballs)
  const dependencies = {}
  for (const p of pkgs) {
    const base = `${p.name.slice(1).replace('/', '-')}-${p.json.version}.tgz`
    if (!files.includes(base)) throw new Error(`npm pack did not produce ${base}`)
    dependencies[p.name] = `file:./tarballs/${base}`
  }
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({ name: 'pack-smoke', private: true, type: 'module', dependencies }, null, 2),
  )
  const install = sh(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'],
    app,
  )
  check(install.status === 0, `npm install of ${pkgs.length} tarball(s) into ${app}`, install.stderr)
  if (install.status !== 0) throw new Error('install failed')

  const typeRoots = [join(root, 'node_modules', '@types')]
  const tsconfig = (name, options, include) =>
    writeFileSync(
      join(app, name),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          types: ['node'],
          typeRoots,
          target: 'es2022',
          ...options,
        },
        include,
      }),
    )

  for (const p of pkgs) {
    const id = p.dir
    const specs = entries(p).map((e) => `${p.name}${e.subpath.slice(1)}`)
    // 1. ESM and CJS load, with the same exports.
    writeFileSync(
      join(app, `esm-${id}.mjs`),
      specs.map((s, i) => `import * as m${i} from '${s}'`).join('\n') +
        `\nconsole.log(JSON.stringify([${specs.map((_, i) => `Object.keys(m${i}).filter((k) => k !== 'default').sort()`).join(', ')}]))\n`,
    )
    writeFileSync(
      join(app, `cjs-${id}.cjs`),
      `console.log(JSON.stringify([${specs.map((s) => `Object.keys(require('${s}')).filter((k) => k !== '__esModule').sort()`).join(', ')}]))\n`,
    )
    const esm = sh(process.execPath, [`esm-${id}.mjs`], app)
    const cjs = sh(process.execPath, [`cjs-${id}.cjs`], app)
    check(esm.status === 0, `${p.name}: import from ESM`, esm.stderr)
    check(cjs.status === 0, `${p.name}: require from CJS`, cjs.stderr)
    if (esm.status === 0 && cjs.status === 0) {
      const a = JSON.parse(esm.stdout)
      const b = JSON.parse(cjs.stdout)
      const same = JSON.stringify(a) === JSON.stringify(b) && a.every((keys) => keys.length > 0)
      check(
        same,
        `${p.name}: ESM and CJS expose the same non-empty exports`,
        `ESM ${esm.stdout}CJS ${cjs.stdout}`,
      )
    }
    // 2. Every entry type-checks under both resolutions.
    writeFileSync(
      join(app, `types-${id}.ts`),
      specs.map((s, i) => `import * as m${i} from '${s}'`).join('\n') +
        `\nexport const names: string[][] = [${specs.map((_, i) => `Object.keys(m${i})`).join(', ')}]\n`,
    )
    // 3. Real usage, if the package provides it.
    const usage = join(p.path, 'test', 'pack', 'usage.ts')
    const hasUsage = existsSync(usage)
    if (hasUsage) copyFileSync(usage, join(app, `usage-${id}.ts`))
    const include = [`types-${id}.ts`, ...(hasUsage ? [`usage-${id}.ts`] : [])]
    for (const [label, options] of [
      ['node16', { module: 'node16', moduleResolution: 'node16' }],
      ['bundler', { module: 'esnext', moduleResolution: 'bundler' }],
    ]) {
      tsconfig(`tsconfig.${id}.${label}.json`, options, include)
      const r = sh(process.execPath, [tsc, '-p', `tsconfig.${id}.${label}.json`], app)
      check(
        r.status === 0,
        `${p.name}: TypeScript (moduleResolution ${label}) on ${include.join(', ')}`,
        r.stdout + r.stderr,
      )
    }
    if (hasUsage) {
      for (const kind of ['esm', 'cjs']) {
        const dir = join(app, `run-${id}-${kind}`)
        mkdirSync(dir, { recursive: true })
        writeFileSync(
          join(dir, 'package.json'),
          JSON.stringify({ type: kind === 'esm' ? 'module' : 'commonjs' }),
        )
        copyFileSync(usage, join(dir, 'usage.ts'))
        writeFileSync(
          join(dir, 'tsconfig.json'),
          JSON.stringify({
            compilerOptions: {
              strict: true,
              module: 'node16',
              moduleResolution: 'node16',
              target: 'es2022',
              types: ['node'],
              typeRoots,
              outDir: 'out',
            },
            include: ['usage.ts'],
          }),
        )
        const compiled = sh(process.execPath, [tsc, '-p', '.'], dir)
        check(
          compiled.status === 0,
          `${p.name}: usage.ts compiles as ${kind.toUpperCase()}`,
          compiled.stdout + compiled.stderr,
        )
        if (compiled.status !== 0) continue
        const ran = sh(process.execPath, ['out/usage.js'], dir)
        check(ran.status === 0, `${p.name}: usage.ts runs as ${kind.toUpperCase()}`, ran.stdout + ran.stderr)
      }
    }
  }
} catch (err) {
  check(false, 'test:pack setup', String(err?.stack ?? err))
} finally {
  rmSync(app, { recursive: true, force: true })
}
console.log(`pack: ${passed} passed, ${failed} failed`)
if (process.env.HOTPATH_RESULTS_DIR) {
  mkdirSync(process.env.HOTPATH_RESULTS_DIR, { recursive: true })
  writeFileSync(join(process.env.HOTPATH_RESULTS_DIR, 'pack.json'), JSON.stringify({ passed, failed }))
}
process.exit(failed ? 1 : 0)
