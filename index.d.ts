/// <reference types="node" />

// ---- generated from lib/schema.js by `node scripts/from-schema.mjs`; do not edit ----

/** Stable codes carried by every error pixelpool rejects or throws with (crates/queue/src/error.rs). */
export type ErrorCode = 'INVALID_OPTION' | 'UNSUPPORTED_FORMAT' | 'CORRUPT_INPUT' | 'INPUT_TOO_LARGE' | 'QUEUE_FULL' | 'ABORTED' | 'CLOSED' | 'REMOTE_UNAVAILABLE' | 'IO_ERROR' | 'INTERNAL' | 'UNSUPPORTED_OPERATION'

/** Formats pixelpool reads (recognised by content). */
export type InputFormat = 'jpeg' | 'png' | 'webp' | 'gif' | 'avif' | 'tiff' | 'jxl' | 'svg' | 'raw'
/** Formats pixelpool writes. */
export type OutputFormat = 'jpeg' | 'png' | 'webp' | 'gif' | 'avif' | 'tiff' | 'raw'
/** Output format names, aliases included. */
export type OutputFormatName = 'jpeg' | 'jpg' | 'png' | 'webp' | 'gif' | 'avif' | 'tiff' | 'tif' | 'raw'
export type Fit = 'cover' | 'contain' | 'fill' | 'inside' | 'outside'
/** A gravity, a strategy, sharp's CSS-like aliases or its `gravity`/`strategy` numbers. */
export type Position = 'centre' | 'north' | 'northeast' | 'east' | 'southeast' | 'south' | 'southwest' | 'west' | 'northwest' | 'entropy' | 'attention' | 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 16 | 17 | 'center' | 'top' | 'right' | 'bottom' | 'left' | 'right top' | 'right bottom' | 'left bottom' | 'left top'

/** Options of `createQueue()`. */
export interface QueueOptions {
  /**
   * Threads of the queue's own pool (never libuv's threadpool).
   * @default os.availableParallelism()
   */
  concurrency?: number
  /**
   * Jobs that may wait for a thread; beyond it `process()` rejects with QUEUE_FULL.
   * @default 10000
   */
  maxQueue?: number
  /**
   * Inputs with more pixels reject with INPUT_TOO_LARGE, judged from the header. `false` or `0` removes the limit; `true` is the default.
   * @default 268402689
   */
  limitInputPixels?: number | boolean
  /**
   * Folder of a content-addressed result cache, safe to share between processes. A job whose input bytes, outputs (paths aside) and engine revision match a stored one copies the stored outputs (`result.cached` is true); entries are verified by hash on every read and recomputed if damaged.
   */
  cacheDir?: string
  /**
   * Size cap of the cache; least recently used entries are evicted beyond it (it may overshoot by a tenth between eviction passes).
   * @default 1073741824
   */
  cacheMaxBytes?: number
  /**
   * Adds `profile: { read, decode, resize, encode, write }` (milliseconds) to every result.
   * @default process.env.PIXELPOOL_PROFILE === '1'
   */
  profile?: boolean
  /**
   * Sends the overflow to `pixelpool worker` processes through Redis Streams (the options below). Connects in the background: the queue works locally until connected, and for good if Redis cannot be reached (see `waitUntilReady`).
   */
  remote?: RemoteOptions
}

/** Overflow to remote `pixelpool worker` processes through Redis Streams. */
export interface RemoteOptions {
  /**
   * `redis://[user:password@]host[:port][/db]`, or `rediss://` for TLS.
   */
  url: string
  /**
   * The queue's name on Redis (keys `pixelpool:<name>:*`); workers serve one name.
   * @default 'default'
   */
  name?: string
  /**
   * Jobs are forwarded only while more than this many wait locally, and some worker is alive.
   * @default concurrency
   */
  overflowAt?: number
  /**
   * A forwarded job without a result after this long runs locally instead; a late result is ignored.
   * @default 60000
   */
  timeoutMs?: number
  /**
   * Inputs larger than this always run locally.
   * @default 33554432
   */
  maxInputBytes?: number
  /**
   * No more jobs are forwarded while the inputs out add up to this much (they wait in Redis, and the window passes it by one input at most): with `maxInputBytes`, it bounds the Redis memory the queue uses. Set Redis' `maxmemory` to at least twice it per producer (README, Remote workers).
   * @default 268435456
   */
  maxInFlightBytes?: number
}

