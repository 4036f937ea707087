// Build-time data for the home page, the benchmark overview and the per-package
// link bar: which packages/guides/API pages exist and each suite's headline.
import { type BenchHeadline, demoPages, headline, listSuites, packageStates, readSuite } from '../site.mts'

export interface SitePackage {
  dir: string
  name: string
  suite: string
  promise: string
  exists: boolean
  guide: string | null
  api: { text: string; link: string }[]
  bench: string | null
  demo: { text: string; link: string } | null
  headline: BenchHeadline | null
}

export interface SiteData {
  packages: SitePackage[]
  suites: (BenchHeadline & { title: string; link: string })[]
  demos: { text: string; link: string }[]
}

declare const data: SiteData

export { data }

export default {
  load(): SiteData {
    const heads = new Map(listSuites().map((s) => [s, headline(readSuite(s))]))
    const demos = demoPages()
    const demoFor: Record<string, string> = {
      'consistent-hash': '/demos/hash-ring',
      'rate-limiter': '/demos/rate-limiter',
    }
    const packages = packageStates().map((p) => ({
      dir: p.dir,
      name: p.name,
      suite: p.suite,
      promise: p.promise,
      exists: p.exists,
      guide: p.guide,
      api: p.api,
      bench: p.bench,
      demo: demos.find((d) => d.link === demoFor[p.dir]) ?? null,
      headline: heads.get(p.suite) ?? null,
    }))
    const suites = [...heads.values()].map((h) => ({
      ...h,
      title: packages.find((p) => p.suite === h.suite)?.name ?? h.suite,
      link: `/benchmarks/${h.suite}`,
    }))
    return { packages, suites, demos }
  },
}
