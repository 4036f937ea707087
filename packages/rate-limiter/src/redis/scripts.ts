import type { AlgorithmName, RateLimitPolicy } from '../policy.js'
import type { Script } from './client.js'
import { sha1 } from './sha1.js'

// One Lua script per algorithm, each a line-by-line port of the package's own transition
// (src/fixed-window.ts, ...), so the Redis store and the memory store give the same answers to the same
// requests at the same times. Redis runs a script atomically: the read, the decision and the write of
// one check cannot interleave with another client's, which is what makes a shared limit exact.
//
// Arithmetic: Lua numbers are doubles, like JavaScript's, and every quantity is an integer below 2^53
// (the policy checks capacity × windowMs ≤ 2^52), so +, −, ×, /, floor and ceil give the same bits on
// both sides. Two traps avoided: Lua's `%` is `a − floor(a/b)·b`, which rounds for epoch-sized `a`, so
// windows use math.fmod (exact, like JS `%`); and tostring() keeps 14 digits, so numbers never go
// through it: state is stored as packed doubles (struct.pack '<d', exact and the cheapest to read and
// write: text formatting and parsing cost more than the rest of a check) and the reply is formatted
// with '%d', exact for integers.
//
// A script is made per policy: its numbers (limit, windowMs, capacity) are written into the source, so
// a check sends only the key and the cost (every argument costs time in the client and the server).
// KEYS[1] is the key's state; ARGV[1] the cost, omitted when 1 (peek() sends −1 − cost: the same
// decision, no write), so a limit() of cost 1 is `EVALSHA sha 1 key`, no more. It returns
// "allowed remaining resetMs retryAfterMs delayMs" (allowed 1/0, retryAfterMs −1 for Infinity), or, for
// the usual admission, the integer remaining × pack + resetMs (pack: see scriptFor). Tests add ARGV[2]: a fixed `now` in ms
// instead of Redis's TIME, or '' to have every reply as a string ending with the `now` it was decided at.
// A write happens only when a request is admitted with a positive cost by limit().
//
// TTLs: a key must live until its state is back to the equivalent of a missing key (resetMs), and
// writing an expiry costs about as much as the rest of a check, so it is written only when it must
// grow. The windows' keys expire when their window does: set once per window, kept (KEEPTTL) by the
// other writes. The others store the expiry they set in their state, and when an admission needs a
// later one they set 1.5 × resetMs: a busy key rewrites its TTL a few times per resetMs instead of on
// every check, and an idle key outlives its state by at most half of its last resetMs.
// Needs Redis 6.0 (KEEPTTL); scripts that read TIME and then write rely on effects replication, the
// default since Redis 5.

const PRELUDE = `local key = KEYS[1]
local limit, W, cap = $LIMIT, $WINDOW, $CAPACITY
local cost = 1
if ARGV[1] then cost = tonumber(ARGV[1]) end
local commit = cost > 0
if cost < 0 then cost = -1 - cost end
local report = ARGV[2] == ''
local now = tonumber(ARGV[2])
-- Tests pass a fixed now (ms); their keys then live a day longer than the state needs, so Redis never
-- expires a key ahead of a fake clock (a stale state reads exactly like a missing key anyway).
local slack = 0
if now then
  slack = 86400000
else
  local t = redis.call('TIME')
  now = t[1] * 1000 + math.floor(t[2] / 1000)
end
-- One bulk string rather than an array of six integers: cheaper to build here and to decode in the client.
-- The usual answer, admitted with nothing to wait, is one integer: remaining x PACK + resetMs (formatting a
-- string costs more than most of a check). Anything else is a string of its five fields.
local PACK = $PACK
local function reply(allowed, remaining, reset, retry, delay)
  if report then return string.format('%d %d %d %d %d %d', allowed, remaining, reset, retry, delay, now) end
  if allowed == 1 and delay == 0 and reset < PACK then return remaining * PACK + reset end
  return string.format('%d %d %d %d %d', allowed, remaining, reset, retry, delay)
end
`

