import type { AlgorithmName } from '../policy.js'
import type { Script } from './client.js'

// One Lua script per algorithm, each a line-by-line port of the package's own transition
// (src/fixed-window.ts, ...), so the Redis store and the memory store give the same answers to the same
// requests at the same times. Redis runs a script atomically: the read, the decision and the write of
// one check cannot interleave with another client's, which is what makes a shared limit exact.
//
// Arithmetic: Lua numbers are doubles, like JavaScript's, and every quantity is an integer below 2^53
// (the policy checks capacity × windowMs ≤ 2^52), so +, −, ×, /, floor and ceil give the same bits on
// both sides. Two traps avoided: Lua's `%` is `a − floor(a/b)·b`, which rounds for epoch-sized `a`, so
// windows use math.fmod (exact, like JS `%`); and tostring() keeps 14 digits, so state is written with
// string.format('%d'), which is exact for integers.
//
// Every script: KEYS[1] the key's state; ARGV = cost, commit ('1' for limit(), '0' for peek()), limit,
// windowMs, capacity, and a test-only fixed `now` ('' in production: the time is Redis's TIME). It
// returns {allowed (1/0), remaining, resetMs, retryAfterMs (−1 for Infinity), delayMs, now}.
// A write happens only when a request is admitted with a positive cost (and commit is '1'), and it sets
// the key's TTL to resetMs: the moment the state is back to the equivalent of a missing key.

const PRELUDE = `-- Redis 3.2-4.x replicate scripts verbatim and refuse a write after TIME; effects replication fixes
-- that (the default, and a no-op, from Redis 5).
if redis.replicate_commands then redis.replicate_commands() end
local key = KEYS[1]
local cost = tonumber(ARGV[1])
local commit = ARGV[2] == '1' and cost > 0
local limit = tonumber(ARGV[3])
local W = tonumber(ARGV[4])
local cap = tonumber(ARGV[5])
local now = tonumber(ARGV[6])
-- Tests pass a fixed now (ms); their keys then live a day longer than the state needs, so Redis never
-- expires a key ahead of a fake clock (a stale state reads exactly like a missing key anyway).
local slack = 0
if now then
  slack = 86400000
else
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function pair()
  local v = redis.call('GET', key)
  if not v then return 0, 0 end
  local a, b = string.match(v, '^(%S+) (%S+)$')
  return tonumber(a), tonumber(b)
end
local function windowStart(stored)
  if now >= stored and now - stored < W then return stored end
  local r = math.fmod(now, W)
  if r < 0 then return now - r - W end
  return now - r
end
`

const FIXED_WINDOW = `${PRELUDE}-- fixed-window: state "windowStart count"
local stored, count = pair()
local start = windowStart(stored)
if start ~= stored then
  if start > stored then count = 0 else start = stored end
end
local stop = start + W
if cost > limit then
  local reset = 0
  if count > 0 then reset = stop - now end
  return {0, limit - count, reset, -1, 0, now}
end
local used = count + cost
if used <= limit then
  if commit then
    redis.call('SET', key, string.format('%d %d', start, used), 'PX', stop - now + slack)
  end
  local reset = 0
  if used > 0 then reset = stop - now end
  return {1, limit - used, reset, 0, 0, now}
end
return {0, limit - count, stop - now, stop - now, 0, now}
`

const SLIDING_WINDOW_COUNTER = `${PRELUDE}-- sliding-window-counter: state "windowStart current previous"
local start, current, previous = 0, 0, 0
local stored = 0
local v = redis.call('GET', key)
if v then
  local a, b, c = string.match(v, '^(%S+) (%S+) (%S+)$')
  stored, current, previous = tonumber(a), tonumber(b), tonumber(c)
end
start = windowStart(stored)
if start ~= stored then
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
local function remainingOf()
  if usedW >= capW then return 0 end
  return math.floor((capW - usedW) / W)
end
local function resetOf(c)
  if c > 0 then return start + 2 * W - now end
  if previous > 0 then return start + W - now end
  return 0
end
if cost > limit then return {0, remainingOf(), resetOf(current), -1, 0, now} end
local afterW = usedW + cost * W
if afterW <= capW then
  local n = current + cost
  if commit then
    redis.call('SET', key, string.format('%d %d %d', start, n, previous), 'PX', resetOf(n) + slack)
  end
  return {1, math.floor((capW - afterW) / W), resetOf(n), 0, 0, now}
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
return {0, remainingOf(), resetOf(current), retry, 0, now}
`

const TOKEN_BUCKET = `${PRELUDE}-- token-bucket: state "used updatedAt", used = missing tokens x windowMs
local used, updated = pair()
local at = math.max(now, updated)
local lag = at - now
if used > 0 then
  used = used - (at - updated) * limit
  if used < 0 then used = 0 end
end
local capW = cap * W
if cost > cap then
  return {0, math.floor((capW - used) / W), lag + math.ceil(used / limit), -1, 0, now}
end
local after = used + cost * W
if after <= capW then
  if commit then
    redis.call('SET', key, string.format('%d %d', after, at), 'PX', lag + math.ceil(after / limit) + slack)
  end
  return {1, math.floor((capW - after) / W), lag + math.ceil(after / limit), 0, 0, now}
end
return {0, math.floor((capW - used) / W), lag + math.ceil(used / limit), lag + math.ceil((after - capW) / limit), 0, now}
`

