import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import express from 'express'
import Fastify, { type FastifyInstance } from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import {
  fastifyRateLimit,
  MemoryStore,
  RateLimiter,
  type RateLimitPolicy,
  rateLimitMiddleware,
  type Store,
  type StoreBinding,
} from '../src/index.js'
import { FakeClock } from './helpers.js'

// Real servers on 127.0.0.1, real HTTP requests (Node's fetch).

const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  while (closers.length) await closers.pop()!()
})

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  )
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

async function listenFastify(app: FastifyInstance): Promise<string> {
  const url = await app.listen({ host: '127.0.0.1', port: 0 })
  closers.push(() => app.close())
  return url
}

const get = async (url: string, headers: Record<string, string> = {}) => {
  const res = await fetch(url, { headers })
  return { status: res.status, headers: res.headers, body: await res.text() }
}

// 60 s windows on a clock parked 17 s before a window ends: RateLimit t=17.
const parked = () => new FakeClock(1_700_000_023_000)

describe('node:http', () => {
  it('sets the headers, answers 429 with Retry-After past the limit', async () => {
    const clock = parked()
    const limiter = new RateLimiter({
      algorithm: 'fixed-window',
      limit: 2,
      windowMs: 60_000,
      clock: clock.now,
    })
    const limit = rateLimitMiddleware(limiter)
    const url = await listen(
      createServer((req, res) =>
        limit(req, res, (err) => {
          res.statusCode = err ? 500 : 200
          res.end(err ? String(err) : 'hello')
        }),
      ),
    )
    const first = await get(url)
    expect(first.status).toBe(200)
    expect(first.body).toBe('hello')
    expect(first.headers.get('ratelimit-policy')).toBe('"default";q=2;w=60')
    expect(first.headers.get('ratelimit')).toBe('"default";r=1;t=17')
    expect(first.headers.get('x-ratelimit-limit')).toBe('2')
    expect(first.headers.get('x-ratelimit-remaining')).toBe('1')
    const reset = Number(first.headers.get('x-ratelimit-reset'))
    expect(Math.abs(reset - (Date.now() + 17_000) / 1000)).toBeLessThan(3)
    expect(first.headers.get('retry-after')).toBeNull()
    expect((await get(url)).status).toBe(200)
    const third = await get(url)
    expect(third.status).toBe(429)
    expect(third.body).toBe('Too Many Requests')
    expect(third.headers.get('content-type')).toBe('text/plain; charset=utf-8')
    expect(third.headers.get('retry-after')).toBe('17')
    expect(third.headers.get('ratelimit')).toBe('"default";r=0;t=17')
    // The client address was the key.
    expect(limiter.store.keys()).toEqual(['127.0.0.1'])
  })

  it('passes errors to next(err)', async () => {
    const limiter = new RateLimiter({ algorithm: 'gcra', limit: 10, windowMs: 1000 })
    const limit = rateLimitMiddleware<IncomingMessage, ServerResponse>(limiter, {
      keyGenerator: () => {
        throw new Error('no key today')
      },
    })
    const url = await listen(
      createServer((req, res) =>
        limit(req, res, (err) => {
          res.statusCode = err ? 500 : 200
          res.end(err instanceof Error ? err.message : 'ok')
        }),
      ),
    )
    expect(await get(url)).toMatchObject({ status: 500, body: 'no key today' })
  })
})

