import { existsSync } from 'node:fs'
import { join, posix, relative, resolve, sep } from 'node:path'
import { type DefaultTheme, defineConfig } from 'vitepress'
import { suiteTitle } from './bench-md.mts'
import { demoPages, docsDir, listSuites, packageStates, repoRoot, repoUrl } from './site.mts'

// Discovered at config time, so pages that do not exist yet are never linked.
const packages = packageStates()
const suites = listSuites()
const demos = demoPages()
const hasApiIndex = existsSync(join(docsDir, 'api', 'index.md'))

function packageItems(): DefaultTheme.SidebarItem[] {
  return packages
    .filter((p) => p.guide || p.api.length || p.bench)
    .map((p) => {
      const items: DefaultTheme.SidebarItem[] = []
      if (p.guide) items.push({ text: 'Guide', link: p.guide })
      items.push(...p.api)
      if (p.bench) items.push({ text: 'Benchmarks', link: p.bench })
      return { text: p.name, collapsed: true, items }
    })
}

const sidebar: DefaultTheme.SidebarItem[] = [
  {
    text: 'Introduction',
    items: [
      { text: 'What is hotpath', link: '/' },
      { text: 'Install', link: '/#install' },
      { text: '30-second examples', link: '/#examples' },
    ],
  },
  { text: 'Packages', items: packageItems() },
  {
    text: 'Benchmarks',
    items: [
      { text: 'Overview', link: '/benchmarks/' },
      ...suites.map((s) => ({ text: suiteTitle(s), link: `/benchmarks/${s}` })),
    ],
  },
]
if (demos.length) sidebar.push({ text: 'Live demos', items: demos })
if (hasApiIndex)
  sidebar.push({ text: 'API reference', collapsed: true, items: [{ text: 'All packages', link: '/api/' }] })

const guides = packages.filter((p) => p.guide)
const nav: DefaultTheme.NavItem[] = []
if (guides.length)
  nav.push({ text: 'Packages', items: guides.map((p) => ({ text: p.name, link: p.guide! })) })
if (hasApiIndex) nav.push({ text: 'API', link: '/api/', activeMatch: '^/api/' })
nav.push({ text: 'Benchmarks', link: '/benchmarks/', activeMatch: '^/benchmarks/' })
if (demos.length) nav.push({ text: 'Demos', items: demos, activeMatch: '^/demos/' })

export default defineConfig({
  title: 'hotpath',
  description:
    'Fast, strict, dependency-free building blocks for backend systems: LRU cache, rate limiter, consistent hashing, Snowflake IDs, JWT.',
  lang: 'en-US',
  cleanUrls: false,
  srcExclude: ['test/**', 'scripts/**', 'README.md', 'node_modules/**'],
  head: [
    ['link', { rel: 'icon', type: 'image/svg+xml', href: '/favicon.svg' }],
    ['meta', { name: 'theme-color', content: '#ea580c' }],
  ],
  themeConfig: {
    logo: { src: '/favicon.svg', alt: '' },
    nav,
    sidebar,
    search: { provider: 'local' },
    outline: { level: [2, 3] },
    footer: {
      message: 'MIT licensed · measured, not promised: every benchmark page shows where a peer wins.',
    },
  },
  markdown: {
    config(md) {
      // Guides may link to files in the repository outside docs/ (a package's
      // README, a bench suite, a source file). Those are not pages of this site,
      // so point them at the repository instead of producing a dead link.
      md.core.ruler.push('hotpath-repo-links', (state) => {
        const env = state.env as { relativePath?: string }
        if (!env.relativePath) return
        const pageDir = posix.dirname(env.relativePath)
        for (const block of state.tokens) {
          for (const t of block.children ?? []) {
            if (t.type !== 'link_open') continue
            const hrefAttr = t.attrGet('href')
            if (!hrefAttr) continue
            const absBench = /^\/benchmarks\/([^/#?]+?)(?:\.md|\.html)?(?:#.*)?$/.exec(hrefAttr)
            if (absBench && absBench[1] !== 'index' && !suites.includes(absBench[1]!)) {
              t.attrSet('href', '/benchmarks/')
              continue
            }
            if (/^[a-z][a-z0-9+.-]*:|^\/|^#/i.test(hrefAttr)) continue
            const [path, hash] = hrefAttr.split('#')
            const abs = resolve(docsDir, pageDir, path!)
            const fromDocs = relative(docsDir, abs)
            // A guide may link to its benchmark page before bench/results/<suite>.json is
            // committed: send the reader to the overview (which says how to run it) meanwhile.
            const bench = /^benchmarks[\\/]([^\\/]+?)(?:\.md|\.html)?$/.exec(fromDocs)
            if (bench && bench[1] !== 'index' && !suites.includes(bench[1]!)) {
              t.attrSet('href', '/benchmarks/')
              continue
            }
            if (!fromDocs.startsWith('..')) continue
            const inRepo = relative(repoRoot, abs).split(sep).join('/')
            if (inRepo.startsWith('..')) continue
            const kind = existsSync(abs) && !/\.[a-z0-9]+$/i.test(inRepo) ? 'tree' : 'blob'
            t.attrSet('href', `${repoUrl}/${kind}/main/${inRepo}${hash ? `#${hash}` : ''}`)
          }
        }
      })
    },
  },
  vite: {
    build: { chunkSizeWarningLimit: 1500 },
  },
})
