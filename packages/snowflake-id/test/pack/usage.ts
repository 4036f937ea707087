// Run by `npm run test:pack` against the installed tarball, compiled and run as ESM and as CJS.
import { decodeSnowflake, Snowflake } from '@hotpath/snowflake-id'
import { leaseWorkerId } from '@hotpath/snowflake-id/redis'

function assert(ok: boolean, what: string): void {
  if (!ok) throw new Error(`usage check failed: ${what}`)
}

const ids = new Snowflake({ preset: 'discord', workerId: 1, processId: 3 })
const a: bigint = ids.next()
const b: bigint = ids.next()
assert(b > a, 'IDs increase')
assert(/^\d+$/.test(ids.nextString()), 'nextString is decimal')
const parts = ids.decode(a)
assert(parts.workerId === 1 && parts.processId === 3, 'decode returns the fields')
assert(
  decodeSnowflake('175928847299117063', 'discord').date.toISOString() === '2016-04-30T11:18:25.796Z',
  'Discord documentation vector',
)
assert(typeof leaseWorkerId === 'function', './redis entry loads')
console.log('snowflake-id ok')
