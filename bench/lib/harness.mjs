// The benchmark harness: every competitor of a workload runs in one process, on
// the same precomputed input, interleaved over several rounds after warm-up.
// A suite (bench/suites/<name>.mjs) only declares workloads; this file times
// them, checks the competitors' answers, ranks the correct ones and reports.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { Bench } from 'tinybench'

const benchDir = resolve(import.meta.dirname, '..')
const repoRoot = resolve(benchDir, '..')

/** Identity, so suites get one place to be validated and a name to grep for. */
export function defineSuite(suite) {
  if (!suite || typeof suite.name !== 'string') throw new TypeError('defineSuite: `name` must be a string')
  if (!Array.isArray(suite.workloads))
    throw new TypeError(`defineSuite(${suite.name}): \`workloads\` must be an array`)
  for (const w of suite.workloads) {
    if (!Number.isInteger(w.ops) || w.ops < 1)
      throw new RangeError(`${suite.name} / ${w.name}: \`ops\` must be a positive integer, got ${w.ops}`)
    const roles = w.competitors.map((c) => c.role)
    for (const r of roles)
      if (!['hotpath', 'peer', 'baseline'].includes(r))
        throw new RangeError(`${suite.name} / ${w.name}: role must be hotpath | peer | baseline, got ${r}`)
  }
  return suite
}

export function machine() {
  const cpus = os.cpus()
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    v8: process.versions.v8,
    platform: `${process.platform} ${process.arch}`,
  }
}

/** The installed version of an npm package, found the way Node would find it from bench/. */
export function versionOf(pkg) {
  if (!pkg) return null
  for (let dir = benchDir; ; dir = dirname(dir)) {
    const file = join(dir, 'node_modules', pkg, 'package.json')
    if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')).version ?? null
    if (dir === dirname(dir)) return null
  }
}

const median = (xs) => {
  if (xs.length === 0) return null
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}
const mean = (xs) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null)
// Relative margin of error (95%) of the mean, in percent.
const rme = (xs) => {
  if (xs.length < 2) return null
  const m = mean(xs)
  const sd = Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1))
  return (100 * 1.96 * sd) / Math.sqrt(xs.length) / m
}

// Anything a timed function returns lands here, so V8 cannot prove the work dead.
export let sink

/** Runs one suite; returns the result object (the JSON written to bench/results). */
export async function runSuite(suite, { quick = false, log = console.log } = {}) {
  const rounds = quick ? 2 : 5
  const time = quick ? 40 : 300 // ms per competitor per round
  const warmupTime = quick ? 20 : 150
  const result = {
    suite: suite.name,
    date: new Date().toISOString(),
    quick,
    machine: machine(),
    workloads: [],
    tables: [],
  }

  for (const w of suite.workloads) {
    const input = w.input ? await w.input() : undefined
    const rows = []
    for (const c of w.competitors) {
      const row = {
        name: c.name,
        role: c.role,
        version: c.version ?? versionOf(c.package ?? (c.role === 'baseline' ? null : c.name)),
        medianOpsPerSec: null,
        meanOpsPerSec: null,
        marginPct: null,
        samples: 0,
        ratioToBestPeer: null,
        ratioToBaseline: null,
        correct: true,
      }
      rows.push({ c, row, fn: null, async: false, rates: [], means: [], samples: 0 })
      if (c.fixedOpsPerSec !== undefined) {
        // A physical limit rather than code (e.g. the 4,096 IDs per ms of a 12-bit sequence).
        row.medianOpsPerSec = row.meanOpsPerSec = c.fixedOpsPerSec
        row.fixed = true
        continue
      }
      try {
        const fn = await c.setup(input)
        if (typeof fn !== 'function') throw new TypeError('setup() must return the function to time')
        const probe = fn()
        const async = !!probe && typeof probe.then === 'function'
        sink = async ? await probe : probe
        Object.assign(rows.at(-1), { fn, async })
      } catch (err) {
        row.correct = false
        row.error = `setup failed: ${err?.message ?? err}`
      }
    }

    const timed = rows.filter((r) => r.fn)
    for (let round = 0; round < rounds; round++) {
      // Rotate the order each round so no competitor always runs first (or right after a GC-heavy one).
      const order = timed.map((_, i) => timed[(i + round) % timed.length])
      for (const r of order) {
        if (!r.row.correct && r.row.error) continue
        const bench = new Bench({ time, warmupTime: round === 0 ? warmupTime : warmupTime / 3 })
        const fn = r.fn
        if (r.async)
          bench.add(
            r.c.name,
            async () => {
              sink = await fn()
            },
            { async: true },
          )
        else
          bench.add(
            r.c.name,
            () => {
              sink = fn()
            },
            { async: false },
          )
        await bench.run()
        const res = bench.tasks[0].result
        if (res.state !== 'completed') {
          r.row.correct = false
          r.row.error = `failed while timed: ${res.error?.message ?? res.state}`
          continue
        }
        // Throughput is calls per second; a call performs `ops` operations.
        r.rates.push(res.throughput.p50 * w.ops)
        r.means.push(res.throughput.mean * w.ops)
        r.samples += res.throughput.samplesCount
      }
    }

    for (const r of rows) {
      if (r.row.fixed) continue
      if (r.rates.length) {
        // The median of the per-round medians; the margin is the spread between rounds
        // (what separates two competitors), not the far smaller one within a round.
        r.row.medianOpsPerSec = median(r.rates)
        r.row.meanOpsPerSec = mean(r.means)
        r.row.marginPct = rme(r.rates)
        r.row.samples = r.samples
      }
      if (r.c.check && r.row.correct) {
        try {
          const verdict = await r.c.check(input)
          if (verdict !== true) {
            r.row.correct = false
            r.row.error = typeof verdict === 'string' ? verdict : 'check failed'
          }
        } catch (err) {
          r.row.correct = false
          r.row.error = `check threw: ${err?.message ?? err}`
        }
      }
      if (r.c.metrics) {
        try {
          r.row.metrics = await r.c.metrics(input)
        } catch (err) {
          r.row.metrics = { error: String(err?.message ?? err) }
        }
      }
      r.c.teardown?.()
    }

    const peers = rows.filter((r) => r.row.role === 'peer' && r.row.correct && r.row.medianOpsPerSec)
    const best = peers.sort((a, b) => b.row.medianOpsPerSec - a.row.medianOpsPerSec)[0]?.row ?? null
    const baseline = rows.find((r) => r.row.role === 'baseline' && r.row.medianOpsPerSec)?.row ?? null
    for (const { row } of rows) {
      if (row.medianOpsPerSec == null) continue
      if (best) row.ratioToBestPeer = row.medianOpsPerSec / best.medianOpsPerSec
      if (baseline) row.ratioToBaseline = row.medianOpsPerSec / baseline.medianOpsPerSec
    }
    const workload = { name: w.name, ops: w.ops, bestPeer: best?.name ?? null, rows: rows.map((r) => r.row) }
    if (w.note) workload.note = w.note
    result.workloads.push(workload)
    log(renderWorkload(workload))
  }

  if (suite.tables) {
    const tables = await suite.tables({ quick })
    for (const t of tables) {
      result.tables.push(t)
      log(renderTable(t))
    }
  }
  return result
}

