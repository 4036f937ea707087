// The ./web entry in a real browser: esbuild bundles src/web.ts, a local HTTP server on
// 127.0.0.1 serves it (a secure context, so crypto.subtle exists), and headless Chromium driven
// by playwright-core signs, verifies and runs the whole attack corpus.
import { existsSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { build } from 'esbuild'
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createVerifier, sign } from '../src/index.js'
import { attackCorpus } from './corpus.js'
import { b64, KEY256, KEY512, NOW, NOW_MS } from './helpers.js'

const CHROMIUM = '/usr/bin/chromium'
const available = existsSync(CHROMIUM)
if (!available) {
  const line = `chromium.test.ts: ${CHROMIUM} not found; install Debian's chromium package to run the browser tests`
  if (process.env.CI) throw new Error(line)
  console.warn(`\n!!! SKIPPED ${line}\n`)
}

/** What the page puts on globalThis (tests run without the DOM typings). */
interface PageGlobals {
  jwt: typeof import('../src/web.js')
  keyOf(spec: unknown): never
  ready?: boolean
  isSecureContext: boolean
  navigator: { userAgent: string }
}

const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>jwt-lite</title></head>
<body><script type="module">
  import * as jwt from '/jwt-lite-web.js'
  window.jwt = jwt
  // Keys arrive as plain data: { text } or { b64 } or { map: [[kid, key, alg?]] }.
  const bytes = (s) => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((s.length + 3) % 4)), (c) => c.charCodeAt(0))
  const one = (k) => ('text' in k ? k.text : bytes(k.b64))
  window.keyOf = (spec) => 'map' in spec
    ? new Map(spec.map.map(([kid, k, alg]) => [kid, alg ? { key: one(k), algorithm: alg } : one(k)]))
    : one(spec)
  window.ready = true
</script></body></html>`

describe.skipIf(!available)('./web entry in headless Chromium', () => {
  let server: Server
  let browser: Browser
  let page: Page
  const consoleErrors: string[] = []

  beforeAll(async () => {
    const bundle = await build({
      entryPoints: [new URL('../src/web.ts', import.meta.url).pathname],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      logLevel: 'silent',
    })
    const code = bundle.outputFiles[0]!.text
    server = createServer((req, res) => {
      if (req.url === '/jwt-lite-web.js') {
        res.writeHead(200, { 'content-type': 'text/javascript' }).end(code)
      } else if (req.url === '/') {
        res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE)
      } else if (req.url === '/favicon.ico') {
        res.writeHead(204).end()
      } else {
        res.writeHead(404).end()
      }
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    browser = await chromium.launch({
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
    page = await browser.newPage()
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text())
    })
    page.on('pageerror', (e) => consoleErrors.push(String(e)))
    const { port } = server.address() as AddressInfo
    await page.goto(`http://127.0.0.1:${port}/`)
    await page.waitForFunction(() => (globalThis as unknown as PageGlobals).ready === true)
  })

  afterAll(async () => {
    await browser?.close()
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
  })

  test('runs in a secure context with WebCrypto and no Node globals', async () => {
    const env = await page.evaluate(() => ({
      secure: (globalThis as unknown as PageGlobals).isSecureContext,
      subtle: typeof crypto.subtle?.sign,
      buffer: typeof (globalThis as { Buffer?: unknown }).Buffer,
      process: typeof (globalThis as { process?: unknown }).process,
      ua: (globalThis as unknown as PageGlobals).navigator.userAgent,
    }))
    expect(env).toMatchObject({ secure: true, subtle: 'function', buffer: 'undefined', process: 'undefined' })
    expect(env.ua).toMatch(/HeadlessChrome|Chrome/)
  })

  test('tokens signed in Chromium verify in Node, and Node tokens verify in Chromium', async () => {
    const fromBrowser = await page.evaluate(
      async ({ key, now }) => {
        const w = globalThis as unknown as PageGlobals
        const signer = w.jwt.createSigner({
          key: w.keyOf({ b64: key }),
          algorithm: 'HS512',
          expiresIn: '1h',
          now,
          keyId: 'b',
        })
        return signer({ sub: 'from-chromium', n: [1, 2, 3], é: '😀' })
      },
      { key: b64(KEY512), now: NOW_MS },
    )
    const verified = createVerifier({
      key: new Map([['b', { key: KEY512, algorithm: 'HS512' }]]),
      now: NOW_MS,
    })(fromBrowser)
    expect(verified.payload).toEqual({
      sub: 'from-chromium',
      n: [1, 2, 3],
      é: '😀',
      iat: NOW,
      exp: NOW + 3600,
    })

    const fromNode = sign({ sub: 'from-node', exp: NOW + 60 }, KEY256, { keyId: 'a' })
    const inBrowser = await page.evaluate(
      async ({ token, key, now }) => {
        const w = globalThis as unknown as PageGlobals
        const { header, payload } = await w.jwt.verify(token, w.keyOf({ b64: key }), { now })
        return { header, payload }
      },
      { token: fromNode, key: b64(KEY256), now: NOW_MS },
    )
    expect(inBrowser.header).toEqual({ alg: 'HS256', typ: 'JWT', kid: 'a' })
    expect(inBrowser.payload.sub).toBe('from-node')
  })

  test('every attack corpus case is rejected in Chromium with its code', async () => {
    const corpus = attackCorpus()
    const codes = await page.evaluate(async (cases) => {
      const w = globalThis as unknown as PageGlobals
      const out: string[] = []
      for (const c of cases) {
        try {
          await w.jwt.verify(c.token, w.keyOf(c.key), c.options as never)
          out.push('no error')
        } catch (err) {
          out.push(
            err instanceof w.jwt.JwtError ? err.code : `${(err as Error).name}: ${(err as Error).message}`,
          )
        }
      }
      return out
    }, corpus)
    expect(codes).toEqual(corpus.map((c) => c.expected))
  })

  test('claim errors, generateSecret and the cache behave in Chromium as in Node', async () => {
    const result = await page.evaluate(async (now) => {
      const w = globalThis as unknown as PageGlobals
      const key = w.jwt.generateSecret('HS256')
      const signer = w.jwt.createSigner({ key, expiresIn: 60, now })
      const token = await signer({ sub: 's' })
      const expired = await w.jwt.verify(token, key, { now: now + 60_000 }).then(
        () => null,
        (e: InstanceType<typeof w.jwt.JwtClaimError>) => [e.name, e.code, e.claim, e.reason],
      )
      const cached = w.jwt.createVerifier({ key, now, cache: true })
      const a = await cached(token)
      const b = await cached(token)
      return { length: key.length, expired, same: a === b, frozen: Object.isFrozen(a.payload) }
    }, NOW_MS)
    expect(result).toEqual({
      length: 32,
      expired: ['JwtClaimError', 'ERR_JWT_EXPIRED', 'exp', 'expired'],
      same: true,
      frozen: true,
    })
  })

  test('no console errors', () => {
    expect(consoleErrors).toEqual([])
  })
})