/** One job: one decode of `input`, every output from it. */
export interface Job {
  /**
   * A file path, or the encoded image itself (Buffer or Uint8Array).
   */
  input: string | Buffer | Uint8Array
  /**
   * One or more outputs (below), all made from one decode of the input.
   */
  outputs: OutputOptions[]
  /**
   * Higher runs first; equal priorities run in submission order.
   * @default 0
   */
  priority?: number
  /**
   * How strict decoding is, as sharp: 'none' accepts truncated images, 'warning' rejects any decoder warning.
   * @default 'warning'
   */
  failOn?: 'none' | 'truncated' | 'error' | 'warning'
  /**
   * A queued job is removed and a running one abandoned (its outputs are not written); it rejects with ABORTED.
   */
  signal?: AbortSignal
  /**
   * This job's pixel limit, instead of the queue's.
   * @default the queue's
   */
  limitInputPixels?: number
  /**
   * Keep every frame of an animated GIF or WebP (sharp's `animated`, or `pages: -1`): GIF and WebP outputs are animated, with the input's frame delays and loop count; other formats get the first frame. The pixel limit applies to frames x width x height. Otherwise the first frame only.
   * @default false
   */
  animated?: boolean
  /**
   * The page of a multi-page TIFF, or frame of an animated GIF or WebP, to read (from 0), as sharp's `page`; with `animated`, the first frame kept.
   * @default 0
   */
  page?: number
  /**
   * With `animated`, how many frames from `page` to keep, as sharp's `pages`; 0 keeps every one to the last. More than the input has from `page` is INVALID_OPTION.
   * @default 0
   */
  pages?: number
  /**
   * Read the pixels as sRGB whatever ICC profile the input embeds, as sharp's `ignoreIcc`.
   * @default false
   */
  ignoreIcc?: boolean
  /**
   * Dots per inch of vector input (SVG), as sharp's `density`: at 72 a user unit is a pixel. An SVG is rendered at the size each output needs, so enlarging it stays sharp.
   * @default 72
   */
  density?: number
}

