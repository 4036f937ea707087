import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { JwtError } from '../src/index.js'
import { parseJsonObject } from '../src/shared/json.js'

// A JSON tree whose objects are lists of members, so a name can repeat, rendered to text with
// random whitespace and random escaping of name characters. The reference answers come from the
// tree itself, not from parsing text, so the parser under test is checked against an independent
// source of truth.
type Tree = { obj: [string, Tree][] } | { arr: Tree[] } | { leaf: string | number | boolean | null }

const names = fc.constantFrom(
  'a',
  'b',
  'sub',
  'exp',
  'x:y',
  ':',
  'é',
  '"q"',
  '__proto__',
  'constructor',
  'prototype',
  '',
)
const leaf = fc.oneof(
  fc.string({ maxLength: 6, unit: fc.constantFrom('a', ':', '"', '\\', '\n', 'é', '😀', ' ') }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
)
const { tree } = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf.map((v) => ({ leaf: v })),
    fc.array(fc.tuple(names, tie('tree')), { maxLength: 4 }).map((obj) => ({ obj })),
    fc.array(tie('tree'), { maxLength: 3 }).map((arr) => ({ arr })),
  ),
}))
const rootObject = fc.array(fc.tuple(names, tree), { maxLength: 5 }).map((obj): Tree => ({ obj }))

function render(t: Tree, escapes: boolean[], ws: string[]): string {
  let i = 0
  const space = () => ws[i++ % ws.length] ?? ''
  const name = (n: string) =>
    escapes[i++ % escapes.length]
      ? `"${[...n].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}"`
      : JSON.stringify(n)
  const go = (node: Tree): string => {
    if ('leaf' in node) return JSON.stringify(node.leaf)
    if ('arr' in node) return `[${node.arr.map((v) => space() + go(v) + space()).join(',')}]`
    return `{${node.obj.map(([k, v]) => `${space()}${name(k)}${space()}:${space()}${go(v)}${space()}`).join(',')}}`
  }
  return go(t)
}

function hasDuplicate(t: Tree): boolean {
  if ('leaf' in t) return false
  if ('arr' in t) return t.arr.some(hasDuplicate)
  return new Set(t.obj.map(([k]) => k)).size !== t.obj.length || t.obj.some(([, v]) => hasDuplicate(v))
}
function hasForbidden(t: Tree): boolean {
  if ('leaf' in t) return false
  if ('arr' in t) return t.arr.some(hasForbidden)
  return t.obj.some(
    ([k, v]) => k === '__proto__' || k === 'constructor' || k === 'prototype' || hasForbidden(v),
  )
}

function outcome(text: string): string {
  try {
    parseJsonObject(text, 'payload')
    return 'ok'
  } catch (err) {
    if (err instanceof JwtError) return err.code
    throw err
  }
}

describe('strict JSON objects', () => {
  test('duplicates and forbidden names are found at any depth, with or without escapes and whitespace', () => {
    fc.assert(
      fc.property(
        rootObject,
        fc.array(fc.boolean(), { minLength: 1, maxLength: 5 }),
        fc.array(fc.constantFrom('', ' ', '\n', '\t', '\r\n'), { minLength: 1, maxLength: 4 }),
        (t, escapes, ws) => {
          const text = render(t, escapes, ws)
          const got = outcome(text)
          const dup = hasDuplicate(t)
          const forbidden = hasForbidden(t)
          if (forbidden && dup)
            expect(['ERR_JWT_FORBIDDEN_MEMBER', 'ERR_JWT_DUPLICATE_MEMBER']).toContain(got)
          else if (forbidden) expect(got).toBe('ERR_JWT_FORBIDDEN_MEMBER')
          else if (dup) expect(got).toBe('ERR_JWT_DUPLICATE_MEMBER')
          else {
            expect(got).toBe('ok')
            expect(parseJsonObject(text, 'payload')).toEqual(JSON.parse(text))
          }
        },
      ),
      { numRuns: process.env.CI ? 5000 : 1000 },
    )
  })

  test('only objects are accepted at the top level', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const text = JSON.stringify(v)
        fc.pre(text !== undefined)
        const isObject = typeof v === 'object' && v !== null && !Array.isArray(v)
        const got = outcome(text)
        if (!isObject) expect(got).toBe('ERR_JWT_INVALID_JSON')
        else expect(['ok', 'ERR_JWT_FORBIDDEN_MEMBER']).toContain(got)
      }),
      { numRuns: process.env.CI ? 2000 : 500 },
    )
  })

  test('nesting depth is not limited by recursion (no RangeError from deep input)', () => {
    const depth = 50_000
    const deep = `{"a":${'['.repeat(depth)}${']'.repeat(depth)}}`
    expect(outcome(deep)).toBe('ok')
    const deepDup = `{"a":${'{"b":'.repeat(depth)}1${'}'.repeat(depth)},"a":2}`
    expect(outcome(deepDup)).toBe('ERR_JWT_DUPLICATE_MEMBER')
    const deepEscaped = `{"a":${'{"\\u0062":'.repeat(depth)}1${'}'.repeat(depth)}}`
    expect(outcome(deepEscaped)).toBe('ok')
  })
})
