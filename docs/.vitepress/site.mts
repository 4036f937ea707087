// Config-time knowledge of the repository: which packages, guides, API pages,
// benchmark results and demos exist *right now*. Everything the site links to
// is discovered from the filesystem here, so a package that has not landed yet
// simply does not appear (instead of producing a dead link).
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const docsDir: string = resolve(dirname(fileURLToPath(import.meta.url)), '..')
export const repoRoot: string = resolve(docsDir, '..')

/** Public repository (from the packages' package.json "repository"). */
export const repoUrl = 'https://github.com/hotpath/hotpath'

export interface PackageInfo {
  /** folder under packages/ and docs/packages/ */
  dir: string
  name: string
  /** one-line promise shown on the home page */
  promise: string
  /** benchmark suite name in bench/results/<suite>.json */
  suite: string
}

/** The five packages, in the order the site presents them. */
export const PACKAGES: PackageInfo[] = [
  {
    dir: 'lru-cache',
    name: '@hotpath/lru-cache',
    promise:
      'An O(1) LRU cache on typed arrays — TTL, size limits and stampede-safe fetch — that drops in for lru-cache.',
    suite: 'lru-cache',
  },
  {
    dir: 'rate-limiter',
    name: '@hotpath/rate-limiter',
    promise:
      'Six rate-limiting algorithms behind one call, in memory or on Redis, with standard RateLimit headers.',
    suite: 'rate-limiter',
  },
  {
    dir: 'consistent-hash',
    name: '@hotpath/consistent-hash',
    promise:
      'Ketama rings, jump, rendezvous, Maglev and bounded-load hashing: move the fewest keys when nodes change.',
    suite: 'consistent-hash',
  },
  {
    dir: 'snowflake-id',
    name: '@hotpath/snowflake-id',
    promise:
      'Time-ordered 64-bit IDs in the Twitter, Discord, Sonyflake or Instagram layout that survive a clock going backwards.',
    suite: 'snowflake-id',
  },
  {
    dir: 'jwt-lite',
    name: '@hotpath/jwt-lite',
    promise:
      'Strict JWT sign and verify for Node and WebCrypto, with prepared keys for the fast path and typed error codes.',
    suite: 'jwt-lite',
  },
]

/** Where benchmark results are read from; HOTPATH_BENCH_RESULTS overrides (the docs tests use a fixture). */
export function resultsDir(): string {
  const override = process.env.HOTPATH_BENCH_RESULTS
  return override ? resolve(repoRoot, override) : join(repoRoot, 'bench', 'results')
}

// ---------------------------------------------------------------------------
// Benchmark results (schema written by bench/lib/harness.mjs)

export interface BenchRow {
  name: string
  role: 'hotpath' | 'peer' | 'baseline'
  version: string | null
  medianOpsPerSec: number | null
  meanOpsPerSec: number | null
  marginPct: number | null
  samples: number
  ratioToBestPeer: number | null
  ratioToBaseline: number | null
  correct: boolean
  /** a physical limit computed rather than timed (e.g. 4,096 IDs per ms) */
  fixed?: boolean
  error?: string
  metrics?: Record<string, number | string>
}
export interface BenchWorkload {
  name: string
  ops: number
  note?: string
  bestPeer: string | null
  rows: BenchRow[]
}
export interface BenchTable {
  title: string
  columns: string[]
  rows: (string | number | null)[][]
  note?: string
}
export interface BenchResult {
  suite: string
  date: string
  quick: boolean
  machine: { cpu: string; cores: number; memoryGiB: number; node: string; v8: string; platform: string }
  workloads: BenchWorkload[]
  tables?: BenchTable[]
}

/** Suite names that have a results file, sorted in package order then by name. */
export function listSuites(): string[] {
  const dir = resultsDir()
  if (!existsSync(dir)) return []
  const order = PACKAGES.map((p) => p.suite)
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -5))
    .filter((s) => /^[a-z0-9][a-z0-9._-]*$/i.test(s))
    .sort((a, b) => {
      const ia = order.indexOf(a)
      const ib = order.indexOf(b)
      return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.localeCompare(b)
    })
}

export function readSuite(suite: string): BenchResult {
  const file = join(resultsDir(), `${suite}.json`)
  let data: BenchResult
  try {
    data = JSON.parse(readFileSync(file, 'utf8'))
  } catch (err) {
    throw new Error(`cannot read benchmark results ${file}: ${(err as Error).message}`)
  }
  if (!data || !Array.isArray(data.workloads) || !data.machine) {
    throw new Error(
      `benchmark results ${file} do not follow the harness schema (need machine and workloads[])`,
    )
  }
  return { ...data, suite: data.suite || suite, tables: data.tables ?? [] }
}

/** The one-line summary of a suite used on the home and benchmark overview pages. */
export interface BenchHeadline {
  suite: string
  date: string
  quick: boolean
  machine: string
  workloads: number
  /** workloads where hotpath's median beats every correct peer */
  wins: number
  /** workloads that have at least one correct peer to compare against */
  compared: number
  /** geometric mean over those workloads of hotpath's median / the best correct peer's */
  geomean: number | null
  /** the first workload (suites list their primary workload first) */
  lead: { workload: string; opsPerSec: number | null; ratio: number | null; peer: string | null } | null
}

