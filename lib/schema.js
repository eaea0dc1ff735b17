'use strict'

const os = require('node:os')

/**
 * The one description of pixelpool's options and formats: names, kinds, ranges, defaults,
 * the formats an option applies to, and the words of the reference docs. `validate.js`
 * checks and fills jobs from it, in the serde shape of the engine's `OutputSpec`
 * (crates/engine/src/spec.rs), so the binding deserialises them unchanged;
 * `scripts/from-schema.mjs` writes docs/options.md and the option types of index.d.ts
 * from it; the CLI's folder scan, its `--format`, the Gatsby mapping, pixelpool-sharp and
 * the Astro service take their formats from it. Adding an option or a format is an edit
 * here (and, for a new engine field, in spec.rs).
 *
 * An option's `kind` names its checker in validate.js; `default` may be a value, an
 * object keyed by output format, or a function of the options as given and the queue's
 * (then `defaultText` says it in words); `max` may be keyed by format too. Options with
 * `formats` are encoder settings: they go into the output's `encoding` and are refused
 * for other formats.
 */

/** JPEG's largest side; also bounds every other format pixelpool writes. */
const MAX_DIMENSION = 65500
/** sharp's default: 0x3FFF * 0x3FFF. */
const DEFAULT_LIMIT_INPUT_PIXELS = 268402689
const INT32_MAX = 2 ** 31 - 1

/**
 * Every format the engine knows (crates/engine/src/spec.rs `Format::ALL`; a test checks
 * they agree). `extensions` are what the CLI's folder scan picks up and what an output
 * `path` implies; raw has none, its input is pixelpool-sharp's container.
 */
const formats = [
  { name: 'jpeg', aliases: ['jpg'], extensions: ['.jpg', '.jpeg'], read: true, write: true },
  { name: 'png', aliases: [], extensions: ['.png'], read: true, write: true },
  { name: 'webp', aliases: [], extensions: ['.webp'], read: true, write: true },
  { name: 'gif', aliases: [], extensions: ['.gif'], read: true, write: true },
  { name: 'avif', aliases: [], extensions: ['.avif'], read: true, write: true },
  { name: 'tiff', aliases: ['tif'], extensions: ['.tif', '.tiff'], read: true, write: true },
  { name: 'jxl', aliases: [], extensions: ['.jxl'], read: true, write: false },
  { name: 'svg', aliases: [], extensions: ['.svg'], read: true, write: false },
  { name: 'raw', aliases: [], extensions: [], read: true, write: true },
]

const writableFormats = formats.filter((f) => f.write).map((f) => f.name)
/** Output format names and aliases, each to its format. */
const formatNames = Object.fromEntries(
  formats.filter((f) => f.write).flatMap((f) => [f.name, ...f.aliases].map((n) => [n, f.name])),
)
/** File extensions, each to its format (readable formats only). */
const formatOfExtension = Object.fromEntries(
  formats.flatMap((f) => f.extensions.map((extension) => [extension, f.name])),
)

const fits = ['cover', 'contain', 'fill', 'inside', 'outside']
const gravities = ['centre', 'north', 'northeast', 'east', 'southeast', 'south', 'southwest', 'west', 'northwest']
const strategies = ['entropy', 'attention']
/** sharp's CSS-like gravity aliases and `sharp.gravity`/`sharp.strategy` numbers. */
const positionAliases = {
  center: 'centre', 0: 'centre', top: 'north', 1: 'north', right: 'east', 2: 'east',
  bottom: 'south', 3: 'south', left: 'west', 4: 'west', 'right top': 'northeast', 5: 'northeast',
  'right bottom': 'southeast', 6: 'southeast', 'left bottom': 'southwest', 7: 'southwest',
  'left top': 'northwest', 8: 'northwest', 16: 'entropy', 17: 'attention',
}