describe('Express 5', () => {
  function app(limiter: RateLimiter<Store>, options: Parameters<typeof rateLimitMiddleware>[1] = {}) {
    const a = express()
    a.use(rateLimitMiddleware(limiter, options))
    a.get('/health', (_req, res) => {
      res.send('up')
    })
    a.get('/', (_req, res) => {
      res.send('hello')
    })
    a.use((err: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.status(500).send(`handled: ${err.message}`)
    })
    return a
  }

  it('limits per keyGenerator key with a per-request cost, skipping what skip() says', async () => {
    const clock = parked()
    const limiter = new RateLimiter({
      algorithm: 'sliding-window-log',
      limit: 5,
      windowMs: 60_000,
      clock: clock.now,
    })
    const a = express()
    a.use(
      rateLimitMiddleware<express.Request, express.Response>(limiter, {
        keyGenerator: (req) => req.get('x-user') ?? req.ip ?? 'anonymous',
        cost: (req) => Number(req.get('x-cost') ?? 1),
        skip: (req) => req.path === '/health',
      }),
    )
    a.get('/health', (_req, res) => {
      res.send('up')
    })
    a.get('/', (_req, res) => {
      res.send('hello')
    })
    const url = await listen(createServer(a))
    expect((await get(url, { 'x-user': 'alice', 'x-cost': '4' })).headers.get('ratelimit')).toBe(
      '"default";r=1;t=60',
    )
    const over = await get(url, { 'x-user': 'alice', 'x-cost': '2' })
    expect(over.status).toBe(429)
    expect(over.headers.get('retry-after')).toBe('60')
    expect((await get(url, { 'x-user': 'alice' })).status).toBe(200)
    expect((await get(url, { 'x-user': 'bob', 'x-cost': '5' })).status).toBe(200)
    const health = await get(`${url}/health`, { 'x-user': 'bob' })
    expect(health).toMatchObject({ status: 200, body: 'up' })
    expect(health.headers.get('ratelimit')).toBeNull()
    expect(limiter.peek('bob', { cost: 0 }).remaining).toBe(0)
  })

  it('uses a custom 429 handler and header options', async () => {
    const limiter = new RateLimiter({ algorithm: 'token-bucket', limit: 1, windowMs: 60_000, name: 'api' })
    const url = await listen(
      createServer(
        app(limiter, {
          headers: { legacy: false },
          handler: (_req, res, _next, result) => {
            res.statusCode = 429
            res.setHeader('content-type', 'application/json')
            res.end(JSON.stringify({ retryInMs: result.retryAfterMs }))
          },
        }),
      ),
    )
    const ok = await get(url)
    expect(ok.status).toBe(200)
    expect(ok.headers.get('x-ratelimit-limit')).toBeNull()
    expect(ok.headers.get('ratelimit-policy')).toBe('"api";q=1;w=60')
    const limited = await get(url)
    expect(limited.status).toBe(429)
    expect(JSON.parse(limited.body).retryInMs).toBeGreaterThan(59_000)
    expect(limited.headers.get('retry-after')).toBe('60')
  })

  it('sends no headers when told not to, and routes errors to the error handler', async () => {
    const limiter = new RateLimiter({ algorithm: 'fixed-window', limit: 5, windowMs: 1000 })
    const url = await listen(createServer(app(limiter, { headers: false })))
    const r = await get(url)
    expect(r.status).toBe(200)
    expect(r.headers.get('ratelimit')).toBeNull()
    const broken = await listen(createServer(app(limiter, { cost: () => -1 })))
    expect(await get(broken)).toMatchObject({
      status: 500,
      body: 'handled: `cost` must be a non-negative integer, got -1',
    })
  })

  it('holds leaky-bucket requests until their turn', async () => {
    const limiter = new RateLimiter({ algorithm: 'leaky-bucket', limit: 20, windowMs: 1000, maxQueue: 1 })
    const url = await listen(createServer(app(limiter)))
    const started = Date.now()
    const [a, b, c] = await Promise.all([get(url), get(url), get(url)])
    expect([a.status, b.status, c.status].sort()).toEqual([200, 200, 429])
    // A lower bound only: one of the two admitted requests waited one 50 ms turn.
    expect(Date.now() - started).toBeGreaterThanOrEqual(45)
  })

  it('works with an asynchronous store', async () => {
    class SlowStore implements Store<'async'> {
      readonly mode = 'async' as const
      readonly #inner = new MemoryStore()
      bind(policy: RateLimitPolicy): StoreBinding<'async'> {
        const inner = this.#inner.bind(policy)
        const later = <T>(value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), 2))
        return {
          limit: (key, cost) => later(inner.limit(key, cost)),
          peek: (key, cost) => later(inner.peek(key, cost)),
          reset: (key) => later(inner.reset(key)),
          inspect: (key) => later(inner.inspect(key)),
        }
      }
    }
    const limiter = new RateLimiter({ algorithm: 'gcra', limit: 1, windowMs: 60_000, store: new SlowStore() })
    const url = await listen(createServer(app(limiter)))
    expect((await get(url)).status).toBe(200)
    expect((await get(url)).status).toBe(429)
  })
})