// The aligned window containing now, without a division while now is still in the stored one.
const WINDOW_START = `local start = stored
if now < stored or now - stored >= W then
  local r = math.fmod(now, W)
  if r < 0 then start = now - r - W else start = now - r end
end
`

const FIXED_WINDOW = `${PRELUDE}-- fixed-window: state (windowStart, count), expiring with its window
local stored, count = 0, 0
local v = redis.call('GET', key)
if v then
  stored, count = struct.unpack('<dd', v)
end
${WINDOW_START}if start ~= stored then
  if start > stored then count = 0 else start = stored end
end
local stop = start + W
if cost > limit then
  local reset = 0
  if count > 0 then reset = stop - now end
  return reply(0, limit - count, reset, -1, 0)
end
local used = count + cost
if used <= limit then
  if commit then
    local value = struct.pack('<dd', start, used)
    if v and start == stored then
      redis.call('SET', key, value, 'KEEPTTL')
    else
      redis.call('SET', key, value, 'PX', stop - now + slack)
    end
  end
  local reset = 0
  if used > 0 then reset = stop - now end
  return reply(1, limit - used, reset, 0, 0)
end
return reply(0, limit - count, stop - now, stop - now, 0)
`

const SLIDING_WINDOW_COUNTER = `${PRELUDE}-- sliding-window-counter: state (windowStart, current, previous), expiring a window after its own
local stored, current, previous = 0, 0, 0
local v = redis.call('GET', key)
if v then
  stored, current, previous = struct.unpack('<ddd', v)
end
${WINDOW_START}if start ~= stored then
  if start == stored + W then
    previous = current
    current = 0
  elseif start > stored then
    previous = 0
    current = 0
  else
    start = stored
  end
end
local elapsed = 0
if now > start then elapsed = now - start end
local capW = limit * W
local usedW = previous * (W - elapsed) + current * W
local remaining = 0
if usedW < capW then remaining = math.floor((capW - usedW) / W) end
local reset = 0
if current > 0 then reset = start + 2 * W - now elseif previous > 0 then reset = start + W - now end
if cost > limit then return reply(0, remaining, reset, -1, 0) end
local afterW = usedW + cost * W
if afterW <= capW then
  local n = current + cost
  if commit then
    local value = struct.pack('<ddd', start, n, previous)
    if v and start == stored then
      redis.call('SET', key, value, 'KEEPTTL')
    else
      redis.call('SET', key, value, 'PX', start + 2 * W - now + slack)
    end
  end
  local resetAfter = 0
  if n > 0 then resetAfter = start + 2 * W - now elseif previous > 0 then resetAfter = start + W - now end
  return reply(1, math.floor((capW - afterW) / W), resetAfter, 0, 0)
end
-- The first whole ms at which the estimate x W is down to room.
local room = capW - cost * W
local retry
local left = room - current * W
if left >= 0 and previous > 0 then
  local e = W - math.floor(left / previous)
  if e < W then retry = start + e - now end
end
if not retry then
  if current == 0 then
    retry = start + W - now
  else
    retry = start + W + math.max(W - math.floor(room / current), 0) - now
  end
end
return reply(0, remaining, reset, retry, 0)
`

// Writes the bucket state (a, b, expiresAt): keeps the TTL while the stored expiry covers the new
// resetMs, else sets 1.5 × resetMs (see the TTLs note above).
const bucketWrite = (a: string, b: string, reset: string) => `local reset = ${reset}
    if v and expires >= now + reset then
      redis.call('SET', key, struct.pack('<ddd', ${a}, ${b}, expires), 'KEEPTTL')
    else
      local ttl = reset + math.floor(reset / 2)
      redis.call('SET', key, struct.pack('<ddd', ${a}, ${b}, now + ttl), 'PX', ttl + slack)
    end`