const queue = [
  { name: 'concurrency', kind: 'integer', min: 1, max: 1024, default: () => os.availableParallelism(),
    defaultText: 'os.availableParallelism()',
    doc: "Threads of the queue's own pool (never libuv's threadpool)." },
  { name: 'maxQueue', kind: 'integer', min: 1, max: INT32_MAX, default: 10_000,
    doc: 'Jobs that may wait for a thread; beyond it `process()` rejects with QUEUE_FULL.' },
  { name: 'limitInputPixels', kind: 'pixelLimit', default: DEFAULT_LIMIT_INPUT_PIXELS,
    doc: 'Inputs with more pixels reject with INPUT_TOO_LARGE, judged from the header. `false` or `0` removes the limit; `true` is the default.' },
  { name: 'cacheDir', kind: 'string', default: undefined,
    doc: 'Folder of a content-addressed result cache, safe to share between processes. A job whose input bytes, outputs (paths aside) and engine revision match a stored one copies the stored outputs (`result.cached` is true); entries are verified by hash on every read and recomputed if damaged.' },
  { name: 'cacheMaxBytes', kind: 'integer', min: 1, max: Number.MAX_SAFE_INTEGER, default: 2 ** 30,
    doc: 'Size cap of the cache; least recently used entries are evicted beyond it (it may overshoot by a tenth between eviction passes).' },
  { name: 'profile', kind: 'boolean', default: () => process.env.PIXELPOOL_PROFILE === '1',
    defaultText: "process.env.PIXELPOOL_PROFILE === '1'",
    doc: 'Adds `profile: { read, decode, resize, encode, write }` (milliseconds) to every result.' },
  { name: 'remote', kind: 'remote', default: undefined,
    doc: 'Sends the overflow to `pixelpool worker` processes through Redis Streams (the options below). Connects in the background: the queue works locally until connected, and for good if Redis cannot be reached (see `waitUntilReady`).' },
]

/**
 * Forward once more jobs wait than the pool runs at once, fall back to local after a
 * minute, never ship inputs above 32 MiB (uploading them costs more than it saves, and
 * big values stall Redis), and keep at most 256 MiB of inputs out at once (the window by
 * count, twice the live workers' threads, alone would hold 128 photos of 10 MB for 4
 * workers of 16 threads).
 */
const remote = [
  { name: 'url', kind: 'redisUrl', required: true,
    doc: '`redis://[user:password@]host[:port][/db]`, or `rediss://` for TLS.' },
  { name: 'name', kind: 'queueName', default: 'default',
    doc: "The queue's name on Redis (keys `pixelpool:<name>:*`); workers serve one name." },
  { name: 'overflowAt', kind: 'integer', min: 0, max: INT32_MAX, default: (given, queue) => queue.concurrency, defaultText: 'concurrency',
    doc: 'Jobs are forwarded only while more than this many wait locally, and some worker is alive.' },
  { name: 'timeoutMs', kind: 'integer', min: 1, max: INT32_MAX, default: 60_000,
    doc: 'A forwarded job without a result after this long runs locally instead; a late result is ignored.' },
  { name: 'maxInputBytes', kind: 'integer', min: 1, max: Number.MAX_SAFE_INTEGER, default: 32 * 2 ** 20,
    doc: 'Inputs larger than this always run locally.' },
  { name: 'maxInFlightBytes', kind: 'integer', min: 1, max: Number.MAX_SAFE_INTEGER, default: 256 * 2 ** 20,
    doc: "No more jobs are forwarded while the inputs out add up to this much (they wait in Redis, and the window passes it by one input at most): with `maxInputBytes`, it bounds the Redis memory the queue uses. Set Redis' `maxmemory` to at least twice it per producer (README, Remote workers)." },
]

