import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { expect, test } from 'vitest'
import { md5 } from '../src/md5.js'

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')
const runs = process.env.CI ? 2000 : 300

test('agrees with node:crypto on arbitrary strings (UTF-8, lone surrogates) and bytes', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
      expect(hex(md5(s))).toBe(createHash('md5').update(s, 'utf8').digest('hex'))
    }),
    { numRuns: runs },
  )
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
      expect(hex(md5(b))).toBe(createHash('md5').update(b).digest('hex'))
    }),
    { numRuns: runs },
  )
})