/** One output of a job, with sharp's names and defaults. */
export interface OutputOptions {
  /**
   * File to write, atomically (temporary file, then rename); without it the bytes come back as `data`.
   */
  path?: string
  /**
   * Output format: jpeg, png, webp, gif, avif, tiff, raw (`jpg` for jpeg).
   * @default from the extension of `path`
   */
  format?: OutputFormatName
  /**
   * Output width in pixels; alone, the height follows the aspect ratio.
   */
  width?: number
  /**
   * Output height in pixels; alone, the width follows the aspect ratio.
   */
  height?: number
  /**
   * How the image fits width x height, as in sharp.
   * @default 'cover'
   */
  fit?: 'cover' | 'contain' | 'fill' | 'inside' | 'outside'
  /**
   * What `cover` keeps and where `contain` places the image: centre, north, northeast, east, southeast, south, southwest, west, northwest, or the strategies entropy, attention; sharp's aliases and numbers too. With a strategy (libvips' smartcrop on the resized image) the output result states `cropOffset: { left, top }` and `attention: { x, y }`.
   * @default 'centre'
   */
  position?: Position
  /**
   * Fills `contain` borders, and replaces transparency in formats without alpha.
   * @default '#000000'
   */
  background?: Colour
  /**
   * Never enlarge: a smaller input keeps its size.
   * @default false
   */
  withoutEnlargement?: boolean
  /**
   * As sharp's: JPEG and WebP decode at the reduction sharp picks, for sharp's sizes and pixels. `false`: sizes as sharp's `false` (at least 2x left to the resize), decoded at the scale pixelpool measured to keep quality.
   * @default true
   */
  fastShrinkOnLoad?: boolean
  /**
   * Clockwise degrees, a multiple of 90, after EXIF orientation.
   * @default 0
   */
  rotate?: number
  /**
   * Mirror top to bottom.
   * @default false
   */
  flip?: boolean
  /**
   * Mirror left to right.
   * @default false
   */
  flop?: boolean
  /**
   * Convert to greyscale.
   * @default false
   */
  grayscale?: boolean
  /** Alias of `grayscale`. */
  greyscale?: boolean
  /**
   * Keep EXIF (written as libvips writes it: orientation 1 once the pixels are upright, the resolution stated, a new block when the input has none), the ICC profile and XMP; otherwise they are stripped.
   * @default false
   */
  keepMetadata?: boolean
  /**
   * Metadata the output writes, sharp's `withExif`/`withXmp`/`withDensity`: `{ exif: { IFD0: { Copyright: 'text' } }, replaceExif, orientation, density, keepExif, xmp, keepXmp, srgbProfile }` (IFD0 the image, IFD1 the thumbnail, IFD2 Exif, IFD3 GPS; `exif` merges into the kept EXIF unless `replaceExif`; `density` in pixels per inch; `srgbProfile` attaches an sRGB ICC profile).
   */
  metadata?: { exif?: Record<string, Record<string, string>>; replaceExif?: boolean; orientation?: number; density?: number; keepExif?: boolean; xmp?: string; keepXmp?: boolean; srgbProfile?: boolean }
  /**
   * sharp's trim, before resizing: cut away edges within `threshold` (`true` is 10) of `background` (the top-left pixel unless given), as libvips finds them (3x3 median first unless `lineArt`), keeping `margin` pixels of them. The output result states `trimOffset: { left, top }`.
   */
  trim?: boolean | number | { threshold?: number; background?: Colour; lineArt?: boolean; margin?: number }
  /**
   * gatsby-plugin-sharp's `{ highlight, shadow, opacity? }`: luminance mapped between two colours.
   */
  duotone?: { highlight: string; shadow: string; opacity?: number }
  /**
   * A tile pyramid instead of one image, sharp's `tile()`: every level cut into tiles of this output's format (jpeg, png or webp), named as the layout names them. The fields are listed under `tiles` below. Written to folders beside `path` (container `fs`), or as one zip archive to `path` or as `data`.
   */
  tiles?: boolean | TileOptions
  /**
   * sharp's further operations in the engine's shape (crates/engine/src/operations.rs), as pixelpool-sharp builds them.
   */
  operations?: Record<string, unknown>
  /**
   * 1-100; on PNG it means a palette PNG at that quality, as in sharp. AVIF's scale is sharp's. TIFF: of its JPEG or WebP compression. Applies to jpeg, webp, avif, png, tiff.
   * @default 80 (jpeg), 80 (webp), 50 (avif), 100 (png), 80 (tiff)
   */
  quality?: number
  /**
   * Progressive scans (PNG: Adam7-interlaced, every row unfiltered; GIF: interlaced rows). Applies to jpeg, png, gif.
   * @default false
   */
  progressive?: boolean
  /**
   * Huffman tables fitted to the image, as sharp's default; `false` writes libjpeg's standard tables. Applies to jpeg.
   * @default true
   */
  optimiseCoding?: boolean
  /** Alias of `optimiseCoding`. */
  optimizeCoding?: boolean
  /**
   * Chroma resolution, as sharp (AVIF lossless is always 4:4:4). Applies to jpeg, avif.
   * @default 4:2:0 (jpeg), 4:4:4 (avif)
   */
  chromaSubsampling?: '4:2:0' | '4:4:4'
  /**
   * zlib level. Applies to png.
   * @default 6
   */
  compressionLevel?: number
  /**
   * Each row's filter chosen by PNG's heuristic (smaller photos); `false` leaves rows unfiltered, sharp's default. Applies to png.
   * @default true
   */
  adaptiveFiltering?: boolean
  /**
   * Quantise to at most 256 colours. Applies to png.
   * @default true when `quality` is given
   */
  palette?: boolean
  /**
   * Lossless encoding (AVIF: RGB itself, exact). Applies to webp, avif.
   * @default false
   */
  lossless?: boolean
  /**
   * CPU effort, lowest fastest (GIF: how closely the palette is learnt). Applies to webp, avif, gif.
   * @default 4 (webp), 4 (avif), 7 (gif)
   */
  effort?: number
  /**
   * Palette size. Applies to gif.
   * @default 256
   */
  colours?: number
  /** Alias of `colours`. */
  colors?: number
  /**
   * Floyd-Steinberg error diffusion, 0 none to 1 full. Applies to gif.
   * @default 1
   */
  dither?: number
  /**
   * After the first frame, a pixel within this RGB distance of the one shown before is left showing it, as sharp's (cgif's): smaller, slightly lossy animations. Applies to gif.
   * @default 0
   */
  interFrameMaxError?: number
  /**
   * A frame whose own palette is further than this from the global palette (and from the frame before's) gets a palette of its own, as sharp's (libvips' palette distance): lower, truer colours and larger files. Applies to gif.
   * @default 3
   */
  interPaletteMaxError?: number
  /**
   * Write a frame equal to the one before as its own frame (by default it lengthens that one, as cgif writes it). Applies to gif.
   * @default false
   */
  keepDuplicateFrames?: boolean
  /**
   * Of each strip or tile, as sharp's (JPEG is YCbCr 4:2:0 below quality 90, RGB from 90, and drops alpha; ccittfax4 needs `bitdepth: 1`; webp needs RGB(A)). Applies to tiff.
   * @default 'jpeg'
   */
  compression?: 'none' | 'jpeg' | 'deflate' | 'packbits' | 'ccittfax4' | 'lzw' | 'webp'
  /**
   * Applied under lzw and deflate; `float` writes 32-bit float samples, as sharp casts them. Applies to tiff.
   * @default 'horizontal'
   */
  predictor?: 'none' | 'horizontal' | 'float'
  /**
   * Halved copies follow as pages of their own until one fits a tile (the image is then tiled). Applies to tiff.
   * @default false
   */
  pyramid?: boolean
  /**
   * Tiles instead of strips. Applies to tiff.
   * @default false
   */
  tile?: boolean
  /**
   * Tile width; tiles must be multiples of 16. Applies to tiff.
   * @default 256
   */
  tileWidth?: number
  /**
   * Tile height, and the rows of a strip. Applies to tiff.
   * @default 256
   */
  tileHeight?: number
  /**
   * Horizontal resolution, pixels per millimetre. Applies to tiff.
   * @default 1
   */
  xres?: number
  /**
   * Vertical resolution, pixels per millimetre. Applies to tiff.
   * @default 1
   */
  yres?: number
  /**
   * The unit the resolution is stated in. Applies to tiff.
   * @default 'inch'
   */
  resolutionUnit?: 'inch' | 'cm'
  /**
   * Bits per sample of a single-channel image (others are 8). PNG: also a palette of at most 2^bitdepth colours, and RGB below 8 is written as one, as libvips writes it. Applies to tiff, png.
   * @default 8
   */
  bitdepth?: 1 | 2 | 4 | 8
  /**
   * Single-channel images stored with 0 as white. Applies to tiff.
   * @default false
   */
  miniswhite?: boolean
  /**
   * BigTIFF (64-bit offsets). Applies to tiff.
   * @default false
   */
  bigtiff?: boolean
  /**
   * libwebp's sharper (iterative) RGB to YUV conversion: crisper colour edges, larger files. Applies to webp.
   * @default false
   */
  smartSubsample?: boolean
  /**
   * libwebp's automatic deblocking filter strength. Applies to webp.
   * @default false
   */
  smartDeblock?: boolean
  /**
   * libwebp's starting settings for a kind of picture. Applies to webp.
   * @default 'default'
   */
  preset?: 'default' | 'photo' | 'picture' | 'drawing' | 'icon' | 'text'
  /**
   * Lossless after libwebp's near-lossless preprocessing at `quality`. Applies to webp.
   * @default false
   */
  nearLossless?: boolean
  /**
   * Keep the RGB values of fully transparent pixels. Applies to webp.
   * @default false
   */
  exact?: boolean
  /**
   * Quality of the alpha channel. Applies to webp.
   * @default 100
   */
  alphaQuality?: number
}