const job = [
  { name: 'input', kind: 'input', required: true, doc: 'A file path, or the encoded image itself (Buffer or Uint8Array).' },
  { name: 'outputs', kind: 'outputs', required: true, doc: 'One or more outputs (below), all made from one decode of the input.' },
  { name: 'priority', kind: 'integer', min: -(2 ** 31), max: INT32_MAX, default: 0,
    doc: 'Higher runs first; equal priorities run in submission order.' },
  { name: 'failOn', kind: 'choice', choices: ['none', 'truncated', 'error', 'warning'], default: 'warning',
    doc: "How strict decoding is, as sharp: 'none' accepts truncated images, 'warning' rejects any decoder warning." },
  { name: 'signal', kind: 'signal', default: undefined,
    doc: 'A queued job is removed and a running one abandoned (its outputs are not written); it rejects with ABORTED.' },
  { name: 'limitInputPixels', kind: 'integer', min: 1, max: Number.MAX_SAFE_INTEGER, default: (given, queue) => queue.limitInputPixels, defaultText: "the queue's",
    doc: "This job's pixel limit, instead of the queue's." },
  { name: 'animated', kind: 'boolean', default: false,
    doc: "Keep every frame of an animated GIF or WebP (sharp's `animated`, or `pages: -1`): GIF and WebP outputs are animated, with the input's frame delays and loop count; other formats get the first frame. The pixel limit applies to frames x width x height. Otherwise the first frame only." },
  { name: 'page', kind: 'integer', min: 0, max: INT32_MAX, default: 0,
    doc: "The page of a multi-page TIFF, or frame of an animated GIF or WebP, to read (from 0), as sharp's `page`; with `animated`, the first frame kept." },
  { name: 'pages', kind: 'integer', min: 0, max: INT32_MAX, default: 0,
    doc: "With `animated`, how many frames from `page` to keep, as sharp's `pages`; 0 keeps every one to the last. More than the input has from `page` is INVALID_OPTION." },
  { name: 'ignoreIcc', kind: 'boolean', default: false,
    doc: "Read the pixels as sRGB whatever ICC profile the input embeds, as sharp's `ignoreIcc`." },
  { name: 'density', kind: 'number', min: 1, max: 100000, default: 72,
    doc: "Dots per inch of vector input (SVG), as sharp's `density`: at 72 a user unit is a pixel. An SVG is rendered at the size each output needs, so enlarging it stays sharp." },
]

