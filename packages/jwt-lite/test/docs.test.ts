import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test, vi } from 'vitest'
import { JWT_ERROR_CODES } from '../src/index.js'

const here = new URL('.', import.meta.url).pathname
const readme = readFileSync(join(here, '../README.md'), 'utf8')
const guide = readFileSync(join(here, '../../../docs/packages/jwt-lite.md'), 'utf8')
const dir = mkdtempSync(join(tmpdir(), 'jwt-lite-readme-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('documentation', () => {
  test.each(JWT_ERROR_CODES)('%s is explained in the README and in the guide', (code) => {
    expect(readme).toContain(`\`${code}\``)
    expect(guide).toMatch(new RegExp(`\\| \`${code}\` \\|[^\\n]+\\|[^\\n]+\\|`))
  })

  test("the README's example runs and prints what it says", async () => {
    const block = /## Example\n\n```ts\n([\s\S]*?)```/.exec(readme)?.[1]
    expect(block).toBeDefined()
    const source = block!.replace("'@hotpath/jwt-lite'", JSON.stringify(join(here, '../src/index.ts')))
    const file = join(dir, 'example.ts')
    writeFileSync(file, source)
    const log = vi.spyOn(console, 'log').mockImplementation(() => {})
    try {
      await import(/* @vite-ignore */ file)
      expect(log.mock.calls).toEqual([['ERR_JWS_SIGNATURE_INVALID']])
    } finally {
      log.mockRestore()
    }
  })
})
