// Browser test of the built docs site (run `npm run docs:build` first; this
// builds nothing). Serves docs/.vitepress/dist on 127.0.0.1 and opens every
// built page in headless Chromium (playwright-core + Debian's chromium):
//   - no console error, page error, failed request or HTTP error on any page
//   - every internal <a href> resolves to a built page, and its #anchor exists
//   - every benchmark page has a chart per workload, each with data points
//   - local search finds "token bucket" (once the rate-limiter guide exists)
//   - both live demos respond to a click (once their packages exist)
//   - screenshots: home, a benchmark page, each demo -> docs/test/screenshots/
// Prints one line per check, then `docs: N passed, N failed`; writes
// {"passed","failed"} to $HOTPATH_RESULTS_DIR/docs.json when that is set.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { extname, join, normalize, relative, resolve, sep } from 'node:path'
import { chromium } from 'playwright-core'

const docsDir = resolve(import.meta.dirname, '..')
const repoRoot = resolve(docsDir, '..')
const dist = join(docsDir, '.vitepress', 'dist')
const shots = join(docsDir, 'test', 'screenshots')
const CHROMIUM = process.env.HOTPATH_CHROMIUM || '/usr/bin/chromium'
const BUDGET_MS = 170_000
const CONCURRENCY = 3

/** Runs fn over items, at most `limit` at a time; results in item order. */
async function pool(items, limit, fn) {
  const results = new Array(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const i = next++
      results[i] = await fn(items[i])
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}

let passed = 0
let failed = 0
function check(name, ok, detail = '') {
  if (ok) passed++
  else failed++
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? ` — ${detail}` : ''}`)
  return ok
}
function finish() {
  console.log(`docs: ${passed} passed, ${failed} failed`)
  if (process.env.HOTPATH_RESULTS_DIR) {
    mkdirSync(process.env.HOTPATH_RESULTS_DIR, { recursive: true })
    writeFileSync(
      join(process.env.HOTPATH_RESULTS_DIR, 'docs.json'),
      `${JSON.stringify({ passed, failed })}\n`,
    )
  }
  process.exitCode = failed || !passed ? 1 : 0
}

if (!existsSync(join(dist, 'index.html'))) {
  check('built site present', false, `${dist}/index.html is missing: run \`npm run docs:build\` first`)
  finish()
  process.exit()
}

// ---------------------------------------------------------------------------
// Static server for the built site (cleanUrls is off: pages are *.html).

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml',
}

/** The built file a URL path is served from, or null (what a static host would do). */
function fileFor(pathname) {
  let p
  try {
    p = decodeURIComponent(pathname)
  } catch {
    return null
  }
  const abs = normalize(join(dist, p))
  if (abs !== dist && !abs.startsWith(dist + sep)) return null
  const candidates = p.endsWith('/') ? [join(abs, 'index.html')] : [abs, `${abs}.html`]
  return candidates.find((c) => existsSync(c) && statSync(c).isFile()) ?? null
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x')
  const file = fileFor(url.pathname)
  if (!file) {
    res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' })
    res.end(existsSync(join(dist, '404.html')) ? readFileSync(join(dist, '404.html')) : 'not found')
    return
  }
  res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' })
  res.end(readFileSync(file))
})
await new Promise((ok) => server.listen(0, '127.0.0.1', ok))
const origin = `http://127.0.0.1:${server.address().port}`

const timer = setTimeout(() => {
  check('runtime budget', false, `still running after ${BUDGET_MS / 1000} s`)
  finish()
  process.exit(1)
}, BUDGET_MS)
timer.unref()

// Every built page, as the URL the site links to.
function builtPages(dir = dist, prefix = '/') {
  const out = []
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) {
      if (e.name !== 'assets') out.push(...builtPages(join(dir, e.name), `${prefix}${e.name}/`))
    } else if (e.name.endsWith('.html')) {
      out.push(e.name === 'index.html' ? prefix : `${prefix}${e.name}`)
    }
  }
  return out.sort()
}
const pages = builtPages()
const isBenchPage = (p) => /^\/benchmarks\/(?!index\.html$)[^/]+\.html$/.test(p)

