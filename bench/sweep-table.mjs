// The sweep as a Markdown table, one row per point.
const pct = (part, whole) => `${((100 * part) / whole).toFixed(0)}%`

export function sweepTable(rows) {
  const header = [
    '| photo | format | width | reduction | decode scale | sharp jobs/s | pixelpool jobs/s | **ratio** | limit jobs/s | of limit | SSIM2 sharp | SSIM2 pixelpool | bytes sharp | bytes pixelpool | pixelpool decode / resize / encode |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ]
  const lines = rows.map((r) => {
    const total = r.profile ? r.profile.decode + r.profile.resize + r.profile.encode : 0
    const split = total ? [r.profile.decode, r.profile.resize, r.profile.encode].map((ms) => pct(ms, total)).join(' / ') : ''
    return `| ${r.photo} | ${r.format} | ${r.width} | ${r.reduction}x | ${r.scale} | ${r.sharpRate.toFixed(1)} | ${r.pixelpoolRate.toFixed(1)} | **${r.ratio.toFixed(2)}x** | ${r.limitRate.toFixed(1)} | ${pct(r.pixelpoolRate, r.limitRate)} | ${r.sharpScore.toFixed(2)} | ${r.pixelpoolScore.toFixed(2)} | ${r.sharpBytes} | ${r.pixelpoolBytes} (${(r.pixelpoolBytes / r.sharpBytes).toFixed(3)}x) | ${split} |`
  })
  return `${[...header, ...lines].join('\n')}\n`
}
