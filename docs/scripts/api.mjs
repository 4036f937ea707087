// Generates the API reference (docs/api/<dir>/) from the packages' TSDoc with
// TypeDoc + typedoc-plugin-markdown, for every package present under packages/.
//
// Entry points follow the same rule as tsup.config.ts: "." -> src/index.ts,
// "./x" -> src/x.ts or src/x/index.ts. Each package's main entry becomes
// docs/api/<dir>/index.md and each subpath entry docs/api/<dir>/<x>.md.
//
// Every export must be documented: an undocumented export (or a broken
// {@link}) fails the generation, and with it `npm run docs:build`.
// `--lenient` (used by `npm run dev`) reports those problems but continues.
//
// Usage: node scripts/api.mjs [--lenient] [package-dir ...]
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { Application, LogLevel } from 'typedoc'

const docsDir = resolve(import.meta.dirname, '..')
const repoRoot = resolve(docsDir, '..')
const apiDir = join(docsDir, 'api')
// TypeDoc writes here first; the finished package is then renamed into api/ in one step, so a site
// build running at the same moment never sees a half-written package.
const stagingDir = join(docsDir, '.vitepress', 'cache', 'api-staging')
const args = process.argv.slice(2)
const lenient = args.includes('--lenient')
const only = args.filter((a) => !a.startsWith('--'))

function packages() {
  const dir = join(repoRoot, 'packages')
  if (!existsSync(dir)) return []
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'package.json')))
    .map((d) => d.name)
    .filter((d) => !only.length || only.includes(d))
    .sort()
}

function entryPoints(dir) {
  const pkgDir = join(repoRoot, 'packages', dir)
  const json = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'))
  const keys = json.exports && typeof json.exports === 'object' ? Object.keys(json.exports) : ['.']
  const entries = keys
    .filter((k) => k !== './package.json' && k.startsWith('.'))
    .map((subpath) => {
      const name = subpath === '.' ? 'index' : subpath.slice(2)
      const candidates = subpath === '.' ? ['src/index.ts'] : [`src/${name}.ts`, `src/${name}/index.ts`]
      const file = candidates.map((c) => join(pkgDir, c)).find((c) => existsSync(c))
      if (!file)
        throw new Error(
          `${json.name}: export "${subpath}" has no source file (looked for ${candidates.join(', ')})`,
        )
      return { subpath, name, file }
    })
  return { name: json.name, pkgDir, entries }
}

// TypeDoc names a module after its path below the common root of the entry
// points: src/index.ts -> "index", src/web.ts -> "web", src/redis/index.ts -> "redis".
function moduleFile(out, entry) {
  return entry.subpath === '.' ? join(out, 'index.md') : join(out, `${entry.name}.md`)
}

