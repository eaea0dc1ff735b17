// Writes small seed inputs for the fuzz targets, one folder per format, made by sharp
// (libvips, libjpeg, libpng, libwebp, cgif, libheif, libtiff): fuzz/corpus/decode_<format>/.
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import sharp from 'sharp'

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..')
const photo = path.join(root, '..', 'shared', 'corpus', 'photos', 'kodak-kodim23.png')
const small = () => sharp(photo).resize(24, 16)
const withAlpha = () => small().ensureAlpha(0.5)

const seeds = {
  jpeg: {
    baseline: small().jpeg(),
    progressive: small().jpeg({ progressive: true }),
    grey: small().greyscale().jpeg(),
    cmyk: small().toColourspace('cmyk').jpeg(),
    exif: small().withMetadata({ orientation: 6 }).jpeg(),
  },
  png: {
    rgb: small().png(),
    rgba: withAlpha().png(),
    palette: small().png({ palette: true, colours: 16 }),
    deep: small().toColourspace('rgb16').png(),
    grey: small().greyscale().png(),
  },
  webp: {
    lossy: small().webp(),
    lossless: small().webp({ lossless: true }),
    alpha: withAlpha().webp(),
    animated: sharp([photo, photo], { join: { animated: true } }).resize(24, 16).webp(),
  },
  gif: {
    still: small().gif(),
    alpha: withAlpha().gif(),
    animated: sharp([photo, photo], { join: { animated: true } }).resize(24, 16).gif(),
  },
  avif: {
    yuv420: small().avif({ quality: 60 }),
    yuv444: small().avif({ chromaSubsampling: '4:4:4' }),
    deep: small().avif({ bitdepth: 10 }),
    alpha: withAlpha().avif(),
  },
  tiff: {
    lzw: small().tiff({ compression: 'lzw' }),
    deflate: withAlpha().tiff({ compression: 'deflate' }),
    deep: small().toColourspace('rgb16').tiff(),
    grey: small().greyscale().tiff(),
  },
}

for (const [format, variants] of Object.entries(seeds)) {
  const dir = path.join(root, 'fuzz', 'corpus', `decode_${format}`)
  mkdirSync(dir, { recursive: true })
  for (const [name, pipeline] of Object.entries(variants)) {
    writeFileSync(path.join(dir, `seed-${name}`), await pipeline.toBuffer())
  }
}
console.log('seeds written to fuzz/corpus/')