const fmtOps = (n) => (n == null ? '—' : Math.round(n).toLocaleString('en-US'))
const fmtRatio = (n) => (n == null ? '—' : `${n.toFixed(2)}×`)
const fmtCell = (v) =>
  v == null
    ? '—'
    : typeof v === 'number'
      ? Number.isInteger(v)
        ? v.toLocaleString('en-US')
        : v.toFixed(3)
      : String(v)

export function renderWorkload(w) {
  const metricKeys = [...new Set(w.rows.flatMap((r) => Object.keys(r.metrics ?? {})))]
  const head = [
    'competitor',
    'version',
    'median ops/s',
    'mean ops/s',
    '±%',
    'vs best peer',
    'vs baseline',
    ...metricKeys,
  ]
  const lines = [
    `\n### ${w.name}\n`,
    `| ${head.join(' | ')} |`,
    `|${head.map((_, i) => (i < 2 ? ' --- ' : ' ---: ')).join('|')}|`,
  ]
  const sorted = [...w.rows].sort((a, b) => (b.medianOpsPerSec ?? -1) - (a.medianOpsPerSec ?? -1))
  for (const r of sorted) {
    const name = `${r.role === 'hotpath' ? `**${r.name}**` : r.name}${r.role === 'baseline' && !r.name.includes('(baseline)') ? ' (baseline)' : ''}${r.correct ? '' : ' ⚠ incorrect'}`
    const cells = [
      name,
      r.version ?? '',
      fmtOps(r.medianOpsPerSec),
      fmtOps(r.meanOpsPerSec),
      r.marginPct == null ? '—' : r.marginPct.toFixed(1),
      r.correct ? fmtRatio(r.ratioToBestPeer) : 'not ranked',
      fmtRatio(r.ratioToBaseline),
      ...metricKeys.map((k) => fmtCell(r.metrics?.[k])),
    ]
    lines.push(`| ${cells.join(' | ')} |`)
  }
  for (const r of sorted) if (!r.correct) lines.push(`\n⚠ ${r.name}: ${r.error}`)
  if (w.note) lines.push(`\n${w.note}`)
  return lines.join('\n')
}

export function renderTable(t) {
  const lines = [
    `\n### ${t.title}\n`,
    `| ${t.columns.join(' | ')} |`,
    `|${t.columns.map(() => ' --- ').join('|')}|`,
  ]
  for (const row of t.rows) lines.push(`| ${row.map(fmtCell).join(' | ')} |`)
  if (t.note) lines.push(`\n${t.note}`)
  return lines.join('\n')
}

export function writeResult(result, dir) {
  mkdirSync(dir, { recursive: true })
  const file = join(dir, `${result.suite}.json`)
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`)
  return file.slice(repoRoot.length + 1)
}
