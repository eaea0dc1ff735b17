/// <reference types="node" />

/** Stable codes carried by every error pixelpool rejects or throws with. */
export type ErrorCode =
  | 'INVALID_OPTION'
  | 'UNSUPPORTED_FORMAT'
  | 'CORRUPT_INPUT'
  | 'INPUT_TOO_LARGE'
  | 'QUEUE_FULL'
  | 'ABORTED'
  | 'CLOSED'
  | 'REMOTE_UNAVAILABLE'
  | 'IO_ERROR'
  | 'INTERNAL'
  /** pixelpool-sharp: a sharp method or option pixelpool cannot do (never silently ignored). */
  | 'UNSUPPORTED_OPERATION'

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
   * Inputs with more pixels than this reject with INPUT_TOO_LARGE, judged from the header
   * before any pixel is decoded. `false` or `0` removes the limit.
   * @default 268402689 (0x3FFF * 0x3FFF, as sharp)
   */
  limitInputPixels?: number | boolean
  /**
   * Folder of a content-addressed result cache, shared safely between processes. A job
   * whose input bytes, outputs and engine version match a cached one copies the cached
   * outputs instead of processing (`result.cached` is true). Entries are verified by hash
   * and recomputed if damaged.
   * @default undefined (no cache)
   */
  cacheDir?: string
  /**
   * Size cap of the cache; least recently used entries are evicted beyond it (it may
   * overshoot by a tenth between eviction passes).
   * @default 1073741824 (1 GiB)
   */
  cacheMaxBytes?: number
  /**
   * Add `profile` (milliseconds per stage) to every result.
   * @default process.env.PIXELPOOL_PROFILE === '1'
   */
  profile?: boolean
  /**
   * Send the overflow to `pixelpool worker` processes through Redis Streams. The queue
   * connects in the background and runs everything locally until connected, or for good
   * if Redis cannot be reached (see `waitUntilReady`).
   * @default undefined (everything runs locally)
   */
  remote?: RemoteOptions
}

export interface RemoteOptions {
  /** `redis://[user:password@]host[:port][/db]`, or `rediss://` for TLS. */
  url: string
  /**
   * The queue's name on Redis (keys `pixelpool:<name>:*`); workers serve one name.
   * @default 'default'
   */
  name?: string
  /**
   * Jobs are forwarded only while more than this many wait locally, and only while some
   * worker's heartbeat is fresh.
   * @default concurrency
   */
  overflowAt?: number
  /**
   * A forwarded job without a result after this long runs locally instead (a late result
   * is ignored).
   * @default 60000
   */
  timeoutMs?: number
  /**
   * Inputs larger than this always run locally.
   * @default 33554432 (32 MiB)
   */
  maxInputBytes?: number
  /**
   * No more jobs are forwarded while the inputs out add up to this much (they wait in
   * Redis as blobs, deleted once their job settles); the window passes it by one input at
   * most. Set Redis' `maxmemory` to at least twice it per producer.
   * @default 268435456 (256 MiB)
   */
  maxInFlightBytes?: number
}

/** A colour: '#rgb', '#rrggbb', '#rrggbbaa', 'black', 'white', 'transparent', or channels with alpha 0-1. */
export type Colour = string | { r: number; g: number; b: number; alpha?: number }

export type Fit = 'cover' | 'contain' | 'fill' | 'inside' | 'outside'

export type Position =
  | 'centre' | 'center' | 'north' | 'northeast' | 'east' | 'southeast' | 'south' | 'southwest' | 'west' | 'northwest'
  | 'top' | 'right top' | 'right' | 'right bottom' | 'bottom' | 'left bottom' | 'left' | 'left top'
  | 'entropy' | 'attention'
  | 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 16 | 17

