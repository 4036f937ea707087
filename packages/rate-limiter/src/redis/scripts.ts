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
// both sides. Two traps avoided: Lua's `%` is `a − floor(a/b)·b`, floored where JS's truncates, so
// windows use math.fmod (JS's `%`); and tostring() keeps 14 digits, so numbers never go through it:
// state is stored packed with struct.pack (doubles, and the log's entries as integers of a few bytes;
// exact and the cheapest to read and write: text formatting and parsing cost more than the rest of a
// check), and replies and TTLs are formatted with '%d', exact for integers. A number passed to
// redis.call() is formatted with '%.17g' (~0.2 µs, half the cost of a call), so the usual check passes
// constant strings, or string.format('%d') (~0.1 µs) where it must pass a number.
//
// Cost (Redis CPU, INFO commandstats; bench/experiments/redis-script-cost.mjs): a check is mostly the
// EVALSHA itself (~0.55 µs) and its redis.call()s: TIME ~0.5 µs (+0.1 for its ms), GET ~0.25, SETRANGE
// ~0.3, SET with KEEPTTL ~0.45, with PX ~0.7-0.9; struct.pack or a new string ~0.05-0.1, a C call such
// as math.floor ~0.03. So the usual check is TIME, GET and an in-place SETRANGE of the fields that
// changed (which leaves the TTL alone), ~2 µs with nothing around them, and the Lua around the calls
// does no more than the decision needs: no closure and no argument to read (~0.2 µs together), floor
// and ceil without a call (floorDiv), an integer reply (text: ~0.35 µs).
//
// A script is made per policy: its numbers (limit, windowMs, capacity) are written into the source, so
// a check sends only the key and the cost (every argument costs time in the client and the server).
// KEYS[1] is the key's state; ARGV[1] the cost, omitted when 1 (peek() sends −1 − cost: the same
// decision, no write), so a limit() of cost 1 is `EVALSHA sha 1 key`, no more, and reads no ARGV.
// Tests add ARGV[2]: a fixed `now` in ms instead of Redis's TIME, or '' for every reply as text.
// A write happens only when a request is admitted with a positive cost by limit().
//
// The reply is an integer for the usual answers (PACK, DELAYED: see scriptFor):
// - admitted, nothing to wait: remaining × PACK + resetMs (≥ 0, below DELAYED);
// - admitted with a wait (the leaky bucket's queue): DELAYED + (remaining × PACK + resetMs) × PACK + delayMs;
// - rejected with nothing remaining: −1 − (resetMs × PACK + retryAfterMs) (< 0);
// and otherwise (a field out of range, retryAfterMs Infinity, the tests' '') the text
// "allowed remaining resetMs retryAfterMs delayMs now" (allowed 1/0, retryAfterMs −1 for Infinity).
//
// TTLs: a key must live until its state is back to the equivalent of a missing key (resetMs), and
// writing an expiry costs about as much as the rest of a check, so it is written only when it must
// grow. The windows' keys expire when their window does: set once per window, kept by the other writes
// (SETRANGE of the count). The others store the expiry they set in their state, and when an admission
// needs a later one they set 1.5 × resetMs: a busy key rewrites its TTL a few times per resetMs instead
// of on every check, and an idle key outlives its state by at most half of its last resetMs.
// Needs Redis 6.0 (KEEPTTL); scripts that read TIME and then write rely on effects replication, the
// default since Redis 5.

// floor(x / y) and ceil(x / y) for the usual check without a C call (~0.03 µs each): Lua's x % y is
// x − math.floor(x / y) × y, so for integers with |x| + |y| < 2^53 (every product and difference exact)
// these are math.floor(x / y) and math.ceil(x / y) to the bit. x and y are evaluated twice.
export const floorDiv = (x: string, y: string): string => `((${x}) - (${x}) % ${y}) / ${y}`
export const ceilDiv = (x: string, y: string): string => `((${x}) + (-(${x})) % ${y}) / ${y}`

const PRELUDE = `local key = KEYS[1]
local limit, W, cap = $LIMIT, $WINDOW, $CAPACITY
local cost, commit, report, slack, now = 1, true, false, 0, nil
if ARGV[1] then
  cost = tonumber(ARGV[1])
  commit = cost > 0
  if cost < 0 then cost = -1 - cost end
  report = ARGV[2] == ''
  now = tonumber(ARGV[2])
  -- Tests pass a fixed now (ms); their keys then live a day longer than the state needs, so Redis never
  -- expires a key ahead of a fake clock (a stale state reads exactly like a missing key anyway).
  if now then slack = 86400000 end
end
if not now then
  local t = redis.call('TIME')
  local us = t[2] + 0
  now = t[1] * 1000 + ${floorDiv('us', '1000')}
end
`

