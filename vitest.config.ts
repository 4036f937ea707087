import { existsSync, readdirSync } from 'node:fs'
import { defineConfig } from 'vitest/config'

// One vitest project per workspace package, discovered from packages/ so a new
// package needs no change here. Example tests are *.test.ts, fast-check
// properties *.prop.test.ts; both live in the package's test/ folder.
const packages = readdirSync('packages', { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(`packages/${d.name}/package.json`))
  .map((d) => d.name)
  .sort()

export default defineConfig({
  test: {
    projects: [
      ...packages.map((name) => ({
        test: {
          name,
          root: `packages/${name}`,
          include: ['test/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      })),
      {
        test: {
          name: 'test-utils',
          root: 'test-utils',
          include: ['test/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
})