const TOKEN_BUCKET = `${PRELUDE}-- token-bucket: state (used, updatedAt, expiresAt), used = missing tokens x windowMs
local used, updated, expires = 0, 0, 0
local v = redis.call('GET', key)
if v then
  used, updated, expires = struct.unpack('<ddd', v)
end
local at = math.max(now, updated)
local lag = at - now
if used > 0 then
  used = used - (at - updated) * limit
  if used < 0 then used = 0 end
end
local capW = cap * W
if cost > cap then
  return reply(0, math.floor((capW - used) / W), lag + math.ceil(used / limit), -1, 0)
end
local after = used + cost * W
if after <= capW then
  if commit then
    ${bucketWrite('after', 'at', 'lag + math.ceil(after / limit)')}
  end
  return reply(1, math.floor((capW - after) / W), lag + math.ceil(after / limit), 0, 0)
end
return reply(0, math.floor((capW - used) / W), lag + math.ceil(used / limit), lag + math.ceil((after - capW) / limit), 0)
`

// GCRA and the leaky-bucket queue are one TAT machine (src/gcra.ts tatApply); the queue also reports
// each admitted request's wait.
const tat = (
  queue: boolean,
) => `${PRELUDE}-- ${queue ? 'leaky-bucket' : 'gcra'}: state (tatMs, tatRem, expiresAt), tat = tatMs + tatRem / limit
local tatMs, tatRem, expires = 0, 0, 0
local v = redis.call('GET', key)
if v then
  tatMs, tatRem, expires = struct.unpack('<ddd', v)
end
local debt = 0
if tatMs >= now then debt = (tatMs - now) * limit + tatRem end
local capW = cap * W
local remaining = 0
if debt < capW then remaining = math.floor((capW - debt) / W) end
if cost > cap then return reply(0, remaining, math.ceil(debt / limit), -1, 0) end
local after = debt + cost * W
if after <= capW then
  if commit then
    local whole = math.floor(after / limit)
    ${bucketWrite('now + whole', 'after - whole * limit', 'math.ceil(after / limit)')}
  end
  return reply(1, math.floor((capW - after) / W), math.ceil(after / limit), 0, ${queue ? 'math.ceil(debt / limit)' : '0'})
end
return reply(0, remaining, math.ceil(debt / limit), math.ceil((after - capW) / limit), 0)
`

// The log is one list: [sum, expiresAt, t1, c1, t2, c2, ...], oldest first; sum is the cost of every
// entry in it. Requests admitted in the same ms share one entry, as in memory. Expired entries are
// dropped when a request is admitted (a rejection writes nothing), and everything is read from the ends
// in chunks, so a check costs O(1 + entries it expires or walks past), never O(log size).
const SLIDING_WINDOW_LOG = `${PRELUDE}-- sliding-window-log: list [sum, expiresAt, t1, c1, t2, c2, ...]
local CHUNK = 16
local buf = redis.call('LRANGE', key, 0, 5)
local from = 0
-- list element i (0-based), read through a window that only moves forward
local function item(i)
  local j = i - from + 1
  if j > #buf then
    buf = redis.call('LRANGE', key, i, i + CHUNK)
    from = i
    j = 1
  end
  return tonumber(buf[j])
end
local sum, expires, newest, newestCost = 0, 0, 0, 0
local n = #buf
if n >= 4 then
  sum, expires = tonumber(buf[1]), tonumber(buf[2])
  if n == 4 then
    newest, newestCost = tonumber(buf[3]), tonumber(buf[4])
  else
    local tail = redis.call('LRANGE', key, -2, -1)
    newest, newestCost = tonumber(tail[1]), tonumber(tail[2])
  end
end
-- A clock that stepped back is judged at the newest entry's time (never un-expire or double-count).
local at = now
if n >= 4 and now < newest then at = newest end
local horizon = at - W
local live, expired, reset = 0, 0, 0
if n >= 4 and newest > horizon then
  local expiredCost = 0
  while item(2 + 2 * expired) <= horizon do
    expiredCost = expiredCost + item(3 + 2 * expired)
    expired = expired + 1
  end
  live = sum - expiredCost
  reset = newest + W - now
end
if cost > limit then return reply(0, limit - live, reset, -1, 0) end
if live + cost <= limit then
  if cost == 0 then return reply(1, limit - live, reset, 0, 0) end
  if commit then
    -- The TTL must reach at + W; when it falls short it is set to 1.5 x that.
    local need = at + W - now
    local target = expires
    if live == 0 or expires < now + need then target = now + need + math.floor(need / 2) end
    if live == 0 then
      redis.call('DEL', key)
      redis.call('RPUSH', key, cost, target, at, cost)
    else
      if expired > 0 then
        redis.call('LTRIM', key, 2 * expired + 2, -1)
        redis.call('LPUSH', key, target, live + cost)
      else
        redis.call('LSET', key, 0, live + cost)
        if target ~= expires then redis.call('LSET', key, 1, target) end
      end
      if newest == at then
        redis.call('LSET', key, -1, newestCost + cost)
      else
        redis.call('RPUSH', key, at, cost)
      end
    end
    if target ~= expires or live == 0 then redis.call('PEXPIRE', key, target - now + slack) end
  end
  return reply(1, limit - live - cost, at + W - now, 0, 0)
end
-- Rejected: wait for the oldest live entries whose expiry frees enough room.
local need = live + cost - limit
local freed, j, t = 0, expired, 0
repeat
  t = item(2 + 2 * j)
  freed = freed + item(3 + 2 * j)
  j = j + 1
until freed >= need
return reply(0, limit - live, reset, t + W - now, 0)
`

