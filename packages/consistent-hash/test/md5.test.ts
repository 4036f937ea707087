import { createHash } from 'node:crypto'
import { describe, expect, test } from 'vitest'
import { md5 } from '../src/md5.js'

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')

describe('md5 (in-package, for ketama compatibility)', () => {
  test('RFC 1321 appendix A.5 test suite', () => {
    const suite: Array<[string, string]> = [
      ['', 'd41d8cd98f00b204e9800998ecf8427e'],
      ['a', '0cc175b9c0f1b6a831c399e269772661'],
      ['abc', '900150983cd24fb0d6963f7d28e17f72'],
      ['message digest', 'f96b697d7cb7938d525a2f31aaf161d0'],
      ['abcdefghijklmnopqrstuvwxyz', 'c3fcd3d76192e4007dfb496cca67e13b'],
      ['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 'd174ab98d277d9f5a5611c2c9f419d9f'],
      [
        '12345678901234567890123456789012345678901234567890123456789012345678901234567890',
        '57edf4a22be3c955ac49da2e2107b67a',
      ],
    ]
    for (const [input, digest] of suite) expect(hex(md5(input)), input).toBe(digest)
  })

  test('padding boundaries: 55, 56, 63, 64 and 65 bytes', () => {
    for (const n of [55, 56, 63, 64, 65, 119, 120, 128]) {
      const s = 'x'.repeat(n)
      expect(hex(md5(s)), `${n}`).toBe(createHash('md5').update(s).digest('hex'))
    }
  })
})