export interface OutputOptions {
  /**
   * File to write, atomically (temporary file, then rename); parent folders are created.
   * Without it the encoded bytes come back as `data`.
   */
  path?: string
  /**
   * Output format; `jpg` is accepted for `jpeg`.
   * @default inferred from the extension of `path`
   */
  format?: 'jpeg' | 'jpg' | 'png' | 'webp' | 'avif' | 'raw'
  /** Output width in pixels; alone, the height follows the aspect ratio. */
  width?: number
  /** Output height in pixels; alone, the width follows the aspect ratio. */
  height?: number
  /**
   * How the image fits `width` x `height`, as in sharp.
   * @default 'cover'
   */
  fit?: Fit
  /**
   * What `cover` keeps and where `contain` places the image. The strategies `entropy`
   * (most detail) and `attention` (edges, saturated colour, skin tones) choose the `cover`
   * crop from the pixels, as in sharp.
   * @default 'centre'
   */
  position?: Position
  /**
   * Fills `contain` borders, and replaces transparency in JPEG output.
   * @default { r: 0, g: 0, b: 0, alpha: 1 }
   */
  background?: Colour
  /**
   * Never enlarge: an input smaller than the box keeps its size.
   * @default false
   */
  withoutEnlargement?: boolean
  /**
   * Clockwise rotation in degrees, a multiple of 90, after EXIF orientation (always applied).
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
   * Convert to greyscale (single-channel JPEG and PNG).
   * @default false
   */
  grayscale?: boolean
  /** Alias of `grayscale`. */
  greyscale?: boolean
  /**
   * Keep EXIF (orientation reset to 1) and the ICC profile; otherwise both are stripped.
   * @default false
   */
  keepMetadata?: boolean
  /**
   * Quality 1-100. JPEG and WebP default to 80, AVIF to 50; on PNG it means a palette PNG
   * (as `palette: true`), as in sharp.
   */
  quality?: number
  /**
   * JPEG: progressive scans.
   * @default false
   */
  progressive?: boolean
  /**
   * JPEG: chroma subsampling.
   * @default '4:2:0'
   */
  chromaSubsampling?: '4:2:0' | '4:4:4'
  /**
   * PNG: zlib level 0-9.
   * @default 6
   */
  compressionLevel?: number
  /**
   * PNG: quantise to at most 256 colours (NeuQuant), for much smaller files.
   * @default false
   */
  palette?: boolean
  /**
   * WebP and AVIF: lossless encoding (AVIF: quality 100 with full-resolution colour).
   * @default false
   */
  lossless?: boolean
  /**
   * CPU effort: WebP 0 (fastest) to 6 (smallest); AVIF 0 to 9.
   * @default 4
   */
  effort?: number
  /**
   * WebP: quality of the alpha channel, 0-100.
   * @default 100
   */
  alphaQuality?: number
  /**
   * Cut away edges that differ from the top-left pixel by no more than a threshold
   * (0-255; `true` is 10), before resizing, as sharp's `trim`.
   */
  trim?: boolean | number | { threshold?: number }
  /**
   * gatsby-plugin-sharp's duotone: luminance mapped from `shadow` to `highlight`, mixed
   * with the image by `opacity` percent (default: the duotone alone).
   */
  duotone?: { highlight: string; shadow: string; opacity?: number }
  /**
   * sharp's further operations (blur, sharpen, extend, extract, modulate, tint, ...) in the
   * engine's shape, `Operations` in crates/engine/src/operations.rs; pixelpool-sharp builds
   * it from sharp's methods. A wrong field rejects the job with INVALID_OPTION.
   */
  operations?: Record<string, unknown>
}

export interface Job {
  /** A file path, or the encoded image itself. */
  input: string | Buffer | Uint8Array
  /** One or more outputs, all made from a single decode of the input. */
  outputs: OutputOptions[]
  /**
   * Higher runs first; equal priorities run in submission order.
   * @default 0
   */
  priority?: number
  /**
   * A queued job is removed and a running one abandoned (its outputs are not written);
   * either way the promise rejects with ABORTED.
   */
  signal?: AbortSignal
  /**
   * How strict decoding is, as sharp: 'none' accepts truncated images, 'warning' rejects
   * any decoder warning.
   * @default 'warning'
   */
  failOn?: 'none' | 'truncated' | 'error' | 'warning'
  /**
   * This job's pixel limit, instead of the queue's `limitInputPixels`.
   * @default the queue's
   */
  limitInputPixels?: number
}

export interface InputInfo {
  format: 'jpeg' | 'png' | 'webp' | 'gif' | 'avif' | 'tiff' | 'raw'
  /** As stored, before EXIF orientation. */
  width: number
  height: number
  /** EXIF orientation 1-8. */
  orientation: number
  hasAlpha: boolean
}

export interface OutputInfo {
  /** Set when the output was written to a file. */
  path?: string
  /** Set when the output had no `path`. */
  data?: Buffer
  format: 'jpeg' | 'png' | 'webp' | 'avif'
  width: number
  height: number
  /** Encoded size in bytes. */
  size: number
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