/** An output's tile pyramid, sharp's `tile()`. */
export interface TileOptions {
  /**
   * Deep Zoom (`{basename}.dzi` and `{basename}_files/`), Google Maps, IIIF Image API 2 or 3, or Zoomify (each in the folder `{basename}/`).
   * @default 'dz'
   */
  layout?: 'dz' | 'google' | 'iiif' | 'iiif3' | 'zoomify'
  /**
   * The side of a square tile.
   * @default 256
   */
  size?: number
  /**
   * Pixels a tile repeats of its neighbours on each side; at most `size`.
   * @default 0
   */
  overlap?: number
  /**
   * Where the pyramid stops: a level of one pixel, of one tile, or the full size only.
   * @default 'onepixel' for dz, else 'onetile'
   */
  depth?: 'onepixel' | 'onetile' | 'one'
  /**
   * Clockwise turn before the image is cut.
   * @default 0
   */
  angle?: number
  /**
   * Fills Google's edge tiles, `centre`'s border and `blank.png`; what `skipBlanks` compares with.
   * @default '#ffffff'
   */
  background?: Colour
  /**
   * Tiles whose every sample is within this of `background` are not written; -1 writes every tile.
   * @default 5 for google, else -1
   */
  skipBlanks?: number
  /**
   * The image centred in a square of a power-of-two number of tiles.
   * @default false
   */
  centre?: boolean
  /** Alias of `centre`. */
  center?: boolean
  /**
   * The base of IIIF's `id` in `info.json`.
   * @default 'https://example.com/iiif'
   */
  id?: string
  /**
   * The name of the pyramid, its folder or `.dzi`.
   * @default `path`'s file name without `.dz`, `.zip` or `.szi`; 'untitled' without a path
   */
  basename?: string
  /**
   * Files in folders, or one zip archive (entries stored).
   * @default 'zip' for a path ending in .zip or .szi or without a path, else 'fs'
   */
  container?: 'fs' | 'zip'
}