/** Encoder settings: which formats take them, in `encoding`. */
const output = [
  { name: 'path', kind: 'path', default: undefined,
    doc: 'File to write, atomically (temporary file, then rename); without it the bytes come back as `data`.' },
  { name: 'format', kind: 'format', default: undefined, defaultText: 'from the extension of `path`',
    doc: `Output format: ${writableFormats.join(', ')} (\`jpg\` for jpeg).` },
  { name: 'width', kind: 'dimension', default: undefined,
    doc: 'Output width in pixels; alone, the height follows the aspect ratio.' },
  { name: 'height', kind: 'dimension', default: undefined,
    doc: 'Output height in pixels; alone, the width follows the aspect ratio.' },
  { name: 'fit', kind: 'choice', choices: fits, default: 'cover', doc: 'How the image fits width x height, as in sharp.' },
  { name: 'position', kind: 'position', default: 'centre',
    doc: `What \`cover\` keeps and where \`contain\` places the image: ${gravities.join(', ')}, or the strategies ${strategies.join(', ')}; sharp's aliases and numbers too. With a strategy (libvips' smartcrop on the resized image) the output result states \`cropOffset: { left, top }\` and \`attention: { x, y }\`.` },
  { name: 'background', kind: 'colour', default: '#000000',
    doc: 'Fills `contain` borders, and replaces transparency in formats without alpha.' },
  { name: 'withoutEnlargement', kind: 'boolean', default: false, doc: 'Never enlarge: a smaller input keeps its size.' },
  { name: 'fastShrinkOnLoad', kind: 'boolean', default: true,
    doc: "As sharp's: JPEG and WebP decode at the reduction sharp picks, for sharp's sizes and pixels. `false`: sizes as sharp's `false` (at least 2x left to the resize), decoded at the scale pixelpool measured to keep quality." },
  { name: 'rotate', kind: 'rotation', default: 0, doc: 'Clockwise degrees, a multiple of 90, after EXIF orientation.' },
  { name: 'flip', kind: 'boolean', default: false, doc: 'Mirror top to bottom.' },
  { name: 'flop', kind: 'boolean', default: false, doc: 'Mirror left to right.' },
  { name: 'grayscale', aliases: ['greyscale'], kind: 'boolean', default: false, doc: 'Convert to greyscale.' },
  { name: 'keepMetadata', kind: 'boolean', default: false,
    doc: 'Keep EXIF (written as libvips writes it: orientation 1 once the pixels are upright, the resolution stated, a new block when the input has none), the ICC profile and XMP; otherwise they are stripped.' },
  { name: 'metadata', kind: 'metadata', default: undefined,
    doc: "Metadata the output writes, sharp's `withExif`/`withXmp`/`withDensity`: `{ exif: { IFD0: { Copyright: 'text' } }, replaceExif, orientation, density, keepExif, xmp, keepXmp, srgbProfile }` (IFD0 the image, IFD1 the thumbnail, IFD2 Exif, IFD3 GPS; `exif` merges into the kept EXIF unless `replaceExif`; `density` in pixels per inch; `srgbProfile` attaches an sRGB ICC profile)." },
  { name: 'trim', kind: 'trim', default: undefined,
    doc: "sharp's trim, before resizing: cut away edges within `threshold` (`true` is 10) of `background` (the top-left pixel unless given), as libvips finds them (3x3 median first unless `lineArt`), keeping `margin` pixels of them. The output result states `trimOffset: { left, top }`." },
  { name: 'duotone', kind: 'duotone', default: undefined,
    doc: "gatsby-plugin-sharp's `{ highlight, shadow, opacity? }`: luminance mapped between two colours." },
  { name: 'tiles', kind: 'tiles', default: undefined,
    doc: "A tile pyramid instead of one image, sharp's `tile()`: every level cut into tiles of this output's format (jpeg, png or webp), named as the layout names them. The fields are listed under `tiles` below. Written to folders beside `path` (container `fs`), or as one zip archive to `path` or as `data`." },
  { name: 'operations', kind: 'operations', default: undefined,
    doc: "sharp's further operations in the engine's shape (crates/engine/src/operations.rs), as pixelpool-sharp builds them." },
  { name: 'quality', kind: 'integer', min: 1, max: 100, formats: ['jpeg', 'webp', 'avif', 'png', 'tiff'],
    default: { jpeg: 80, webp: 80, avif: 50, png: 100, tiff: 80 },
    doc: "1-100; on PNG it means a palette PNG at that quality, as in sharp. AVIF's scale is sharp's. TIFF: of its JPEG or WebP compression." },
  { name: 'progressive', kind: 'boolean', formats: ['jpeg', 'png', 'gif'], default: false,
    doc: 'Progressive scans (PNG: Adam7-interlaced, every row unfiltered; GIF: interlaced rows).' },
  { name: 'optimiseCoding', aliases: ['optimizeCoding'], kind: 'boolean', formats: ['jpeg'], default: true,
    doc: "Huffman tables fitted to the image, as sharp's default; `false` writes libjpeg's standard tables." },
  { name: 'chromaSubsampling', kind: 'choice', choices: ['4:2:0', '4:4:4'], formats: ['jpeg', 'avif'],
    default: { jpeg: '4:2:0', avif: '4:4:4' }, doc: 'Chroma resolution, as sharp (AVIF lossless is always 4:4:4).' },
  { name: 'compressionLevel', kind: 'integer', min: 0, max: 9, formats: ['png'], default: 6, doc: 'zlib level.' },
  { name: 'adaptiveFiltering', kind: 'boolean', formats: ['png'], default: true,
    doc: "Each row's filter chosen by PNG's heuristic (smaller photos); `false` leaves rows unfiltered, sharp's default." },
  { name: 'palette', kind: 'boolean', formats: ['png'], default: (given) => given.quality !== undefined, defaultText: 'true when `quality` is given',
    doc: 'Quantise to at most 256 colours.' },
  { name: 'lossless', kind: 'boolean', formats: ['webp', 'avif'], default: false,
    doc: 'Lossless encoding (AVIF: RGB itself, exact).' },
  { name: 'effort', kind: 'integer', min: { webp: 0, avif: 0, gif: 1 }, max: { webp: 6, avif: 9, gif: 10 }, formats: ['webp', 'avif', 'gif'],
    default: { webp: 4, avif: 4, gif: 7 }, doc: 'CPU effort, lowest fastest (GIF: how closely the palette is learnt).' },
  { name: 'colours', aliases: ['colors'], kind: 'integer', min: 2, max: 256, formats: ['gif'], default: 256,
    doc: 'Palette size.' },
  { name: 'dither', kind: 'number', min: 0, max: 1, formats: ['gif'], default: 1,
    doc: 'Floyd-Steinberg error diffusion, 0 none to 1 full.' },
  { name: 'interFrameMaxError', kind: 'number', min: 0, max: 32, formats: ['gif'], default: 0,
    doc: "After the first frame, a pixel within this RGB distance of the one shown before is left showing it, as sharp's (cgif's): smaller, slightly lossy animations." },
  { name: 'interPaletteMaxError', kind: 'number', min: 0, max: 256, formats: ['gif'], default: 3,
    doc: "A frame whose own palette is further than this from the global palette (and from the frame before's) gets a palette of its own, as sharp's (libvips' palette distance): lower, truer colours and larger files." },
  { name: 'keepDuplicateFrames', kind: 'boolean', formats: ['gif'], default: false,
    doc: 'Write a frame equal to the one before as its own frame (by default it lengthens that one, as cgif writes it).' },
  { name: 'compression', kind: 'choice', choices: ['none', 'jpeg', 'deflate', 'packbits', 'ccittfax4', 'lzw', 'webp'], formats: ['tiff'],
    default: 'jpeg', doc: "Of each strip or tile, as sharp's (JPEG is YCbCr 4:2:0 below quality 90, RGB from 90, and drops alpha; ccittfax4 needs `bitdepth: 1`; webp needs RGB(A))." },
  { name: 'predictor', kind: 'choice', choices: ['none', 'horizontal', 'float'], formats: ['tiff'], default: 'horizontal',
    doc: "Applied under lzw and deflate; `float` writes 32-bit float samples, as sharp casts them." },
  { name: 'pyramid', kind: 'boolean', formats: ['tiff'], default: false,
    doc: 'Halved copies follow as pages of their own until one fits a tile (the image is then tiled).' },
  { name: 'tile', kind: 'boolean', formats: ['tiff'], default: false, doc: 'Tiles instead of strips.' },
  { name: 'tileWidth', kind: 'integer', min: 1, max: 32768, formats: ['tiff'], default: 256,
    doc: 'Tile width; tiles must be multiples of 16.' },
  { name: 'tileHeight', kind: 'integer', min: 1, max: 32768, formats: ['tiff'], default: 256,
    doc: 'Tile height, and the rows of a strip.' },
  { name: 'xres', kind: 'number', min: 0.001, max: 1000000, formats: ['tiff'], default: 1, doc: 'Horizontal resolution, pixels per millimetre.' },
  { name: 'yres', kind: 'number', min: 0.001, max: 1000000, formats: ['tiff'], default: 1, doc: 'Vertical resolution, pixels per millimetre.' },
  { name: 'resolutionUnit', kind: 'choice', choices: ['inch', 'cm'], formats: ['tiff'], default: 'inch', doc: 'The unit the resolution is stated in.' },
  { name: 'bitdepth', kind: 'choice', choices: [1, 2, 4, 8], formats: ['tiff', 'png'], default: 8,
    doc: 'Bits per sample of a single-channel image (others are 8). PNG: also a palette of at most 2^bitdepth colours, and RGB below 8 is written as one, as libvips writes it.' },
  { name: 'miniswhite', kind: 'boolean', formats: ['tiff'], default: false, doc: 'Single-channel images stored with 0 as white.' },
  { name: 'bigtiff', kind: 'boolean', formats: ['tiff'], default: false, doc: 'BigTIFF (64-bit offsets).' },
  { name: 'smartSubsample', kind: 'boolean', formats: ['webp'], default: false,
    doc: "libwebp's sharper (iterative) RGB to YUV conversion: crisper colour edges, larger files." },
  { name: 'smartDeblock', kind: 'boolean', formats: ['webp'], default: false,
    doc: "libwebp's automatic deblocking filter strength." },
  { name: 'preset', kind: 'choice', choices: ['default', 'photo', 'picture', 'drawing', 'icon', 'text'], formats: ['webp'], default: 'default',
    doc: "libwebp's starting settings for a kind of picture." },
  { name: 'nearLossless', kind: 'boolean', formats: ['webp'], default: false,
    doc: "Lossless after libwebp's near-lossless preprocessing at `quality`." },
  { name: 'exact', kind: 'boolean', formats: ['webp'], default: false,
    doc: 'Keep the RGB values of fully transparent pixels.' },
  { name: 'alphaQuality', kind: 'integer', min: 0, max: 100, formats: ['webp'], default: 100,
    doc: 'Quality of the alpha channel.' },
]

