import { type RateLimitHeadersOptions, rateLimitHeaders } from './headers.js'
import type { RateLimitPolicy } from './policy.js'
import type { RateLimitResult } from './result.js'
import { checkCost, checkKey, show } from './validate.js'

/** What the HTTP helpers need from a limiter (any {@link RateLimiter}, whatever its store). */
export interface HttpLimiter {
  /** The limiter's validated configuration, which the rate-limit headers describe. */
  readonly policy: RateLimitPolicy
  /** Checks a request for `key` and counts it when admitted, as {@link RateLimiter.limit}; may return a promise. */
  limit(key: string, options?: { cost?: number }): RateLimitResult | PromiseLike<RateLimitResult>
}

/** The parts of a node:http / Connect / Express request the middleware reads. */
export interface NodeRequestLike {
  /** Express's client address (honours `trust proxy`). */
  readonly ip?: string | undefined
  /** The connection; the default key falls back to its address when `ip` is absent. */
  readonly socket?:
    | {
        /** The peer's IP address (the proxy's, behind a proxy). */
        readonly remoteAddress?: string | undefined
      }
    | null
    | undefined
  /** The request URL (path and query string); not read by the middleware, there for `keyGenerator`, `cost` and `skip`. */
  readonly url?: string | undefined
  /** The HTTP method; not read by the middleware, there for `keyGenerator`, `cost` and `skip`. */
  readonly method?: string | undefined
  /** The request headers, lower-cased; not read by the middleware, there for `keyGenerator`, `cost` and `skip`. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>
}

/** The parts of a node:http / Express response the middleware writes. */
export interface NodeResponseLike {
  /** The response status code; the default handler sets it to 429. */
  statusCode: number
  /** Whether the headers have been sent already; if so, the middleware sets no rate-limit headers. */
  readonly headersSent?: boolean
  /** Sets a response header (the rate-limit headers; `Content-Type` in the default handler). */
  setHeader(name: string, value: string): unknown
  /** Ends the response with `body` (the default handler's `message`). */
  end(body?: string): unknown
}

/** Connect/Express `next`. */
export type NextFunction = (err?: unknown) => void

/**
 * Options of {@link rateLimitMiddleware}.
 *
 * @example
 * ```ts
 * import { RateLimiter, rateLimitMiddleware } from '@hotpath/rate-limiter'
 *
 * const limiter = new RateLimiter({ algorithm: 'token-bucket', limit: 60, windowMs: 60_000 })
 * const middleware = rateLimitMiddleware(limiter, {
 *   keyGenerator: (req) => String(req.headers['x-api-key'] ?? req.socket?.remoteAddress),
 *   cost: (req) => (req.method === 'POST' ? 5 : 1),
 *   headers: { legacy: false },
 * })
 * ```
 */
export interface RateLimitMiddlewareOptions<Req, Res> {
  /** The key to limit on. @default the client address: `req.ip`, else `req.socket.remoteAddress` */
  keyGenerator?: (req: Req) => string | PromiseLike<string>
  /** What the request costs: a number, or computed per request. @default 1 */
  cost?: number | ((req: Req) => number | PromiseLike<number>)
  /** Requests for which this returns true are not limited (nor counted, nor given headers). */
  skip?: (req: Req) => boolean | PromiseLike<boolean>
  /**
   * Answers a rejected request (headers are already set). Default: status 429 and `message` as text.
   */
  handler?: (req: Req, res: Res, next: NextFunction, result: RateLimitResult) => unknown
  /** The response headers to send, or `false` for none. @default both draft and legacy headers */
  headers?: boolean | RateLimitHeadersOptions
  /** The default handler's body. @default 'Too Many Requests' */
  message?: string
}

export function defaultKey(req: { readonly ip?: string | undefined; readonly socket?: unknown }): string {
  const key = req.ip ?? (req.socket as { remoteAddress?: string } | null | undefined)?.remoteAddress
  if (typeof key !== 'string' || key.length === 0)
    throw new TypeError('cannot tell the client address (no req.ip nor socket address): pass `keyGenerator`')
  return key
}

export function headerOptions(headers: unknown): RateLimitHeadersOptions | undefined {
  if (headers === undefined || headers === true) return {}
  if (headers === false) return undefined
  if (headers !== null && typeof headers === 'object') return headers as RateLimitHeadersOptions
  throw new TypeError(`\`headers\` must be a boolean or header options, got ${show(headers)}`)
}

export function costOption<Req>(cost: unknown): ((req: Req) => number | PromiseLike<number>) | number {
  if (cost === undefined) return 1
  if (typeof cost === 'function') return cost as (req: Req) => number | PromiseLike<number>
  return checkCost(cost)
}

/**
 * Rate limiting for node:http, Connect and Express: a `(req, res, next)` middleware. It sets the
 * rate-limit headers on every limited response; a rejected request gets `429` (and `Retry-After`) from
 * `handler`; an admitted one goes on with `next()`, after `result.delayMs` for a leaky-bucket limiter (the
 * request waits its turn in the queue). Errors (from `keyGenerator`, `cost`, `skip` or the store) go to
 * `next(err)`. It only touches the `req` / `res` objects it is given, so it imports nothing from Node.
 *
 * @example
 * ```ts
 * import express from 'express'
 * import { RateLimiter, rateLimitMiddleware } from '@hotpath/rate-limiter'
 *
 * const app = express()
 * const limiter = new RateLimiter({ algorithm: 'sliding-window-counter', limit: 100, windowMs: 60_000 })
 * app.use('/api', rateLimitMiddleware(limiter, { skip: (req) => req.path === '/api/health' }))
 *
 * // Plain node:http: call it with your own `next`.
 * import { createServer } from 'node:http'
 * const limit = rateLimitMiddleware(limiter)
 * createServer((req, res) => limit(req, res, (err) => res.end(err ? 'error' : 'hello'))).listen(3000)
 * ```
 */
export function rateLimitMiddleware<Req extends NodeRequestLike, Res extends NodeResponseLike>(
  limiter: HttpLimiter,
  options: RateLimitMiddlewareOptions<Req, Res> = {},
): (req: Req, res: Res, next: NextFunction) => Promise<void> {
  const keyGenerator = options.keyGenerator ?? (defaultKey as (req: Req) => string)
  const cost = costOption<Req>(options.cost)
  const skip = options.skip
  const headers = headerOptions(options.headers)
  const message = options.message ?? 'Too Many Requests'
  const handler =
    options.handler ??
    ((_req: Req, res: Res): void => {
      res.statusCode = 429
      res.setHeader('Content-Type', 'text/plain; charset=utf-8')
      res.end(message)
    })

  return async function rateLimit(req: Req, res: Res, next: NextFunction): Promise<void> {
    let result: RateLimitResult
    try {
      if (skip !== undefined && (await skip(req))) return next()
      const key = checkKey(await keyGenerator(req))
      const c = typeof cost === 'number' ? cost : checkCost(await cost(req))
      result = await limiter.limit(key, { cost: c })
      if (headers !== undefined && res.headersSent !== true) {
        const h = rateLimitHeaders(result, limiter.policy, headers)
        for (const name in h) res.setHeader(name, h[name]!)
      }
    } catch (err) {
      return next(err)
    }
    if (!result.allowed) {
      handler(req, res, next, result)
      return
    }
    if (result.delayMs > 0) setTimeout(next, result.delayMs)
    else next()
  }
}
