// Helpers shared by the repo scripts: the publishable packages under packages/,
// in dependency order (a package after the @hotpath/* packages it depends on).
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

export const root = resolve(import.meta.dirname, '..')

export function packages() {
  const dir = join(root, 'packages')
  const found = readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'package.json')))
    .map((d) => {
      const path = join(dir, d.name)
      const json = JSON.parse(readFileSync(join(path, 'package.json'), 'utf8'))
      return { dir: d.name, path, json, name: json.name }
    })
    .sort((a, b) => a.dir.localeCompare(b.dir))
  const byName = new Map(found.map((p) => [p.name, p]))
  const ordered = []
  const seen = new Set()
  const visit = (p, stack = []) => {
    if (seen.has(p.name)) return
    if (stack.includes(p.name)) throw new Error(`dependency cycle: ${[...stack, p.name].join(' -> ')}`)
    for (const dep of Object.keys({ ...p.json.dependencies, ...p.json.peerDependencies })) {
      const d = byName.get(dep)
      if (d) visit(d, [...stack, p.name])
    }
    seen.add(p.name)
    ordered.push(p)
  }
  for (const p of found) visit(p)
  return ordered
}

/** The entry points of a package: [{ subpath: '.', name: 'index' }, { subpath: './redis', name: 'redis' }] */
export function entries(pkg) {
  return Object.keys(pkg.json.exports)
    .filter((k) => k !== './package.json')
    .map((subpath) => ({ subpath, name: subpath === '.' ? 'index' : subpath.slice(2) }))
}
