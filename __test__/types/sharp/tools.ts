// The type names build tools import from 'sharp', as they use them, resolved against
// pixelpool-sharp's index.d.ts (the override gives them this file instead of sharp's).
import sharp from 'sharp'
import type { Color, FormatEnum, KernelEnum, Metadata, OutputInfo, ResizeOptions, Sharp, SharpOptions } from 'sharp'

// astro's sharp service
const resize: ResizeOptions = { width: 400, height: undefined, fit: 'inside', withoutEnlargement: true }
const options: SharpOptions = { failOn: 'none', limitInputPixels: 268402689 }
// ipx
const background: Color = { r: 0, g: 0, b: 0, alpha: 0 }
const kernel: keyof KernelEnum = 'lanczos3'
// imagetools
async function describe(image: Sharp): Promise<Metadata> {
  return image.metadata()
}
async function build(input: Buffer): Promise<OutputInfo> {
  const format: keyof FormatEnum = 'webp'
  const pipeline: Sharp = sharp(input, options).rotate().resize(resize).resize(100, 100, { kernel, background })
  const { info } = await pipeline.clone().toFormat(format, { quality: 80 }).toBuffer({ resolveWithObject: true })
  const data: Buffer = await pipeline.clone().avif({ effort: 4 }).toBuffer()
  const width: number = pipeline.options.width
  await describe(sharp(data))
  sharp.concurrency(1)
  return { ...info, width }
}
void build