// GCRA and the leaky-bucket queue are one TAT machine (src/gcra.ts tatApply); the queue also reports
// each admitted request's wait.
const tat = (
  queue: boolean,
) => `${PRELUDE}-- ${queue ? 'leaky-bucket' : 'gcra'}: state "tatMs tatRem", tat = tatMs + tatRem / limit
local tatMs, tatRem = pair()
local debt = 0
if tatMs >= now then debt = (tatMs - now) * limit + tatRem end
local capW = cap * W
local function remainingOf()
  if debt >= capW then return 0 end
  return math.floor((capW - debt) / W)
end
if cost > cap then return {0, remainingOf(), math.ceil(debt / limit), -1, 0, now} end
local after = debt + cost * W
if after <= capW then
  if commit then
    local whole = math.floor(after / limit)
    redis.call('SET', key, string.format('%d %d', now + whole, after - whole * limit), 'PX', math.ceil(after / limit) + slack)
  end
  return {1, math.floor((capW - after) / W), math.ceil(after / limit), 0, ${queue ? 'math.ceil(debt / limit)' : '0'}, now}
end
return {0, remainingOf(), math.ceil(debt / limit), math.ceil((after - capW) / limit), 0, now}
`

// The log is one list: [sum, t1, c1, t2, c2, ...], oldest first; sum is the cost of every entry in it.
// Requests admitted in the same ms share one entry, as in memory. Expired entries are dropped when a
// request is admitted (a rejection writes nothing), and everything is read from the ends in chunks, so
// a check costs O(1 + entries it expires or walks past), never O(log size).
const SLIDING_WINDOW_LOG = `${PRELUDE}-- sliding-window-log: list [sum, t1, c1, t2, c2, ...]
local CHUNK = 64
local buf = redis.call('LRANGE', key, 0, CHUNK)
local from = 0
-- list element i (0-based), read through a window of CHUNK elements that only moves forward
local function item(i)
  local j = i - from + 1
  if j > #buf then
    buf = redis.call('LRANGE', key, i, i + CHUNK)
    from = i
    j = 1
  end
  return tonumber(buf[j])
end
local sum, newest, newestCost = 0, 0, 0
local n = #buf
if n >= 3 then
  sum = tonumber(buf[1])
  if n <= CHUNK then
    newest, newestCost = tonumber(buf[n - 1]), tonumber(buf[n])
  else
    local tail = redis.call('LRANGE', key, -2, -1)
    newest, newestCost = tonumber(tail[1]), tonumber(tail[2])
  end
end
-- A clock that stepped back is judged at the newest entry's time (never un-expire or double-count).
local at = now
if n >= 3 and now < newest then at = newest end
local horizon = at - W
local live, expired, reset = 0, 0, 0
if n >= 3 and newest > horizon then
  local expiredCost = 0
  while item(1 + 2 * expired) <= horizon do
    expiredCost = expiredCost + item(2 + 2 * expired)
    expired = expired + 1
  end
  live = sum - expiredCost
  reset = newest + W - now
end
if cost > limit then return {0, limit - live, reset, -1, 0, now} end
if live + cost <= limit then
  if cost == 0 then return {1, limit - live, reset, 0, 0, now} end
  if commit then
    if live == 0 then
      redis.call('DEL', key)
      redis.call('RPUSH', key, cost, at, cost)
    else
      if expired > 0 then
        redis.call('LTRIM', key, 2 * expired + 1, -1)
        redis.call('LPUSH', key, live + cost)
      else
        redis.call('LSET', key, 0, live + cost)
      end
      if newest == at then
        redis.call('LSET', key, -1, newestCost + cost)
      else
        redis.call('RPUSH', key, at, cost)
      end
    end
    redis.call('PEXPIRE', key, at + W - now + slack)
  end
  return {1, limit - live - cost, at + W - now, 0, 0, now}
end
-- Rejected: wait for the oldest live entries whose expiry frees enough room.
local need = live + cost - limit
local freed, j, t = 0, expired, 0
repeat
  t = item(1 + 2 * j)
  freed = freed + item(2 + 2 * j)
  j = j + 1
until freed >= need
return {0, limit - live, reset, t + W - now, 0, now}
`

// inspect(): the raw state and the server's time; the package's own decoders do the rest.
const INSPECT = `local now = tonumber(ARGV[1])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local kind = redis.call('TYPE', KEYS[1])['ok']
if kind == 'list' then return {now, redis.call('LRANGE', KEYS[1], 0, -1)} end
if kind == 'string' then return {now, redis.call('GET', KEYS[1])} end
return {now}
`

/** The script of each algorithm, and the inspect script; SHA-1s checked by the tests. */
export const SCRIPTS: Readonly<Record<AlgorithmName | 'inspect', Script>> = {
  'fixed-window': { source: FIXED_WINDOW, sha1: '9fc9e2128b262445eff6377b10074a587c8d8050' },
  'sliding-window-log': { source: SLIDING_WINDOW_LOG, sha1: '024042e009fa72ebbd49c1e27c4f4f0513c2feb1' },
  'sliding-window-counter': {
    source: SLIDING_WINDOW_COUNTER,
    sha1: '286eba5e0f9d23108c16388e3db1ae730c87f44a',
  },
  'token-bucket': { source: TOKEN_BUCKET, sha1: 'b896f671358b6dde4d87b9c4d33892a4ee726294' },
  gcra: { source: tat(false), sha1: '68b0c8ba6a0436f813532f0f5034806e504a4d74' },
  'leaky-bucket': { source: tat(true), sha1: '5946c5e5a78f6a938325c801d822506c730dde95' },
  inspect: { source: INSPECT, sha1: '90764849691bfa9aaee37c6420d69b00c98c361a' },
}
