// Writes small seed inputs for the fuzz targets, one folder per format, made by sharp
// (libvips, libjpeg, libpng, libwebp, cgif, libheif, libtiff), the engine's test files
// (JPEG XL by cjxl, lossless and 12-bit JPEG), hand-written SVG, join containers and text markup:
// fuzz/corpus/decode_<target>/.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import sharp from 'sharp'
import { joinInputs } from '../index.js'

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..')
const photo = path.join(root, '..', 'shared', 'corpus', 'photos', 'kodak-kodim23.png')
const small = () => sharp(photo).resize(24, 16)
const withAlpha = () => small().ensureAlpha(0.5)
const animatedFrom = () => sharp([photo, photo], { join: { animated: true } }).resize(24, 16)
const testFile = (folder) => (name) => readFileSync(path.join(root, 'crates', 'engine', 'tests', folder, name))
const jxl = testFile('jxl')
const jpegTest = testFile('jpeg')
const tiffTest = testFile('tiff')
const svg = (body) => Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="24" height="16">${body}</svg>`)

// Text seeds: four bytes of settings (see fuzz/src/lib.rs decode_text), then the markup.
const text = (flags, markup) => Buffer.concat([Buffer.from([flags, 40, 10, 18]), Buffer.from(markup)])

const seeds = {
  text: {
    plain: text(0, 'Hello, world!'),
    markup: text(1, '<span foreground="red" font="30">red</span> <span background="cyan"><i>blue</i> <b>bold</b></span>'),
    autofit: text(0xc2, 'justified text that wraps in its box'),
    decorated: text(0x35, '<u>under</u> <s>struck</s> <big>big</big> <small>small</small> <tt>mono</tt>\nnext &amp; line'),
  },
  join: {
    grid: small().png().toBuffer().then((png) => joinInputs([png, png, png], { across: 2, shim: 1, halign: 'centre' })),
    animated: small().png().toBuffer().then(async (png) => joinInputs([png, await withAlpha().webp().toBuffer()], { animated: true })),
  },
  jpeg: {
    baseline: small().jpeg(),
    progressive: small().jpeg({ progressive: true }),
    grey: small().greyscale().jpeg(),
    cmyk: small().toColourspace('cmyk').jpeg(),
    exif: small().withMetadata({ orientation: 6 }).jpeg(),
    lossless: jpegTest('lossless-rgb.jpg'),
    deep: jpegTest('dct12-420-restart.jpg'),
    deepProgressive: jpegTest('dct12-grey-progressive.jpg'),
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
    animated: animatedFrom().webp(),
  },
  webp_animated: {
    animated: animatedFrom().webp({ delay: [50, 90], loop: 3 }),
    lossless: animatedFrom().webp({ lossless: true }),
  },
  gif: {
    still: small().gif(),
    alpha: withAlpha().gif(),
    animated: animatedFrom().gif(),
  },
  gif_animated: {
    animated: animatedFrom().gif({ delay: [50, 90], loop: 3 }),
    few: animatedFrom().gif({ colours: 4, dither: 0 }),
  },
  jxl: {
    lossless: jxl('small.jxl'),
    alpha: jxl('alpha.jxl'),
    lossy: jxl('lossy.jxl'),
    orient: jxl('orient6.jxl'),
  },
  svg: {
    shapes: svg('<rect width="12" height="8" fill="#f00"/><circle cx="16" cy="8" r="5" stroke="#00f" fill="none"/>'),
    gradient: svg('<defs><linearGradient id="g"><stop offset="0" stop-color="#0f0"/><stop offset="1" stop-color="#00f"/></linearGradient></defs><rect width="24" height="16" fill="url(#g)"/>'),
    text: svg('<text x="2" y="12" font-size="10">Hi</text>'),
    use: svg('<defs><path id="p" d="M0 0 L8 8 Z"/><filter id="f"><feGaussianBlur stdDeviation="1"/></filter></defs><use href="#p" filter="url(#f)"/><use xlink:href="#p" x="8"/>'),
    entities: Buffer.from('<!DOCTYPE svg [<!ENTITY c "#f0f">]><svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4" fill="&c;"/></svg>'),
    // The work budget's inputs: every kind of reference and costed drawing step.
    patterns: svg('<defs><pattern id="a" width="4" height="4" patternUnits="userSpaceOnUse"><rect width="2" height="2"/></pattern><pattern id="b" width="0.5" height="0.5"><rect width="3" height="3" fill="url(#a)"/></pattern></defs><rect width="24" height="16" fill="url(#b)" stroke="url(#a)"/>'),
    masks: svg('<defs><mask id="m"><rect width="12" height="16" fill="#fff"/></mask><clipPath id="c"><circle cx="12" cy="8" r="6"/></clipPath><marker id="k"><circle r="1"/></marker></defs><g opacity="0.5" mask="url(#m)"><rect width="24" height="16" clip-path="url(#c)"/></g><polyline points="1,1 5,9 9,2 20,14" marker-mid="url(#k)" stroke="#000"/>'),
    filters: svg('<filter id="f"><feTurbulence baseFrequency="0.2" numOctaves="40"/><feMorphology radius="1"/><feConvolveMatrix order="3" kernelMatrix="0 1 0 1 -4 1 0 1 0"/><feDiffuseLighting><feDistantLight/></feDiffuseLighting></filter><rect width="24" height="16" filter="url(#f)"/>'),
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
    // The sample classes read beyond the tiff crate's own colour types.
    ycbcr: tiffTest('ycbcr-lzw.tif'),
    logluv: tiffTest('logluv.tif'),
    planar: tiffTest('planar.tif'),
    float: tiffTest('float-predictor.tif'),
    half: tiffTest('half-float.tif'),
    bigEndianBig: tiffTest('bigtiff-be.tif'),
    extra: tiffTest('grey-extra.tif'),
    palette: tiffTest('palette.tif'),
  },
}

for (const [format, variants] of Object.entries(seeds)) {
  const dir = path.join(root, 'fuzz', 'corpus', `decode_${format}`)
  mkdirSync(dir, { recursive: true })
  for (const [name, pipeline] of Object.entries(variants)) {
    writeFileSync(path.join(dir, `seed-${name}`), Buffer.isBuffer(pipeline) ? pipeline : pipeline instanceof Promise ? await pipeline : await pipeline.toBuffer())
  }
}
console.log('seeds written to fuzz/corpus/')
