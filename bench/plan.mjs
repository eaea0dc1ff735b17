// The W2 plan: every corpus photo (every fourth with --quick) to the widths 200/400/800/1600
// that do not enlarge it, judged on the upright image.
import { readdirSync } from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'

const WIDTHS = [200, 400, 800, 1600]

export async function w2Plan(corpus, quick) {
  const files = readdirSync(corpus).sort().map((name) => path.join(corpus, name))
  const chosen = quick ? files.filter((_, i) => i % 4 === 0) : files
  return Promise.all(
    chosen.map(async (file) => {
      const { width, height, orientation } = await sharp(file).metadata()
      const upright = orientation >= 5 ? height : width
      return { file, widths: WIDTHS.filter((w) => w <= upright) }
    }),
  )
}