// ---- end of generated types ----

export declare class PixelpoolError extends Error {
  readonly name: 'PixelpoolError'
  readonly code: ErrorCode
  /** The job's id, for errors raised by a job. */
  readonly jobId?: number
  /** The input path, when the job's input was a path. */
  readonly input?: string
  /** Index into `outputs` of the output that failed, when one did. */
  readonly outputIndex?: number
  /** The option at fault, for INVALID_OPTION. */
  readonly option?: string
}

export declare const errorCodes: readonly ErrorCode[]

/** A colour: '#rgb', '#rrggbb', '#rrggbbaa', 'black', 'white', 'transparent', or channels with alpha 0-1. */
export type Colour = string | { r: number; g: number; b: number; alpha?: number }

export interface InputInfo {
  format: InputFormat
  /** As stored, before EXIF orientation. */
  width: number
  height: number
  /** EXIF orientation 1-8. */
  orientation: number
  hasAlpha: boolean
  /** Frames read: an animation's count when the job is `animated`, else 1. */
  pages: number
  /** What the decoder left out, such as an SVG's references to other files (never loaded). */
  warnings: string[]
}

export interface OutputInfo {
  /** Set when the output was written to a file. */
  path?: string
  /** Set when the output had no `path`. */
  data?: Buffer
  format: OutputFormat
  width: number
  height: number
  /** Encoded size in bytes. */
  size: number
  /** Where the area `trim` kept starts in the upright input, for outputs that trim. */
  trimOffset?: { left: number; top: number }
  /** Where an `entropy` or `attention` crop starts in the resized image (sharp's cropOffsetLeft/Top, negated). */
  cropOffset?: { left: number; top: number }
  /** The point such a crop centred on, as sharp's attentionX/Y. */
  attention?: { x: number; y: number }
}

export interface JobResult {
  id: number
  input: InputInfo
  outputs: OutputInfo[]
  ranOn: 'local' | 'remote'
  /** The remote worker's name, when `ranOn` is 'remote'. */
  worker?: string
  cached: boolean
  /** Time spent on the job in its thread, in milliseconds. */
  ms: number
  /** Milliseconds per stage; only with the queue's `profile` option. */
  profile?: { read: number; decode: number; resize: number; encode: number; write: number }
}