export function headline(r: BenchResult): BenchHeadline {
  let wins = 0
  let compared = 0
  let lead: BenchHeadline['lead'] = null
  let logSum = 0
  for (const w of r.workloads) {
    const hp = w.rows.find((row) => row.role === 'hotpath')
    if (!hp) continue
    const ratio = hp.correct ? ratioToBestPeer(w, hp) : null
    if (ratio != null && ratio > 0) {
      compared++
      logSum += Math.log(ratio)
      if (ratio > 1) wins++
    }
    if (!lead) lead = { workload: w.name, opsPerSec: hp.medianOpsPerSec, ratio, peer: w.bestPeer }
  }
  return {
    suite: r.suite,
    date: r.date,
    quick: !!r.quick,
    machine: machineLine(r),
    workloads: r.workloads.length,
    wins,
    compared,
    geomean: compared ? Math.exp(logSum / compared) : null,
    lead,
  }
}

/** hotpath's median over the best correct peer's, from the harness figure or recomputed from the rows. */
export function ratioToBestPeer(w: BenchWorkload, row: BenchRow): number | null {
  if (row.ratioToBestPeer != null) return row.ratioToBestPeer
  const peer = w.rows.find((r) => r.name === w.bestPeer)
  if (!peer?.medianOpsPerSec || row.medianOpsPerSec == null) return null
  return row.medianOpsPerSec / peer.medianOpsPerSec
}

export function machineLine(r: BenchResult): string {
  const m = r.machine
  return `${m.cpu} (${m.cores} cores, ${m.memoryGiB} GiB), Node ${m.node}${m.v8 ? ` (V8 ${m.v8})` : ''}, ${m.platform}`
}

// ---------------------------------------------------------------------------
// What exists on disk

export interface EntryPoint {
  /** "." or "./web" */
  subpath: string
  /** "index" or "web" */
  name: string
  /** absolute source file */
  file: string
}

/** The package's entry points from its package.json "exports" (the same rule as tsup.config.ts). */
export function entryPoints(dir: string): EntryPoint[] {
  const pkgDir = join(repoRoot, 'packages', dir)
  const json = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'))
  const keys = json.exports && typeof json.exports === 'object' ? Object.keys(json.exports) : ['.']
  return keys
    .filter((k) => k !== './package.json' && k.startsWith('.'))
    .map((subpath) => {
      const name = subpath === '.' ? 'index' : subpath.slice(2)
      const candidates = subpath === '.' ? ['src/index.ts'] : [`src/${name}.ts`, `src/${name}/index.ts`]
      const found = candidates.map((c) => join(pkgDir, c)).find((c) => existsSync(c))
      if (!found) {
        throw new Error(
          `${json.name}: export "${subpath}" has no source file (looked for ${candidates.join(', ')})`,
        )
      }
      return { subpath, name, file: found }
    })
}

/** Package folders that exist under packages/ (with a package.json). */
export function existingPackages(): string[] {
  const dir = join(repoRoot, 'packages')
  if (!existsSync(dir)) return []
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'package.json')))
    .map((d) => d.name)
    .sort()
}

export interface PackageState extends PackageInfo {
  exists: boolean
  guide: string | null
  api: { text: string; link: string }[]
  bench: string | null
}

/** Everything the site can link to for each of the five packages (plus any other package found). */
export function packageStates(): PackageState[] {
  const suites = new Set(listSuites())
  const known = new Set(PACKAGES.map((p) => p.dir))
  const extra: PackageInfo[] = existingPackages()
    .filter((d) => !known.has(d))
    .map((d) => ({ dir: d, name: `@hotpath/${d}`, promise: '', suite: d }))
  return [...PACKAGES, ...extra].map((p) => {
    const apiDir = join(docsDir, 'api', p.dir)
    const api: PackageState['api'] = []
    if (existsSync(join(apiDir, 'index.md'))) {
      api.push({ text: 'API reference', link: `/api/${p.dir}/` })
      for (const f of readdirSync(apiDir)
        .filter((f) => f.endsWith('.md') && f !== 'index.md')
        .sort()) {
        const sub = f.slice(0, -3)
        api.push({ text: `API: ./${sub}`, link: `/api/${p.dir}/${sub}` })
      }
    }
    return {
      ...p,
      exists: existsSync(join(repoRoot, 'packages', p.dir, 'package.json')),
      guide: existsSync(join(docsDir, 'packages', `${p.dir}.md`)) ? `/packages/${p.dir}` : null,
      api,
      bench: suites.has(p.suite) ? `/benchmarks/${p.suite}` : null,
    }
  })
}

/** Demo pages present under docs/demos/. */
export function demoPages(): { text: string; link: string }[] {
  const titles: Record<string, string> = { 'hash-ring': 'Hash ring', 'rate-limiter': 'Rate limiter' }
  const dir = join(docsDir, 'demos')
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .filter((f) => f.endsWith('.md') && f !== 'index.md')
    .sort()
    .map((f) => f.slice(0, -3))
    .map((name) => ({ text: titles[name] ?? name, link: `/demos/${name}` }))
}