// The answers, written out where they are given (see the reply note above). Each evaluates its fields
// once; a bound of 0 (the policy's numbers do not fit in an exact integer) leaves the text.
const text = (allowed: string, remaining: string, reset: string, retry: string, delay: string) =>
  `return string.format('%d %d %d %d %d %d', ${allowed}, ${remaining}, ${reset}, ${retry}, ${delay}, now)`

/** Admitted: remaining × PACK + resetMs; with a delay (the queue), above DELAYED. */
function admit(remaining: string, reset: string, delay = '0'): string {
  if (delay === '0')
    return `do
    local rem, rst = ${remaining}, ${reset}
    if rst < $PACK and not report then return rem * $PACK + rst end
    ${text('1', 'rem', 'rst', '0', '0')}
  end`
  // delayMs ≤ resetMs (the debt before ≤ the debt after), so it fits where resetMs does.
  return `do
    local rem, rst, wait = ${remaining}, ${reset}, ${delay}
    if not report then
      if wait == 0 then
        if rst < $PACK then return rem * $PACK + rst end
      elseif rst < $DPACK then
        return $DELAYED + (rem * $DPACK + rst) * $DPACK + wait
      end
    end
    ${text('1', 'rem', 'rst', '0', 'wait')}
  end`
}

/** Rejected: −1 − (resetMs × PACK + retryAfterMs) when nothing remains; retryAfterMs −1 is Infinity. */
function reject(remaining: string, reset: string, retry: string): string {
  if (retry === '-1') return text('0', remaining, reset, '-1', '0')
  return `do
    local rem, rst, retry = ${remaining}, ${reset}, ${retry}
    if rem == 0 and rst < $RPACK and retry < $RPACK and not report then return -1 - (rst * $RPACK + retry) end
    ${text('0', 'rem', 'rst', 'retry', '0')}
  end`
}

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
  ${reject('limit - count', 'reset', '-1')}