// inspect(): the raw state and the server's time; the package's own decoders do the rest.
const INSPECT = `local now = tonumber(ARGV[1])
if not now then
  local t = redis.call('TIME')
  now = t[1] * 1000 + math.floor(t[2] / 1000)
end
local kind = redis.call('TYPE', KEYS[1])['ok']
if kind == 'list' then return {now, redis.call('LRANGE', KEYS[1], 0, -1)} end
if kind == 'string' then
  -- packed doubles, unpacked here: the clients read replies as text
  local v = redis.call('GET', KEYS[1])
  local state = {struct.unpack('<' .. string.rep('d', math.floor(#v / 8)), v)}
  state[#state] = nil
  return {now, state}
end
return {now}
`

const TEMPLATES: Readonly<Record<AlgorithmName, string>> = {
  'fixed-window': FIXED_WINDOW,
  'sliding-window-log': SLIDING_WINDOW_LOG,
  'sliding-window-counter': SLIDING_WINDOW_COUNTER,
  'token-bucket': TOKEN_BUCKET,
  gcra: tat(false),
  'leaky-bucket': tat(true),
}

/** A policy's script, and the base its packed replies use (0: never packed). */
export interface PolicyScript extends Script {
  readonly pack: number
}

/**
 * The script of a policy's algorithm with the policy's numbers written in. A plain admission comes back
 * as the integer remaining × pack + resetMs, pack being above every resetMs the common case produces
 * (two windows; a bucket's full refill) and small enough that (capacity + 1) × pack stays an exact
 * integer; other answers come back as text.
 */
export function scriptFor(policy: RateLimitPolicy): PolicyScript {
  const { limit, windowMs, capacity } = policy
  const base = 2 * windowMs * Math.ceil(capacity / limit) + 1
  const pack = (capacity + 1) * base < 2 ** 53 ? base : 0
  const source = TEMPLATES[policy.algorithm]
    .replace('$LIMIT', String(limit))
    .replace('$WINDOW', String(windowMs))
    .replace('$CAPACITY', String(capacity))
    .replace('$PACK', String(pack))
  return { source, sha1: sha1(source), pack }
}

/** inspect(): the raw state and the server's time, for any algorithm. */
export const INSPECT_SCRIPT: Script = { source: INSPECT, sha1: sha1(INSPECT) }
