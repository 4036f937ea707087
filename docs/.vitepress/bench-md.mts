// Renders one bench/results/<suite>.json as the markdown of its benchmark page.
// Tables are plain markdown (searchable, readable without JS); each workload
// also gets a <BenchChart> (SVG, drawn from the same numbers via $params).

import { fmtOps, fmtRatio, formatDate } from './format.ts'
import {
  type BenchResult,
  type BenchRow,
  type BenchWorkload,
  machineLine,
  PACKAGES,
  ratioToBestPeer,
} from './site.mts'

/** Escapes text for a markdown table cell / paragraph inside a Vue-compiled page. */
export function esc(value: unknown): string {
  return (
    String(value)
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/\|/g, '&#124;')
      // Vue compiles the rendered page: break "{{" so text can never become an interpolation.
      .replace(/\{\{/g, '{\u200B{')
      .replace(/\}\}/g, '}\u200B}')
      .replace(/\*/g, '&#42;')
      .replace(/_/g, '&#95;')
      .replace(/`/g, '&#96;')
      .replace(/\[/g, '&#91;')
      .replace(/\]/g, '&#93;')
      .replace(/\r?\n/g, ' ')
  )
}

function fmtCell(v: string | number | null): string {
  if (v == null) return '—'
  if (typeof v === 'number') {
    if (Number.isInteger(v)) return v.toLocaleString('en-US')
    return String(Number(v.toPrecision(4)))
  }
  return esc(v)
}

/** The hotpath row and whether a (correct) peer beat it in this workload. */
export function peerWins(w: BenchWorkload): { hotpath: BenchRow | undefined; winner: BenchRow | undefined } {
  const hotpath = w.rows.find((r) => r.role === 'hotpath')
  const peers = w.rows.filter((r) => r.role === 'peer' && r.correct && r.medianOpsPerSec != null)
  const best = peers.sort((a, b) => (b.medianOpsPerSec ?? 0) - (a.medianOpsPerSec ?? 0))[0]
  if (!hotpath || !best) return { hotpath, winner: undefined }
  const hotpathLoses =
    !hotpath.correct ||
    hotpath.medianOpsPerSec == null ||
    hotpath.medianOpsPerSec < (best.medianOpsPerSec ?? 0)
  return { hotpath, winner: hotpathLoses ? best : undefined }
}

function status(row: BenchRow, winner: BenchRow | undefined): string {
  if (row.fixed) return 'physical limit (computed, not timed)'
  if (!row.correct) return '**incorrect**, not ranked'
  if (row.medianOpsPerSec == null) return '**no result**'
  if (winner && row.name === winner.name) return '**fastest** (beats hotpath)'
  return ''
}

function workloadMarkdown(w: BenchWorkload, index: number): string {
  const out: string[] = []
  out.push(`## ${esc(w.name)} {#workload-${index + 1}}`, '')
  out.push(
    `One timed call performs ${w.ops.toLocaleString('en-US')} operations; figures are operations per second (higher is better).`,
    '',
  )
  out.push(`<BenchChart :workload="${index}" />`, '')

  const metricKeys = [...new Set(w.rows.flatMap((row) => Object.keys(row.metrics ?? {})))]
  const { winner } = peerWins(w)
  const sorted = [...w.rows].sort((a, b) => (b.medianOpsPerSec ?? -1) - (a.medianOpsPerSec ?? -1))
  const statuses = sorted.map((row) => status(row, winner))
  const showStatus = statuses.some((x) => x !== '')
  // Role and version ride along in the library cell: fewer columns, readable on a phone.
  const head = ['Library', 'Median ops/s', '±', 'vs best peer', 'vs baseline', ...metricKeys.map(esc)]
  if (showStatus) head.push('Status')
  out.push(
    `| ${head.join(' | ')} |`,
    `|${head.map((_, i) => (i >= 1 && i < 5 ? ' ---: ' : ' --- ')).join('|')}|`,
  )
  sorted.forEach((row, i) => {
    const name = row.role === 'hotpath' ? `**${esc(row.name)}**` : esc(row.name)
    const mark = winner && row.name === winner.name ? ' ▲' : ''
    const role = row.role === 'baseline' && !/baseline/i.test(row.name) ? ' (baseline)' : ''
    const version = row.version ? ` <span class="bench-version">${esc(row.version)}</span>` : ''
    const cells = [
      `${name}${mark}${role}${version}`,
      fmtOps(row.medianOpsPerSec),
      row.marginPct == null ? '—' : `${row.marginPct.toFixed(1)}%`,
      !row.correct
        ? 'not ranked'
        : row.role === 'hotpath'
          ? fmtRatio(ratioToBestPeer(w, row))
          : fmtRatio(row.ratioToBestPeer),
      row.correct ? fmtRatio(row.ratioToBaseline) : '—',
      ...metricKeys.map((k) => fmtCell(row.metrics?.[k] ?? null)),
    ]
    if (showStatus) cells.push(statuses[i]!)
    out.push(`| ${cells.join(' | ')} |`)
  })
  out.push('')

  if (winner) {
    out.push(`::: warning ▲ ${esc(winner.name)} is faster here`)
    out.push(
      w.note
        ? esc(w.note)
        : 'The suite records no explanation for this row yet. The figures are shown as measured, not hidden.',
    )
    out.push(':::', '')
  } else if (w.note) {
    out.push(`> ${esc(w.note)}`, '')
  }
  for (const row of w.rows.filter((x) => x.correct && x.medianOpsPerSec == null)) {
    out.push(`::: info ${esc(row.name)} has no result`)
    out.push(row.error ? esc(row.error) : 'The harness recorded no samples for it.')
    out.push(':::', '')
  }
  for (const row of w.rows.filter((x) => !x.correct)) {
    out.push(`::: danger ${esc(row.name)} failed its correctness check`)
    out.push(
      `${row.error ? `${esc(row.error).replace(/\.$/, '')}. ` : ''}` +
        (row.medianOpsPerSec == null
          ? 'It produced no timing.'
          : 'Its speed is shown for completeness but it is not ranked: a fast wrong answer is not a result.'),
    )
    out.push(':::', '')
  }
  return out.join('\n')
}

function tableMarkdown(t: NonNullable<BenchResult['tables']>[number]): string {
  const out: string[] = [`## ${esc(t.title)}`, '']
  out.push(`| ${t.columns.map(esc).join(' | ')} |`, `|${t.columns.map(() => ' --- ').join('|')}|`)
  for (const row of t.rows) out.push(`| ${row.map(fmtCell).join(' | ')} |`)
  out.push('')
  if (t.note) out.push(`> ${esc(t.note)}`, '')
  return out.join('\n')
}

export function suiteTitle(suite: string): string {
  const pkg = PACKAGES.find((p) => p.suite === suite)
  return pkg ? pkg.name : suite
}

/** The full page body for one suite (the frontmatter and title come from [suite].md). */
export function suiteMarkdown(r: BenchResult, guideLink: string | null): string {
  const out: string[] = []
  const pkg = PACKAGES.find((p) => p.suite === r.suite)
  if (r.quick) {
    out.push('::: warning Smoke run')
    out.push(
      'These figures come from a `--quick` run (few, short samples). They show the suite works, not how fast anything is.',
    )
    out.push(':::', '')
  }
  out.push(`Measured **${formatDate(r.date)}** on ${esc(machineLine(r))}.`, '')
  if (pkg && guideLink) out.push(`Package guide: [${pkg.name}](${guideLink}).`, '')
  out.push(
    'Every competitor runs on the same precomputed input, in one process, interleaved over several rounds after a warm-up. ' +
      'Ratios compare medians: **vs best peer** is against the fastest *correct* peer, **vs baseline** against the physical limit of the work ' +
      '(for example a bare `Map`). Rows where a peer beats hotpath are marked ▲ and explained; competitors whose output is wrong are flagged and not ranked.',
    '',
  )
  out.push('## Summary', '')
  out.push('| Workload | hotpath median ops/s | Best correct peer | hotpath vs best peer |')
  out.push('| --- | ---: | --- | ---: |')
  for (const [i, w] of r.workloads.entries()) {
    const { hotpath, winner } = peerWins(w)
    const ratio = hotpath ? ratioToBestPeer(w, hotpath) : null
    out.push(
      `| [${esc(w.name)}](#workload-${i + 1}) | ${fmtOps(hotpath?.medianOpsPerSec)} | ${w.bestPeer ? esc(w.bestPeer) : '—'} | ${fmtRatio(ratio)}${winner ? ' ▲' : ''} |`,
    )
  }
  out.push('')
  out.push('## Reproduce', '')
  out.push('```sh', 'npm ci', `npm run bench -- ${r.suite}`, '```', '')
  out.push(
    `This builds the packages, runs the suite and rewrites \`bench/results/${r.suite}.json\`, which this page is generated from. ` +
      'Absolute numbers depend on the machine; compare ratios.',
    '',
  )
  r.workloads.forEach((w, i) => {
    out.push(workloadMarkdown(w, i))
  })
  for (const t of r.tables ?? []) out.push(tableMarkdown(t))
  return out.join('\n')
}