// Fences a page's body in v-pre: Vue compiles every page, and type text such as
// `{ a: { b: 1 }}` must never be read as a template interpolation. An entry
// page also gets our title (instead of TypeDoc's project name) and an intro.
function postProcess(file, { title, intro, extra = '' } = {}) {
  const text = readFileSync(file, 'utf8')
  const [, h1 = '', body = text] = /^(# .*)\n+([\s\S]*)$/.exec(text) ?? []
  const head = title ? `# ${title}\n\n${intro}\n\n${extra}` : `${h1}\n\n`
  writeFileSync(file, `${head}::: v-pre\n\n${body.trim()}\n\n:::\n`)
}

function markdownFiles(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.md'))
    .map((e) => join(e.parentPath ?? e.path, e.name))
}

async function generate(dir) {
  const { name, pkgDir, entries } = entryPoints(dir)
  const out = join(stagingDir, dir)
  const final = join(apiDir, dir)
  const app = await Application.bootstrapWithPlugins({
    name,
    entryPoints: entries.map((e) => e.file),
    entryPointStrategy: 'resolve',
    tsconfig: join(pkgDir, 'tsconfig.json'),
    // Same compiler settings as the packages (their tsconfig extends the root
    // tsconfig.base.json); TypeDoc sets baseUrl, which TypeScript 6 deprecates.
    compilerOptions: { ignoreDeprecations: '6.0', noEmit: true },
    // Type errors are the typecheck step's job; this step is about the docs.
    skipErrorChecking: true,
    plugin: ['typedoc-plugin-markdown'],
    out,
    readme: 'none',
    disableSources: true,
    excludePrivate: true,
    excludeInternal: true,
    // Members inherited from Error and other lib types are not part of our API.
    excludeExternals: true,
    validation: { notExported: false, invalidLink: true, notDocumented: true },
    treatValidationWarningsAsErrors: true,
    logLevel: LogLevel.Warn,
    // typedoc-plugin-markdown
    outputFileStrategy: 'modules',
    entryModule: 'index',
    entryFileName: 'index',
    hidePageHeader: true,
    hideBreadcrumbs: true,
    hidePageTitle: false,
    useCodeBlocks: true,
    sanitizeComments: true,
    // Headings get explicit {#id}s, so the plugin's cross-links match VitePress's ids (its slugs differ, e.g. '_').
    useCustomAnchors: true,
    parametersFormat: 'table',
    enumMembersFormat: 'table',
    interfacePropertiesFormat: 'table',
    classPropertiesFormat: 'table',
    typeDeclarationFormat: 'table',
    tableColumnSettings: { hideSources: true, hideOverrides: true },
  })
  const project = await app.convert()
  if (!project) throw new Error(`${name}: TypeDoc could not convert the package (see the messages above)`)
  // A type used in the public signatures but not exported leaves a hole in the reference (its members
  // are not shown). Reported, but not fatal: the rule that fails the build is "every export documented".
  app.options.setValue('validation', { notExported: true, invalidLink: false, notDocumented: false })
  app.logger.resetWarnings()
  app.validate(project)
  const holes = app.logger.warningCount
  app.options.setValue('validation', { notExported: false, invalidLink: true, notDocumented: true })
  app.logger.resetWarnings()
  app.logger.resetErrors()
  app.validate(project)
  const problems = app.logger.warningCount + app.logger.errorCount
  if (holes) console.log(`api: ${name}: note: ${holes} type(s) used by the API but not exported (above)`)
  if (problems && !lenient) {
    throw new Error(
      `${name}: ${problems} TSDoc problem(s) above (every export, and every member of an exported type, needs a doc comment; {@link}s must resolve). ` +
        'The API reference is not generated with gaps.',
    )
  }
  rmSync(out, { recursive: true, force: true })
  await app.generateOutputs(project)
  if (app.logger.hasErrors()) throw new Error(`${name}: TypeDoc failed to write the API reference`)

  const subs = entries.filter((e) => e.subpath !== '.')
  const entryFiles = new Set(entries.map((e) => moduleFile(out, e)))
  for (const file of markdownFiles(out)) if (!entryFiles.has(file)) postProcess(file)
  for (const e of entries) {
    const file = moduleFile(out, e)
    if (!existsSync(file)) throw new Error(`${name}: expected TypeDoc to write ${relative(stagingDir, file)}`)
    const spec = e.subpath === '.' ? name : `${name}/${e.subpath.slice(2)}`
    const src = relative(repoRoot, e.file).split('\\').join('/')
    let extra = ''
    if (e.subpath === '.' && subs.length) {
      extra = `The package has more entry points: ${subs
        .map((s) => `[\`${name}/${s.name}\`](./${s.name}.md)`)
        .join(', ')}.\n\n`
    }
    const guide = existsSync(join(docsDir, 'packages', `${dir}.md`))
      ? ` The [guide](../../packages/${dir}.md) explains when and how to use it.`
      : ''
    postProcess(file, {
      title: `API: ${spec}`,
      intro: `Everything exported by \`import … from '${spec}'\`, generated from the TSDoc comments in \`${src}\`.${guide}`,
      extra,
    })
  }
  const written = readdirSync(out).filter((f) => f.endsWith('.md'))
  const expected = new Set(entries.map((e) => relative(out, moduleFile(out, e))))
  const stray = written.filter((f) => !expected.has(f))
  if (stray.length)
    throw new Error(
      `${name}: unexpected API pages ${stray.join(', ')} (entry points: ${[...expected].join(', ')})`,
    )
  mkdirSync(dirname(final), { recursive: true })
  rmSync(final, { recursive: true, force: true })
  renameSync(out, final)
  return { dir, name, entries }
}

const started = Date.now()
const done = []
let failed = 0
mkdirSync(apiDir, { recursive: true })
const present = packages()
if (!only.length) {
  // Pages of packages that no longer exist (or are not packages) go; the rest is replaced one by one.
  for (const e of readdirSync(apiDir, { withFileTypes: true })) {
    if (e.isDirectory() && !present.includes(e.name))
      rmSync(join(apiDir, e.name), { recursive: true, force: true })
  }
}
for (const dir of present) {
  const t0 = Date.now()
  try {
    done.push(await generate(dir))
    console.log(`api: ${dir} (${Date.now() - t0} ms)`)
  } catch (err) {
    failed++
    rmSync(join(apiDir, dir), { recursive: true, force: true })
    rmSync(join(stagingDir, dir), { recursive: true, force: true })
    console.error(`api: ${dir} FAILED: ${err.message}`)
  }
}

const list = readdirSync(apiDir, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(apiDir, d.name, 'index.md')))
  .map((d) => d.name)
  .sort()
writeFileSync(
  join(apiDir, 'index.md'),
  [
    '# API reference',
    '',
    'Generated from the TSDoc comments of each package at build time. Every export is documented: the docs build fails on an export without a doc comment.',
    '',
    ...(list.length
      ? list.map((d) => `- [\`@hotpath/${d}\`](./${d}/index.md)`)
      : ['No package has been generated yet.']),
    '',
  ].join('\n'),
)
console.log(
  `api: ${done.length} package(s) in ${Date.now() - started} ms${failed ? `, ${failed} FAILED` : ''}`,
)
if (failed && !lenient) process.exit(1)