export interface QueueStats {
  queued: number
  running: number
  completed: number
  failed: number
  cancelled: number
  /** Jobs out with remote workers now. */
  remote: number
  /** Jobs sent to remote workers since the queue was created (brought back ones included). */
  forwarded: number
  cacheHits: number
  /** Jobs decoded in this process (completed here, not served from the cache). */
  decoded: number
}

export declare class Queue {
  constructor(options?: QueueOptions)
  /** Runs one job. Rejects with a PixelpoolError; invalid options reject before any work. */
  process(job: Job): Promise<JobResult>
  stats(): QueueStats
  /**
   * Resolves once the remote connection is up (at once without `remote`); rejects with
   * REMOTE_UNAVAILABLE when Redis cannot be reached or refuses the credentials. The queue
   * works locally either way.
   */
  waitUntilReady(): Promise<void>
  /** Resolves once nothing is queued, running or out with remote workers. */
  drain(): Promise<void>
  /**
   * Refuses new jobs (CLOSED), lets accepted ones finish (remote ones included), then frees
   * the threads and deletes the queue's reply stream on Redis.
   */
  close(): Promise<void>
}

/** Creates a queue; throws INVALID_OPTION synchronously on bad options. */
export declare function createQueue(options?: QueueOptions): Queue

/** A Gatsby `JOB_CREATED` payload (the message's `payload`). */
export interface GatsbyJobPayload {
  id?: string
  name: string
  inputPaths: { path: string; contentDigest?: string }[]
  outputDir: string
  args: {
    operations: { outputPath: string; args: Record<string, unknown> }[]
    pluginOptions?: Record<string, unknown>
    isLazy?: boolean
  }
}

/**
 * Maps a gatsby-plugin-sharp IMAGE_PROCESSING payload to a job, with that plugin's
 * defaults. Throws for jobs pixelpool leaves to Gatsby (other names, several inputs) and
 * for operations it cannot do (e.g. `toFormat: 'tiff'`).
 */
export declare function gatsbyJobToJob(payload: GatsbyJobPayload): Job & { failOn: NonNullable<Job['failOn']> }

/** Settings of `joinInputs`, as sharp's `join` (libvips' arrayjoin). */
export interface JoinOptions {
  /** Images to a row (default 1). */
  across?: number
  /** Pixels between cells (default 0). */
  shim?: number
  /** What fills the cells around smaller images (default opaque black). */
  background?: { r: number; g: number; b: number; a: number }
  halign?: 'low' | 'centre' | 'high'
  valign?: 'low' | 'centre' | 'high'
  /** The images become the frames of an animation. */
  animated?: boolean
  /** Each image's own pixel limit. */
  limitInputPixels?: number
}

/**
 * Several images (paths or Buffers) as one job input: a grid, or an animation's frames.
 * Pass the Buffer it resolves to as a job's `input`.
 */
export declare function joinInputs(images: Array<string | Buffer>, options?: JoinOptions): Promise<Buffer>

/** Settings of `textInput`, as sharp's `text` input (libvips' vips_text). */
export interface TextOptions {
  /** The text, in Pango markup. */
  text: string
  /** A Pango font description: family, style words, size in points (default `sans 12`). */
  font?: string
  /** A font file whose faces are added to the system's. */
  fontfile?: string
  /** Pixels to wrap lines at. */
  width?: number
  /** With `width` and without `dpi`: the box autofit fills. */
  height?: number
  align?: 'left' | 'centre' | 'right'
  justify?: boolean
  /** Resolution to draw at (default 72). */
  dpi?: number
  /** RGBA (markup colours) instead of one band of ink coverage. */
  rgba?: boolean
  /** Extra pixels between lines. */
  spacing?: number
  wrap?: 'word' | 'char' | 'word-char' | 'none'
  /** The drawing's pixel limit (default sharp's). */
  limitInputPixels?: number
}

/** Drawn text: `input` to pass as a job's `input`. */
export interface DrawnText {
  input: Buffer
  width: number
  height: number
  /** The resolution drawn at, which PNG output states. */
  dpi: number
  /** libvips' `autofit_dpi`: autofit's choice, else 72. */
  autofitDpi: number
  /** What was left out (a font file that could not be read). */
  warnings: string[]
}

/** Text drawn off the JS thread as a job input. */
export declare function textInput(options: TextOptions): Promise<DrawnText>