describe('Fastify 5', () => {
  it('limits in an onRequest hook: headers, 429 JSON, skip', async () => {
    const clock = parked()
    const limiter = new RateLimiter({
      algorithm: 'fixed-window',
      limit: 1,
      windowMs: 60_000,
      clock: clock.now,
    })
    const app = Fastify()
    app.addHook('onRequest', fastifyRateLimit(limiter, { skip: (req) => req.url === '/health' }))
    app.get('/', async () => ({ hello: 'world' }))
    app.get('/health', async () => 'up')
    const url = await listenFastify(app)
    const ok = await get(url)
    expect(ok).toMatchObject({ status: 200, body: '{"hello":"world"}' })
    expect(ok.headers.get('ratelimit')).toBe('"default";r=0;t=17')
    expect(ok.headers.get('x-ratelimit-remaining')).toBe('0')
    const limited = await get(url)
    expect(limited.status).toBe(429)
    expect(JSON.parse(limited.body)).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      message: 'Too Many Requests',
    })
    expect(limited.headers.get('retry-after')).toBe('17')
    const health = await get(`${url}/health`)
    expect(health.status).toBe(200)
    expect(health.headers.get('ratelimit')).toBeNull()
    expect(limiter.store.keys()).toEqual(['127.0.0.1'])
  })

  it('custom key, cost and handler; errors reach the error handler', async () => {
    const limiter = new RateLimiter({ algorithm: 'token-bucket', limit: 10, windowMs: 60_000, burst: 3 })
    const app = Fastify()
    app.addHook(
      'onRequest',
      fastifyRateLimit(limiter, {
        keyGenerator: (req) => {
          const user = req.headers['x-user']
          if (typeof user !== 'string') throw new Error('who are you?')
          return user
        },
        cost: async (req) => Number(req.headers['x-cost'] ?? 1),
        handler: (_req, reply, result) => reply.code(503).send({ wait: result.retryAfterMs > 0 }),
        headers: { draft: false },
      }),
    )
    app.get('/', async () => 'ok')
    const url = await listenFastify(app)
    const ok = await get(url, { 'x-user': 'a', 'x-cost': '3' })
    expect(ok).toMatchObject({ status: 200, body: 'ok' })
    expect(ok.headers.get('ratelimit')).toBeNull()
    expect(ok.headers.get('x-ratelimit-remaining')).toBe('0')
    expect(await get(url, { 'x-user': 'a' })).toMatchObject({ status: 503, body: '{"wait":true}' })
    expect((await get(url, { 'x-user': 'b' })).status).toBe(200)
    const noUser = await get(url)
    expect(noUser.status).toBe(500)
    expect(JSON.parse(noUser.body).message).toBe('who are you?')
  })

  it('holds leaky-bucket requests until their turn', async () => {
    const limiter = new RateLimiter({ algorithm: 'leaky-bucket', limit: 20, windowMs: 1000, maxQueue: 2 })
    const app = Fastify()
    app.addHook('onRequest', fastifyRateLimit(limiter))
    app.get('/', async () => 'ok')
    const url = await listenFastify(app)
    const started = Date.now()
    const all = await Promise.all([get(url), get(url), get(url), get(url)])
    expect(all.map((r) => r.status).sort()).toEqual([200, 200, 200, 429])
    expect(Date.now() - started).toBeGreaterThanOrEqual(95)
  })
})