end
local used = count + cost
if used <= limit then
  if commit then
    if v and start == stored then
      -- The count, in place: the TTL (the window's end) stays.
      redis.call('SETRANGE', key, '8', struct.pack('<d', used))
    else
      redis.call('SET', key, struct.pack('<dd', start, used), 'PX', string.format('%d', stop - now + slack))
    end
  end
  local reset = 0
  if used > 0 then reset = stop - now end
  ${admit('limit - used', 'reset')}
end
${reject('limit - count', 'stop - now', 'stop - now')}
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
local afterW = usedW + cost * W
if cost <= limit and afterW <= capW then
  local n = current + cost
  if commit then
    if v and start == stored then
      -- The current count, in place: the TTL (a window after this one's end) stays.
      redis.call('SETRANGE', key, '8', struct.pack('<d', n))
    else
      redis.call('SET', key, struct.pack('<ddd', start, n, previous), 'PX', string.format('%d', start + 2 * W - now + slack))
    end
  end
  local reset = 0
  if n > 0 then reset = start + 2 * W - now elseif previous > 0 then reset = start + W - now end
  ${admit(floorDiv('capW - afterW', 'W'), 'reset')}
end
local remaining = 0
if usedW < capW then remaining = math.floor((capW - usedW) / W) end
local reset = 0
if current > 0 then reset = start + 2 * W - now elseif previous > 0 then reset = start + W - now end
if cost > limit then
  ${reject('remaining', 'reset', '-1')}
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
${reject('remaining', 'reset', 'retry')}
`

// Writes the bucket state (a, b, expiresAt) of an admission whose resetMs is \`reset\`: while the stored
// expiry covers it, a and b in place (the TTL and expiresAt stay), else all three with a TTL of
// 1.5 × resetMs (see the TTLs note above).
const bucketWrite = (a: string, b: string) => `if v and expires >= now + reset then
      redis.call('SETRANGE', key, '0', struct.pack('<dd', ${a}, ${b}))
    else
      local ttl = reset + math.floor(reset / 2)
      redis.call('SET', key, struct.pack('<ddd', ${a}, ${b}, now + ttl), 'PX', string.format('%d', ttl + slack))
    end`

const TOKEN_BUCKET = `${PRELUDE}-- token-bucket: state (used, updatedAt, expiresAt), used = missing tokens x windowMs
local used, updated, expires = 0, 0, 0
local v = redis.call('GET', key)
if v then
  used, updated, expires = struct.unpack('<ddd', v)
end
-- A clock that stepped back refills nothing (at = max(now, updatedAt)); times are from the real now.
local at, lag = now, 0
if updated > now then
  at = updated
  lag = updated - now
end
if used > 0 then
  used = used - (at - updated) * limit
  if used < 0 then used = 0 end
end
local capW = cap * W
local after = used + cost * W
if cost <= cap and after <= capW then
  local reset = lag + ${ceilDiv('after', 'limit')}
  if commit then
    ${bucketWrite('after', 'at')}
  end
  ${admit(floorDiv('capW - after', 'W'), 'reset')}
end
if cost > cap then
  ${reject('math.floor((capW - used) / W)', 'lag + math.ceil(used / limit)', '-1')}
end
${reject('math.floor((capW - used) / W)', 'lag + math.ceil(used / limit)', 'lag + math.ceil((after - capW) / limit)')}
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
local after = debt + cost * W
if cost <= cap and after <= capW then
  local reset = ${ceilDiv('after', 'limit')}
  if commit then
    local whole = ${floorDiv('after', 'limit')}
    ${bucketWrite('now + whole', 'after - whole * limit')}
  end
  ${admit(floorDiv('capW - after', 'W'), 'reset', queue ? ceilDiv('debt', 'limit') : '0')}
end
local remaining = 0
if debt < capW then remaining = math.floor((capW - debt) / W) end
if cost > cap then
  ${reject('remaining', 'math.ceil(debt / limit)', '-1')}
end
${reject('remaining', 'math.ceil(debt / limit)', 'math.ceil((after - capW) / limit)')}
`

// The log is one string: [dead prefix | body | header], everything read and written at known offsets.
// - header, the last 48 bytes: sum (the cost of every entry from start on, the newest included),
//   expiresAt, the newest entry (time, cost) and the time of the body's first entry (doubles), then the
//   body's start and stop offsets (uint32).
// - body, bytes [start, stop): the entries before the newest, oldest first, each (gap, cost) packed as
//   unsigned integers as narrow as the policy allows: gap is the time to the next entry (so a walk from
//   the first entry, whose time is in the header, knows every time), below windowMs because an entry
//   joins the body only while live, when the next one is made; cost is at most limit. With a limit
//   under 256 and a one-minute window an entry takes 3 bytes (the list this replaces took about 12).
// Why this shape: a script's time in Redis is mostly its redis.call()s and their arguments (TIME, GET,
// SET each cost more than the Lua around them; a number argument is formatted as text and parsed back),
// so the usual check makes three calls, like the buckets: TIME, one GETRANGE whose negative offsets are
// constant text (the header and the body's last entries, without knowing the length), and one SETRANGE at
// stop, which writes the previous newest entry (when the request is in a new ms) and the new header
// after it, extending the string. Requests admitted in the same ms share one entry, as in memory; the
// newest entry lives in the header, so they rewrite the header only. Expiry moves start forward without
// moving data, and is skipped while the body's first entry is still in the window; the entries it drops
// are in the tail already read when the body is short, else read in chunks. When the dead prefix
// outgrows the live body, the live part is copied into a fresh value (SET): O(live), at most once per as
// many expired entries, so O(1) per expired entry. A check costs O(1 + entries it expires or walks
// past), never O(log size); a rejection reads as far as the entries whose expiry frees enough room.
const LOG_HEADER_BYTES = 48
const LOG_LAYOUT = `local H, HEADER = ${LOG_HEADER_BYTES}, '<dddddI4I4'
local ENTRY, E, ENTRY_HEADER = '<$ENTRY', $E, '<$ENTRYdddddI4I4'
`
// A check reads the header and this many of the newest body entries in one GETRANGE, so a short log's
// expiry needs no other read. Each byte read costs a little (16 entries ≈ 0.1 µs of a ~4 µs check with
// nothing to expire; a chunk read ≈ 0.4 µs when there is).
const LOG_TAIL_ENTRIES = 16

// The narrowest unsigned integers (struct 'In', 1 ≤ n ≤ 7: exact up to 2^56) holding an entry's gap to
// the next entry (below windowMs) and its cost (at most limit).
const bytesFor = (max: number): number => {
  let n = 1
  while (max >= 2 ** (8 * n)) n++
  return n
}

/** A log template with the policy's entry format, its size and the tail a check reads written in. */
function withLogLayout(template: string, { limit, windowMs }: RateLimitPolicy): string {
  const gap = bytesFor(windowMs - 1)
  const cost = bytesFor(limit)
  return template
    .replaceAll('$ENTRY', `I${gap}I${cost}`)
    .replace('$E', String(gap + cost))
    .replace('$TAIL', String(-LOG_HEADER_BYTES - LOG_TAIL_ENTRIES * (gap + cost)))
}

// Reads the body entry at offset p into gap, c: from the tail in hand, else from a chunk read forward
// (each chunk twice the last, so a long walk takes few calls and reads at most about twice what it
// walks). Written out where it is used: making a closure costs about as much as a redis.call().
const logRead = (p: string, indent: string) =>
  `if ${p} >= from then
  gap, c = struct.unpack(ENTRY, v, ${p} - from + 1)
else
  if ${p} < bufFrom or ${p} + E > bufFrom + #buf then
    buf = redis.call('GETRANGE', key, ${p}, ${p} + chunk - 1)
    bufFrom = ${p}
    if chunk < 65536 then chunk = chunk * 2 end
  end
  gap, c = struct.unpack(ENTRY, buf, ${p} - bufFrom + 1)
end`.replaceAll('\n', `\n${indent}`)

const SLIDING_WINDOW_LOG = `${PRELUDE}-- sliding-window-log: one string [dead prefix | body (gap, cost)... | header]
${LOG_LAYOUT}local v = redis.call('GETRANGE', key, '$TAIL', '-1')
local n = #v
local sum, expires, newest, newestCost, oldest, start, stop = 0, 0, 0, 0, 0, 0, 0
local from = 0
if n > 0 then
  sum, expires, newest, newestCost, oldest, start, stop = struct.unpack(HEADER, v, n - H + 1)
  -- the offset in the string of v's first byte
  from = stop + H - n
end
-- A clock that stepped back is judged at the newest entry's time (never un-expire or double-count).
local at = now
if n > 0 and now < newest then at = newest end
local horizon = at - W
local buf, bufFrom, chunk, gap, c = '', 0, 16 * E, 0, 0
-- first, firstT: the body's oldest live entry (first == stop: none, and firstT is the newest's time)
local live, reset, first, firstT = 0, 0, stop, 0
if n > 0 and newest > horizon then
  live = sum
  reset = newest + W - now
  first, firstT = start, oldest
  if first < stop and firstT <= horizon then
    repeat
      ${logRead('first', '      ')}
      live = live - c
      first = first + E
      firstT = firstT + gap
    until first == stop or firstT > horizon
  end
end
if cost > limit then
  ${reject('limit - live', 'reset', '-1')}
end
if live + cost <= limit then
  if cost == 0 then
    ${admit('limit - live', 'reset')}
  end
  if commit then
    -- The TTL must reach at + W; when it falls short it is set to 1.5 x that.
    local need = at + W - now
    local target = expires
    if live == 0 or expires < now + need then target = now + need + math.floor(need / 2) end
    if live == 0 then
      redis.call('SET', key, struct.pack(HEADER, cost, target, at, cost, 0, 0, 0), 'PX', string.format('%d', target - now + slack))
    else
      -- In a new ms the previous newest entry joins the body, packed with the header in one go.
      local grow = 0
      if newest ~= at then
        grow = E
        if first == stop then firstT = newest end
      end
      local size = stop - first + grow
      if first > size then
        -- The dead prefix outgrew the live body: copy the live part into a fresh value.
        local body
        if first >= from then
          body = string.sub(v, first - from + 1, stop - from)
        else
          body = redis.call('GETRANGE', key, first, stop - 1)
        end
        if grow == 0 then
          body = body .. struct.pack(HEADER, live + cost, target, newest, newestCost + cost, firstT, 0, size)
        else
          body = body .. struct.pack(ENTRY_HEADER, at - newest, newestCost, live + cost, target, at, cost, firstT, 0, size)
        end
        if target == expires then
          redis.call('SET', key, body, 'KEEPTTL')
        else
          redis.call('SET', key, body, 'PX', string.format('%d', target - now + slack))
        end
      else
        if grow == 0 then
          -- The newest entry's ms: the write that made it expired what this check would (the same
          -- horizon), so oldest, start and stop stay: only the header's first four fields change.
          redis.call('SETRANGE', key, string.format('%d', stop), struct.pack('<dddd', live + cost, target, newest, newestCost + cost))
        else
          redis.call('SETRANGE', key, string.format('%d', stop), struct.pack(ENTRY_HEADER, at - newest, newestCost, live + cost, target, at, cost, firstT, first, stop + E))
        end
        if target ~= expires then redis.call('PEXPIRE', key, string.format('%d', target - now + slack)) end
      end
    end
  end
  ${admit('limit - live - cost', 'at + W - now')}