/**
 * The fields of an output's `tiles`, with sharp's choices and defaults (its `tile()`,
 * libvips' dzsave; crates/engine/src/spec_tiles.rs).
 */
const tiles = [
  { name: 'layout', kind: 'choice', choices: ['dz', 'google', 'iiif', 'iiif3', 'zoomify'], default: 'dz',
    doc: 'Deep Zoom (`{basename}.dzi` and `{basename}_files/`), Google Maps, IIIF Image API 2 or 3, or Zoomify (each in the folder `{basename}/`).' },
  { name: 'size', kind: 'integer', min: 1, max: 8192, default: 256, doc: 'The side of a square tile.' },
  { name: 'overlap', kind: 'integer', min: 0, max: 8192, default: 0, doc: 'Pixels a tile repeats of its neighbours on each side; at most `size`.' },
  { name: 'depth', kind: 'choice', choices: ['onepixel', 'onetile', 'one'], default: undefined,
    defaultText: "'onepixel' for dz, else 'onetile'", doc: 'Where the pyramid stops: a level of one pixel, of one tile, or the full size only.' },
  { name: 'angle', kind: 'rotation', default: 0, doc: 'Clockwise turn before the image is cut.' },
  { name: 'background', kind: 'colour', default: '#ffffff', doc: "Fills Google's edge tiles, `centre`'s border and `blank.png`; what `skipBlanks` compares with." },
  { name: 'skipBlanks', kind: 'integer', min: -1, max: 65535, default: (given) => (given.layout === 'google' ? 5 : -1),
    defaultText: '5 for google, else -1', doc: 'Tiles whose every sample is within this of `background` are not written; -1 writes every tile.' },
  { name: 'centre', aliases: ['center'], kind: 'boolean', default: false, doc: 'The image centred in a square of a power-of-two number of tiles.' },
  { name: 'id', kind: 'string', default: 'https://example.com/iiif', doc: "The base of IIIF's `id` in `info.json`." },
  { name: 'basename', kind: 'string', default: undefined,
    defaultText: "`path`'s file name without `.dz`, `.zip` or `.szi`; 'untitled' without a path", doc: 'The name of the pyramid, its folder or `.dzi`.' },
  { name: 'container', kind: 'choice', choices: ['fs', 'zip'], default: undefined,
    defaultText: "'zip' for a path ending in .zip or .szi or without a path, else 'fs'", doc: 'Files in folders, or one zip archive (entries stored).' },
]

/** The formats a pyramid's tiles are written in (the engine's tiles/mod.rs `extension`). */
const tileFormats = ['jpeg', 'png', 'webp']

/** Whether a path names a zip of tiles (libvips' zip container by extension). */
const isTileZipPath = (filePath) => typeof filePath === 'string' && /\.(zip|szi)$/i.test(filePath)

/** The tile pyramid's name from an output path: libvips drops these extensions. */
function tileBasename(filePath) {
  const name = filePath.split(/[\\/]/).pop()
  return name.replace(/\.(dz|zip|szi)$/i, '')
}

module.exports = {
  MAX_DIMENSION,
  DEFAULT_LIMIT_INPUT_PIXELS,
  formats,
  writableFormats,
  formatNames,
  formatOfExtension,
  fits,
  gravities,
  strategies,
  positionAliases,
  queue,
  remote,
  job,
  output,
  tiles,
  tileFormats,
  isTileZipPath,
  tileBasename,
}