// ---------------------------------------------------------------------------

mkdirSync(shots, { recursive: true })
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
  ],
})
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
context.setDefaultTimeout(20_000)

/** Opens a page and records everything that went wrong while it loaded and ran. */
async function open(path, ctx = context) {
  const page = await ctx.newPage()
  const problems = []
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`)
  })
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`))
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`)
  })
  await page.goto(origin + path, { waitUntil: 'networkidle' })
  // VitePress hydrates into #app; wait for Vue to have mounted.
  await page.waitForFunction(() => !!document.querySelector('#app')?.__vue_app__, null, { timeout: 10_000 })
  return { page, problems }
}

const anchors = new Map() // page path -> Set of ids
const linksFrom = new Map() // page path -> [href]

try {
  // Pages are visited a few at a time (most of a visit is waiting for the network to go idle);
  // their checks are reported in page order.
  const perPage = await pool(pages, CONCURRENCY, async (path) => {
    const out = []
    const check = (name, ok, detail = '') => out.push([name, ok, detail])
    let opened
    try {
      opened = await open(path)
    } catch (err) {
      check(`page ${path} loads`, false, err.message.split('\n')[0])
      return out
    }
    const { page, problems } = opened
    const info = await page.evaluate(() => ({
      ids: [...document.querySelectorAll('[id], a[name]')].map((e) => e.id || e.getAttribute('name')),
      links: [...document.querySelectorAll('a[href]')].map((a) => a.href),
      title: document.title,
      h1: document.querySelector('.vp-doc h1, .VPHero .name, .NotFound .title')?.textContent?.trim() ?? '',
    }))
    anchors.set(path, new Set(info.ids))
    linksFrom.set(path, info.links)
    check(
      `page ${path} loads clean`,
      problems.length === 0 && !!info.h1,
      problems.length ? problems.join('; ') : info.h1 ? '' : 'no page title (h1) rendered',
    )

    if (isBenchPage(path)) {
      const charts = await page.evaluate(() =>
        [...document.querySelectorAll('svg.bench-chart')].map((svg) => ({
          workload: svg.getAttribute('data-workload'),
          points: [...svg.querySelectorAll('rect.bar[data-value]')].filter(
            (r) => Number(r.getAttribute('data-value')) > 0 && Number(r.getAttribute('width')) > 0,
          ).length,
        })),
      )
      const sections = await page.evaluate(() => document.querySelectorAll('.vp-doc h2').length)
      const empty = charts.filter((c) => c.points === 0).map((c) => c.workload)
      check(
        `bench chart ${path}`,
        charts.length > 0 && empty.length === 0,
        `${charts.length} chart(s), ${charts.reduce((s, c) => s + c.points, 0)} data points${empty.length ? `; no data points in: ${empty.join(', ')}` : ''} (${sections} sections)`,
      )
    }
    if (path === '/') await page.screenshot({ path: join(shots, 'home.png'), fullPage: true })
    await page.close()
    return out
  })
  for (const results of perPage) for (const [name, ok, detail] of results) check(name, ok, detail)

  // Every internal link resolves to a built page, and its #anchor exists there.
  for (const [from, links] of linksFrom) {
    const broken = []
    let count = 0
    for (const href of links) {
      const u = new URL(href)
      if (u.origin !== origin) continue
      count++
      const file = fileFor(u.pathname)
      if (!file) {
        broken.push(`${u.pathname} (no such page)`)
        continue
      }
      if (!file.endsWith('.html')) continue
      if (u.hash && u.hash.length > 1) {
        let target = u.pathname.endsWith('/') ? u.pathname : u.pathname.replace(/\/index\.html$/, '/')
        if (!anchors.has(target) && anchors.has(`${target}.html`)) target = `${target}.html`
        const ids = anchors.get(target)
        const id = decodeURIComponent(u.hash.slice(1))
        if (ids && !ids.has(id)) broken.push(`${u.pathname}${u.hash} (no such anchor)`)
      }
    }
    check(
      `links ${from}`,
      broken.length === 0,
      broken.length ? `broken: ${[...new Set(broken)].join(', ')}` : `${count} internal links resolve`,
    )
  }

  // One benchmark page per results file the site was built from.
  const resultsDir = process.env.HOTPATH_BENCH_RESULTS
    ? resolve(repoRoot, process.env.HOTPATH_BENCH_RESULTS)
    : join(repoRoot, 'bench', 'results')
  const suites = existsSync(resultsDir)
    ? readdirSync(resultsDir)
        .filter((f) => f.endsWith('.json'))
        .map((f) => f.slice(0, -5))
    : []
  const missing = suites.filter((s) => !pages.includes(`/benchmarks/${s}.html`))
  check(
    'a benchmark page per results file',
    missing.length === 0,
    missing.length
      ? `no page for ${missing.join(', ')}`
      : `${suites.length} suite(s) in ${relative(repoRoot, resultsDir) || '.'}`,
  )

  // A benchmark page screenshot (prefer the lru-cache suite), plus dark mode and a phone.
  const benchPages = pages.filter(isBenchPage)
  if (benchPages.length) {
    const target = benchPages.find((p) => p.includes('lru-cache')) ?? benchPages[0]
    const { page } = await open(target)
    await page.screenshot({ path: join(shots, 'benchmark.png'), fullPage: true })
    await page.close()
  } else {
    console.log('note no benchmark results in bench/results yet: no benchmark pages to check')
  }
  {
    const dark = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'dark' })
    const { page, problems } = await open(benchPages[0] ?? '/', dark)
    await page.screenshot({ path: join(shots, 'dark.png') })
    const isDark = await page.evaluate(() => document.documentElement.classList.contains('dark'))
    check('dark mode follows the system preference', isDark && problems.length === 0, problems.join('; '))
    await dark.close()
    // Phone layout: no page may scroll sideways (tables and code scroll inside themselves).
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    })
    const wide = []
    const phoneProblems = []
    await pool(pages, CONCURRENCY, async (path) => {
      const m = await open(path, phone)
      const overflow = await m.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
      if (overflow > 0) wide.push(`${path} (+${overflow}px)`)
      phoneProblems.push(...m.problems.map((p) => `${path}: ${p}`))
      if (path === '/') await m.page.screenshot({ path: join(shots, 'home-mobile.png') })
      await m.page.close()
    })
    check(
      'phone layout (390 px): no page scrolls sideways',
      wide.length === 0 && phoneProblems.length === 0,
      [...wide, ...phoneProblems].join('; ') || `${pages.length} pages`,
    )
    await phone.close()
  }

  // Client-side navigation (VitePress's router, no full reload) renders the same pages without errors.
  {
    const { page, problems } = await open('/')
    await page.evaluate(() => {
      window.__sameDocument = true
    })
    const visited = []
    const targets = [
      '/benchmarks/',
      ...benchPages.slice(0, 2),
      ...pages.filter((p) => p.startsWith('/demos/')),
      ...pages.filter((p) => p.startsWith('/api/')).slice(0, 2),
    ]
    for (const target of targets) {
      try {
        // any visible link to the target (index pages may be linked as /x/ or /x/index.html)
        const index = await page.evaluate((t) => {
          const norm = (p) => p.replace(/\/index\.html$/, '/')
          return [...document.querySelectorAll('a[href]')].findIndex((a) => {
            const u = new URL(a.href)
            return (
              u.origin === location.origin &&
              norm(u.pathname) === t &&
              !u.hash &&
              a.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })
            )
          })
        }, target)
        if (index < 0) {
          problems.push(`no visible link to ${target} on ${new URL(page.url()).pathname}`)
          continue
        }
        await page.locator('a[href]').nth(index).click()
        await page.waitForURL((u) => u.pathname.replace(/\/index\.html$/, '/') === target, {
          timeout: 10_000,
        })
        const selector = isBenchPage(target) ? 'svg.bench-chart rect.bar' : '.vp-doc h1'
        try {
          await page.waitForSelector(selector, { timeout: 10_000 })
        } catch {
          problems.push(`${target} rendered without its content (${selector})`)
        }
        visited.push(target)
      } catch (err) {
        problems.push(`${target}: ${err.message.split('\n')[0]}`)
      }
    }
    if (!(await page.evaluate(() => window.__sameDocument === true)))
      problems.push('a link reloaded the page instead of using the router')
    check(
      'client-side navigation',
      problems.length === 0,
      problems.length ? problems.join('; ') : `${visited.length} pages via the router`,
    )
    await page.close()
  }

  // Local search (VitePress built-in) finds the rate limiter's token bucket.
  const rateLimiterExists = existsSync(join(repoRoot, 'packages', 'rate-limiter', 'package.json'))
  if (rateLimiterExists || existsSync(join(dist, 'packages', 'rate-limiter.html'))) {
    const { page, problems } = await open('/')
    await page.click('#local-search button')
    await page.fill('#localsearch-input', 'token bucket')
    let results = []
    try {
      await page.waitForSelector('#localsearch-list li a.result', { timeout: 10_000 })
      results = await page.$$eval('#localsearch-list li a.result', (as) =>
        as.map((a) => a.getAttribute('href')),
      )
    } catch {}
    const onPage = results.filter((h) => /rate-limiter/.test(h ?? ''))
    check(
      'search "token bucket"',
      onPage.length > 0 && problems.length === 0,
      `${results.length} result(s), ${onPage.length} on rate-limiter pages${results.length ? ` (first: ${results[0]})` : ''} ${problems.join('; ')}`,
    )
    await page.close()
  } else {
    console.log('note packages/rate-limiter does not exist yet: search check not applicable')
  }

  // Live demos: present once their packages exist; each must respond to a click.
  const demos = [
    {
      pkg: 'consistent-hash',
      path: '/demos/hash-ring.html',
      shot: 'demo-hash-ring.png',
      click: '[data-test="add-node"]',
      watch: '[data-test="state"]',
    },
    {
      pkg: 'rate-limiter',
      path: '/demos/rate-limiter.html',
      shot: 'demo-rate-limiter.png',
      click: '[data-test="send"]',
      watch: '[data-test="state"]',
    },
  ]
  for (const d of demos) {
    const expected = existsSync(join(repoRoot, 'packages', d.pkg, 'package.json'))
    const built = existsSync(join(dist, d.path))
    if (!expected && !built) {
      console.log(`note packages/${d.pkg} does not exist yet: ${d.path} not applicable`)
      continue
    }
    if (
      !check(
        `demo ${d.path} built`,
        built,
        built ? '' : `packages/${d.pkg} exists but the demo page was not built`,
      )
    )
      continue
    const { page, problems } = await open(d.path)
    let before = ''
    let after = ''
    try {
      await page.waitForSelector(`${d.watch}[data-ready="true"]`, { timeout: 10_000 })
      before = await page.getAttribute(d.watch, 'data-state')
      await page.click(d.click)
      await page.waitForFunction(
        ([sel, prev]) => document.querySelector(sel)?.getAttribute('data-state') !== prev,
        [d.watch, before],
        { timeout: 5_000 },
      )
      after = await page.getAttribute(d.watch, 'data-state')
    } catch (err) {
      problems.push(err.message.split('\n')[0])
    }
    await page.waitForTimeout(400)
    await page.screenshot({ path: join(shots, d.shot), fullPage: false })
    check(
      `demo ${d.path} responds to a click`,
      !!after && after !== before && problems.length === 0,
      `${before} -> ${after} ${problems.join('; ')}`,
    )
    await page.close()
  }
} finally {
  await browser.close()
  server.close()
  clearTimeout(timer)
}
finish()