end
-- Rejected: wait for the oldest live entries whose expiry frees enough room (the newest frees it all).
local need = live + cost - limit
local freed, p, t = 0, first, firstT
while p < stop do
  ${logRead('p', '  ')}
  freed = freed + c
  if freed >= need then
    ${reject('limit - live', 'reset', 't + W - now')}
  end
  t = t + gap
  p = p + E
end
${reject('limit - live', 'reset', 'newest + W - now')}
`

// Both inspect scripts: the server's time (or a test's fixed now), and nothing to decode without a value.
const INSPECT_PRELUDE = `local now = tonumber(ARGV[1])
if not now then
  local t = redis.call('TIME')
  now = t[1] * 1000 + math.floor(t[2] / 1000)
end
if redis.call('TYPE', KEYS[1])['ok'] ~= 'string' then return {now} end
`

// inspect() of a log: its entries decoded here, as [sum, expiresAt, t1, c1, ...] (the clients read
// replies as text; integers come back exact). Reads the whole value: a cold path.
const INSPECT_LOG = `${INSPECT_PRELUDE}${LOG_LAYOUT}local v = redis.call('GET', KEYS[1])
local sum, expires, newest, newestCost, oldest, start, stop = struct.unpack(HEADER, v, #v - H + 1)
local state = {sum, expires}
local p, t = start, oldest
while p < stop do
  local gap, c = struct.unpack(ENTRY, v, p + 1)
  state[#state + 1] = t
  state[#state + 1] = c
  t = t + gap
  p = p + E
end
state[#state + 1] = newest
state[#state + 1] = newestCost
return {now, state}
`

// inspect(): the raw state and the server's time; the package's own decoders do the rest.
const INSPECT = `${INSPECT_PRELUDE}-- packed doubles, unpacked here: the clients read replies as text
local v = redis.call('GET', KEYS[1])
local state = {struct.unpack('<' .. string.rep('d', math.floor(#v / 8)), v)}
state[#state] = nil
return {now, state}
`

const TEMPLATES: Readonly<Record<AlgorithmName, string>> = {
  'fixed-window': FIXED_WINDOW,
  'sliding-window-log': SLIDING_WINDOW_LOG,
  'sliding-window-counter': SLIDING_WINDOW_COUNTER,
  'token-bucket': TOKEN_BUCKET,
  gcra: tat(false),
  'leaky-bucket': tat(true),
}

/** A policy's script, and the base its integer replies use (0: never an integer). */
export interface PolicyScript extends Script {
  readonly pack: number
}

/**
 * The script of a policy's algorithm with the policy's numbers written in. The usual answers come back
 * as integers in base `pack`, which is above every resetMs the common case produces (two windows; a
 * bucket's full refill) and small enough that (capacity + 1) × pack stays an exact integer (else 0: every
 * answer is text): admitted, remaining × pack + resetMs; admitted with a wait, from
 * (capacity + 1) × pack up; rejected with nothing remaining, negative (see the reply note above). The
 * three-field forms are used only where their largest value stays below 2^53.
 */
export function scriptFor(policy: RateLimitPolicy): PolicyScript {
  const { limit, windowMs, capacity } = policy
  const base = 2 * windowMs * Math.ceil(capacity / limit) + 1
  const pack = (capacity + 1) * base < 2 ** 53 ? base : 0
  const delayed = (capacity + 1) * pack
  const template = TEMPLATES[policy.algorithm]
  const source = (policy.algorithm === 'sliding-window-log' ? withLogLayout(template, policy) : template)
    .replace('$LIMIT', String(limit))
    .replace('$WINDOW', String(windowMs))
    .replace('$CAPACITY', String(capacity))
    .replaceAll('$PACK', String(pack))
    .replaceAll('$RPACK', String(pack * pack < 2 ** 53 ? pack : 0))
    .replaceAll('$DPACK', String(delayed * (pack + 1) < 2 ** 53 ? pack : 0))
    .replaceAll('$DELAYED', String(delayed))
  return { source, sha1: sha1(source), pack }
}

/** inspect(): the raw state and the server's time, for every algorithm but the log. */
export const INSPECT_SCRIPT: Script = { source: INSPECT, sha1: sha1(INSPECT) }

const inspectLogScripts = new WeakMap<RateLimitPolicy, Script>()

/**
 * inspect() for a policy: the log's entries are packed as narrow as the policy allows, so its inspect
 * script is made per policy (and remembered); every other algorithm shares INSPECT_SCRIPT.
 */
export function inspectScriptFor(policy: RateLimitPolicy): Script {
  if (policy.algorithm !== 'sliding-window-log') return INSPECT_SCRIPT
  let script = inspectLogScripts.get(policy)
  if (script === undefined) {
    const source = withLogLayout(INSPECT_LOG, policy)
    script = { source, sha1: sha1(source) }
    inspectLogScripts.set(policy, script)
  }
  return script
}
