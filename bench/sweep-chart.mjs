// The sweep as an SVG line chart: throughput ratio (pixelpool / sharp) against reduction,
// one line per photo and format (a colour per photo, dotted for WebP), with the 1.2x bar.
const WIDTH = 1000
const HEIGHT = 520
const MARGIN = { left: 60, right: 330, top: 40, bottom: 50 }
const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf']
const BAR = 1.2

export function sweepChart(rows, title) {
  const plotW = WIDTH - MARGIN.left - MARGIN.right
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom
  const maxRatio = Math.max(2, Math.ceil(Math.max(...rows.map((r) => r.ratio)) * 2) / 2)
  const x = (reduction) => MARGIN.left + (Math.log2(reduction) / 4) * plotW
  const y = (ratio) => MARGIN.top + plotH - (ratio / maxRatio) * plotH
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${MARGIN.left}" y="24" font-size="14">${escape(title)}: pixelpool / sharp throughput</text>`,
  ]
  for (let ratio = 0; ratio <= maxRatio; ratio += 0.5) {
    parts.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${y(ratio)}" y2="${y(ratio)}" stroke="#ddd"/>`)
    parts.push(`<text x="${MARGIN.left - 8}" y="${y(ratio) + 4}" text-anchor="end">${ratio.toFixed(1)}x</text>`)
  }
  for (const reduction of [1, 1.5, 2, 3, 4, 6, 8, 12, 16]) {
    parts.push(`<line x1="${x(reduction)}" x2="${x(reduction)}" y1="${MARGIN.top}" y2="${MARGIN.top + plotH}" stroke="#eee"/>`)
    parts.push(`<text x="${x(reduction)}" y="${MARGIN.top + plotH + 18}" text-anchor="middle">${reduction}x</text>`)
  }
  parts.push(`<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 10}" text-anchor="middle">reduction (stored width / output width)</text>`)
  parts.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${y(BAR)}" y2="${y(BAR)}" stroke="black" stroke-dasharray="6 4"/>`)
  parts.push(`<text x="${MARGIN.left + plotW + 6}" y="${y(BAR) + 4}">bar ${BAR}x</text>`)
  const series = groupBy(rows, (r) => `${r.photo} ${r.format}`)
  const photos = [...new Set(rows.map((r) => r.photo))]
  series.forEach(([name, points], i) => {
    const colour = COLOURS[photos.indexOf(points[0].photo) % COLOURS.length]
    const dash = points[0].format === 'webp' ? ' stroke-dasharray="3 3"' : ''
    const path = points.map((p) => `${x(p.reduction).toFixed(1)},${y(p.ratio).toFixed(1)}`).join(' ')
    parts.push(`<polyline points="${path}" fill="none" stroke="${colour}" stroke-width="2"${dash}/>`)
    const legendY = MARGIN.top + 20 + i * 18
    parts.push(`<line x1="${WIDTH - MARGIN.right + 50}" x2="${WIDTH - MARGIN.right + 75}" y1="${legendY}" y2="${legendY}" stroke="${colour}" stroke-width="2"${dash}/>`)
    parts.push(`<text x="${WIDTH - MARGIN.right + 80}" y="${legendY + 4}">${escape(name)}</text>`)
  })
  parts.push('</svg>')
  return `${parts.join('\n')}\n`
}

function groupBy(rows, key) {
  const groups = new Map()
  for (const row of rows) groups.set(key(row), [...(groups.get(key(row)) ?? []), row])
  return [...groups.entries()]
}

const escape = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;')
