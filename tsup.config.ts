import { existsSync, readFileSync } from 'node:fs'
import { defineConfig } from 'tsup'

// The one build config for every package. It runs with the package folder as
// cwd and derives the entry points from the package's own "exports" map, so a
// package declares its public entries once (in package.json) and nowhere else:
//   "."        -> src/index.ts             -> dist/index.{js,cjs,d.ts,d.cts}
//   "./redis"  -> src/redis.ts | src/redis/index.ts -> dist/redis.{...}
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { exports: Record<string, unknown> }

const entry: Record<string, string> = {}
for (const key of Object.keys(pkg.exports)) {
  if (key === './package.json') continue
  const name = key === '.' ? 'index' : key.slice(2)
  const candidates = key === '.' ? ['src/index.ts'] : [`src/${name}.ts`, `src/${name}/index.ts`]
  const file = candidates.find((c) => existsSync(c))
  if (!file) throw new Error(`export "${key}" has no source file (looked for ${candidates.join(', ')})`)
  entry[name] = file
}

export default defineConfig({
  entry,
  format: ['esm', 'cjs'],
  // tsup's d.ts pass sets `baseUrl`, which TypeScript 6 deprecates; nothing of ours uses it.
  dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
  clean: true,
  sourcemap: true,
  target: 'es2022',
  platform: 'neutral',
  treeshake: true,
  splitting: false,
  minify: false,
  // Keep `node:` specifiers as written: the bare forms are riskier on Deno and
  // edge runtimes, and the size check treats node: built-ins as external.
  removeNodeProtocol: false,
  external: [/^node:/],
})
