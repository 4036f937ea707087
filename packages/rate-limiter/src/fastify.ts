import type { RateLimitHeadersOptions } from './headers.js'
import { rateLimitHeaders } from './headers.js'
import { costOption, defaultKey, type HttpLimiter, headerOptions } from './middleware.js'
import type { RateLimitResult } from './result.js'
import { checkCost, checkKey } from './validate.js'

/** The parts of a Fastify request the hook reads. */
export interface FastifyRequestLike {
  /** The client address (honours Fastify's `trustProxy`). */
  readonly ip: string
  /** The request URL (path and query string); not read by the hook, there for `keyGenerator`, `cost` and `skip`. */
  readonly url: string
  /** The HTTP method; not read by the hook, there for `keyGenerator`, `cost` and `skip`. */
  readonly method: string
  /** The request headers, lower-cased; not read by the hook, there for `keyGenerator`, `cost` and `skip`. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>
}

/** The parts of a Fastify reply the hook writes. */
export interface FastifyReplyLike {
  /** Sets a response header; the hook sends the rate-limit headers with it. */
  header(name: string, value: string): unknown
  /** Sets the status code (429 in the default handler) and returns the reply, for chaining. */
  code(statusCode: number): FastifyReplyLike
  /** Sends the reply with `payload` (the default handler's JSON error body). */
  send(payload?: unknown): unknown
}

/**
 * Options of {@link fastifyRateLimit}.
 *
 * @example
 * ```ts
 * import { RateLimiter, fastifyRateLimit } from '@hotpath/rate-limiter'
 *
 * const limiter = new RateLimiter({ algorithm: 'sliding-window-counter', limit: 100, windowMs: 60_000 })
 * const hook = fastifyRateLimit(limiter, { skip: (req) => req.url.startsWith('/health'), message: 'Slow down' })
 * ```
 */
export interface FastifyRateLimitOptions<Req, Reply> {
  /** The key to limit on. @default `request.ip` */
  keyGenerator?: (request: Req) => string | PromiseLike<string>
  /** What the request costs. @default 1 */
  cost?: number | ((request: Req) => number | PromiseLike<number>)
  /** Requests for which this returns true are not limited. */
  skip?: (request: Req) => boolean | PromiseLike<boolean>
  /**
   * Answers a rejected request (headers already set); must send a reply. Default: 429 with
   * `{ statusCode: 429, error: 'Too Many Requests', message }`.
   */
  handler?: (request: Req, reply: Reply, result: RateLimitResult) => unknown
  /** The response headers to send, or `false` for none. @default both draft and legacy headers */
  headers?: boolean | RateLimitHeadersOptions
  /** The default handler's message. @default 'Too Many Requests' */
  message?: string
}

/**
 * Rate limiting for Fastify: an `onRequest` hook. Same behaviour as {@link rateLimitMiddleware}: headers
 * on every limited reply, 429 on rejection, a leaky-bucket limiter's delay awaited before the route runs;
 * errors propagate to Fastify's error handler.
 *
 * @example
 * ```ts
 * import Fastify from 'fastify'
 * import { RateLimiter, fastifyRateLimit } from '@hotpath/rate-limiter'
 *
 * const app = Fastify()
 * const limiter = new RateLimiter({ algorithm: 'gcra', limit: 10, windowMs: 1000, burst: 20 })
 * app.addHook('onRequest', fastifyRateLimit(limiter, { keyGenerator: (req) => req.ip }))
 * app.get('/', async () => ({ hello: 'world' }))
 * ```
 */
export function fastifyRateLimit<Req extends FastifyRequestLike, Reply extends FastifyReplyLike>(
  limiter: HttpLimiter,
  options: FastifyRateLimitOptions<Req, Reply> = {},
): (request: Req, reply: Reply) => Promise<Reply | undefined> {
  const keyGenerator = options.keyGenerator ?? (defaultKey as (request: Req) => string)
  const cost = costOption<Req>(options.cost)
  const skip = options.skip
  const headers = headerOptions(options.headers)
  const message = options.message ?? 'Too Many Requests'
  const handler =
    options.handler ??
    ((_request: Req, reply: Reply): void => {
      reply.code(429).send({ statusCode: 429, error: 'Too Many Requests', message })
    })

  return async function rateLimitHook(request: Req, reply: Reply): Promise<Reply | undefined> {
    if (skip !== undefined && (await skip(request))) return undefined
    const key = checkKey(await keyGenerator(request))
    const c = typeof cost === 'number' ? cost : checkCost(await cost(request))
    const result = await limiter.limit(key, { cost: c })
    if (headers !== undefined) {
      const h = rateLimitHeaders(result, limiter.policy, headers)
      for (const name in h) reply.header(name, h[name]!)
    }
    if (!result.allowed) {
      await handler(request, reply, result)
      // Returning the reply tells Fastify the hook answered: the route does not run.
      return reply
    }
    if (result.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, result.delayMs))
    return undefined
  }
}
