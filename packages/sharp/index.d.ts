/// <reference types="node" />
// The types build tools import from 'sharp' (astro: ResizeOptions, SharpOptions; ipx: Color,
// KernelEnum, Sharp, SharpOptions; imagetools: Metadata, Sharp; ...), for pixelpool-sharp.
import { Duplex } from 'node:stream'

declare function sharp(options?: sharp.SharpOptions): sharp.Sharp
declare function sharp(input?: sharp.SharpInput | Array<sharp.SharpInput | sharp.SharpOptions>, options?: sharp.SharpOptions): sharp.Sharp

declare namespace sharp {
  type SharpInput = Buffer | ArrayBuffer | Uint8Array | Uint8ClampedArray | string
  type Color = string | RGBA
  type Colour = Color
  interface RGBA { r?: number; g?: number; b?: number; alpha?: number }

  interface KernelEnum { nearest: 'nearest'; linear: 'linear'; cubic: 'cubic'; mitchell: 'mitchell'; lanczos2: 'lanczos2'; lanczos3: 'lanczos3'; mks2013: 'mks2013'; mks2021: 'mks2021' }
  interface FitEnum { contain: 'contain'; cover: 'cover'; fill: 'fill'; inside: 'inside'; outside: 'outside' }
  interface GravityEnum { north: number; northeast: number; east: number; southeast: number; south: number; southwest: number; west: number; northwest: number; center: number; centre: number }
  interface StrategyEnum { entropy: number; attention: number }
  interface FormatEnum {
    avif: AvailableFormatInfo; gif: AvailableFormatInfo; heif: AvailableFormatInfo; jpeg: AvailableFormatInfo; jpg: AvailableFormatInfo
    png: AvailableFormatInfo; raw: AvailableFormatInfo; tiff: AvailableFormatInfo; tif: AvailableFormatInfo; webp: AvailableFormatInfo
    svg: AvailableFormatInfo; jxl: AvailableFormatInfo; jp2: AvailableFormatInfo; dz: AvailableFormatInfo
  }
  interface AvailableFormatInfo {
    id: string
    input: { file: boolean; buffer: boolean; stream: boolean }
    output: { file: boolean; buffer: boolean; stream: boolean }
  }
  type FailOnOptions = 'none' | 'truncated' | 'error' | 'warning'

  interface SharpOptions {
    autoOrient?: boolean
    failOn?: FailOnOptions
    /** @deprecated use failOn */
    failOnError?: boolean
    limitInputPixels?: number | boolean
    unlimited?: boolean
    sequentialRead?: boolean
    density?: number
    ignoreIcc?: boolean
    /** Only a still image: `true` throws UNSUPPORTED_OPERATION. */
    pages?: number
    page?: number
    animated?: boolean
    raw?: CreateRaw
    create?: Create
    join?: Join
  }
  interface Join { across?: number; animated?: boolean; shim?: number; background?: Color; halign?: 'left' | 'centre' | 'center' | 'right' | 'low' | 'high'; valign?: 'top' | 'centre' | 'center' | 'bottom' | 'low' | 'high' }
  interface CreateRaw { width: number; height: number; channels: 1 | 2 | 3 | 4; premultiplied?: boolean }
  interface Create { width: number; height: number; channels: 3 | 4; background: Color }

  interface ResizeOptions {
    width?: number | null
    height?: number | null
    fit?: keyof FitEnum
    position?: number | string
    background?: Color
    kernel?: keyof KernelEnum
    withoutEnlargement?: boolean
    withoutReduction?: boolean
    fastShrinkOnLoad?: boolean
  }
  interface Region { left: number; top: number; width: number; height: number }
  interface ExtendOptions { top?: number; left?: number; bottom?: number; right?: number; background?: Color; extendWith?: 'background' | 'copy' | 'repeat' | 'mirror' }
  interface TrimOptions { threshold?: number }
  interface RotateOptions { background?: Color }
  interface FlattenOptions { background?: Color }
  interface NegateOptions { alpha?: boolean }
  interface NormaliseOptions { lower?: number; upper?: number }
  interface AffineOptions { background?: Color; idx?: number; idy?: number; odx?: number; ody?: number; interpolator?: string }
  interface ClaheOptions { width: number; height: number; maxSlope?: number }
  interface BlurOptions { sigma: number; precision?: 'integer' | 'float'; minAmplitude?: number }
  interface SharpenOptions { sigma: number; m1?: number; m2?: number; x1?: number; y2?: number; y3?: number }
  interface ModulateOptions { brightness?: number; saturation?: number; hue?: number; lightness?: number }

  interface OutputOptions { force?: boolean }
  interface JpegOptions extends OutputOptions { quality?: number; progressive?: boolean; chromaSubsampling?: string; mozjpeg?: boolean; trellisQuantisation?: boolean; overshootDeringing?: boolean; optimiseScans?: boolean; optimizeScans?: boolean; optimiseCoding?: boolean; optimizeCoding?: boolean; quantisationTable?: number; quantizationTable?: number }
  interface PngOptions extends OutputOptions { progressive?: boolean; compressionLevel?: number; adaptiveFiltering?: boolean; palette?: boolean; quality?: number; effort?: number; colours?: number; colors?: number; dither?: number }
  interface WebpOptions extends OutputOptions { quality?: number; alphaQuality?: number; lossless?: boolean; nearLossless?: boolean; smartSubsample?: boolean; smartDeblock?: boolean; preset?: string; effort?: number; minSize?: boolean; mixed?: boolean }
  interface AvifOptions extends OutputOptions { quality?: number; lossless?: boolean; effort?: number; chromaSubsampling?: string; bitdepth?: 8 }
  interface HeifOptions extends AvifOptions { compression?: 'av1' | 'hevc' }
  interface GifOptions extends OutputOptions { [key: string]: unknown }
  interface TiffOptions extends OutputOptions {
    quality?: number
    compression?: 'none' | 'jpeg' | 'deflate' | 'packbits' | 'ccittfax4' | 'lzw' | 'webp' | 'zstd' | 'jp2k'
    predictor?: 'none' | 'horizontal' | 'float'
    pyramid?: boolean
    tile?: boolean
    tileWidth?: number
    tileHeight?: number
    xres?: number
    yres?: number
    resolutionUnit?: 'inch' | 'cm'
    bitdepth?: 1 | 2 | 4
    miniswhite?: boolean
    bigtiff?: boolean
  }
  interface RawOptions { depth?: 'uchar' }
  interface TileOptions {
    size?: number; overlap?: number; angle?: number; background?: Color; depth?: 'onepixel' | 'onetile' | 'one'
    skipBlanks?: number; container?: 'fs' | 'zip'; layout?: 'dz' | 'iiif' | 'iiif3' | 'zoomify' | 'google'
    centre?: boolean; center?: boolean; id?: string; basename?: string
  }
  interface WriteableMetadata { orientation?: number; density?: number; icc?: string }
  interface TimeoutOptions { seconds: number }

  interface OutputInfo {
    format: string
    size: number
    width: number
    height: number
    channels: 1 | 2 | 3 | 4
    premultiplied: boolean
    trimOffsetLeft?: number
    trimOffsetTop?: number
  }
  interface Metadata {
    format: keyof FormatEnum
    size?: number
    width: number
    height: number
    space: string
    channels: 1 | 2 | 3 | 4
    depth: string
    density?: number
    chromaSubsampling?: string
    isProgressive: boolean
    pages?: number
    pageHeight?: number
    hasProfile: boolean
    hasAlpha: boolean
    orientation?: number
    autoOrient: { width: number; height: number }
    exif?: Buffer
    icc?: Buffer
  }
  interface ChannelStats { min: number; max: number; sum: number; squaresSum: number; mean: number; stdev: number; minX: number; minY: number; maxX: number; maxY: number }
  interface Stats { channels: ChannelStats[]; isOpaque: boolean; entropy: number; sharpness: number; dominant: { r: number; g: number; b: number } }

  type Blend = 'clear' | 'source' | 'over' | 'in' | 'out' | 'atop' | 'dest' | 'dest-over' | 'dest-in' | 'dest-out'
    | 'dest-atop' | 'xor' | 'add' | 'saturate' | 'multiply' | 'screen' | 'overlay' | 'darken' | 'lighten' | 'colour-dodge'
    | 'color-dodge' | 'colour-burn' | 'color-burn' | 'hard-light' | 'soft-light' | 'difference' | 'exclusion'
  interface OverlayOptions extends SharpOptions {
    input?: SharpInput | { create: Create }
    blend?: Blend
    gravity?: number | string
    top?: number
    left?: number
    tile?: boolean
    premultiplied?: boolean
  }

  interface Sharp extends Duplex {
    /** sharp's recorded pipeline; width and height are -1 when unset. */
    options: { width: number; height: number; input: { file?: string; buffer?: Buffer }; formatOut: string; [key: string]: any }
    clone(): Sharp
    metadata(): Promise<Metadata>
    metadata(callback: (err: Error | null, metadata: Metadata) => void): Sharp
    stats(): Promise<Stats>
    stats(callback: (err: Error | null, stats: Stats) => void): Sharp
    rotate(angle?: number, options?: RotateOptions): Sharp
    autoOrient(): Sharp
    flip(flip?: boolean): Sharp
    flop(flop?: boolean): Sharp
    resize(widthOrOptions?: number | ResizeOptions | null, height?: number | null, options?: ResizeOptions): Sharp
    extract(region: Region): Sharp
    extend(extend: number | ExtendOptions): Sharp
    trim(options?: TrimOptions): Sharp
    flatten(flatten?: boolean | FlattenOptions): Sharp
    greyscale(greyscale?: boolean): Sharp
    grayscale(grayscale?: boolean): Sharp
    blur(sigma?: number | boolean | BlurOptions): Sharp
    sharpen(options?: SharpenOptions): Sharp
    sharpen(sigma?: number, flat?: number, jagged?: number): Sharp
    median(size?: number): Sharp
    normalise(normalise?: boolean | NormaliseOptions): Sharp
    normalize(normalize?: boolean | NormaliseOptions): Sharp
    clahe(options: ClaheOptions): Sharp
    affine(matrix: [number, number, number, number] | [[number, number], [number, number]], options?: AffineOptions): Sharp
    negate(negate?: boolean | NegateOptions): Sharp
    modulate(options?: ModulateOptions): Sharp
    tint(tint: Color): Sharp
    composite(images: OverlayOptions[]): Sharp
    threshold(threshold?: number | boolean, options?: { greyscale?: boolean; grayscale?: boolean }): Sharp
    linear(a?: number | number[] | null, b?: number | number[]): Sharp
    recomb(inputMatrix: number[][]): Sharp
    unflatten(): Sharp
    convolve(kernel: { width: number; height: number; kernel: number[]; scale?: number; offset?: number }): Sharp
    dilate(width?: number): Sharp
    erode(width?: number): Sharp
    bandbool(boolOp: 'and' | 'or' | 'eor'): Sharp
    boolean(operand: SharpInput, operator: 'and' | 'or' | 'eor', options?: SharpOptions): Sharp
    joinChannel(images: SharpInput | SharpInput[], options?: SharpOptions): Sharp
    extractChannel(channel: 0 | 1 | 2 | 3 | 'red' | 'green' | 'blue' | 'alpha'): Sharp
    gamma(gamma?: number, gammaOut?: number): Sharp
    toFormat(format: keyof FormatEnum | AvailableFormatInfo, options?: OutputOptions | JpegOptions | PngOptions | WebpOptions | AvifOptions | HeifOptions | GifOptions | TiffOptions): Sharp
    jpeg(options?: JpegOptions): Sharp
    png(options?: PngOptions): Sharp
    webp(options?: WebpOptions): Sharp
    avif(options?: AvifOptions): Sharp
    heif(options?: HeifOptions): Sharp
    /** Only with `force: false` (kept, not switched to); otherwise UNSUPPORTED_OPERATION. */
    gif(options?: GifOptions): Sharp
    /** Only with `force: false` (kept, not switched to); otherwise UNSUPPORTED_OPERATION. */
    tiff(options?: TiffOptions): Sharp
    tile(options?: TileOptions): Sharp
    raw(options?: RawOptions): Sharp
    withMetadata(options?: WriteableMetadata): Sharp
    keepMetadata(): Sharp
    keepExif(): Sharp
    keepIccProfile(): Sharp
    withIccProfile(icc: 'srgb'): Sharp
    toColourspace(colourspace?: string): Sharp
    toColorspace(colorspace?: string): Sharp
    timeout(options: TimeoutOptions): Sharp
    toBuffer(options?: { resolveWithObject: false }): Promise<Buffer>
    toBuffer(options: { resolveWithObject: true }): Promise<{ data: Buffer; info: OutputInfo }>
    toBuffer(callback: (err: Error | null, buffer: Buffer, info: OutputInfo) => void): Sharp
    toUint8Array(): Promise<{ data: Uint8Array; info: OutputInfo }>
    toFile(fileOut: string): Promise<OutputInfo>
    toFile(fileOut: string, callback: (err: Error | null, info: OutputInfo) => void): Sharp
  }

  function cache(options?: boolean | { memory?: number; files?: number; items?: number }): object
  function concurrency(concurrency?: number): number
  function counters(): { queue: number; process: number }
  function simd(enable?: boolean): boolean
  function block(options: { operation: string[] }): void
  function unblock(options: { operation: string[] }): void
  /** The shared pixelpool queue's counters (null before first use); `decoded` counts decodes. */
  function pixelpoolStats(): import('pixelpool').QueueStats | null
  const versions: { sharp: string; pixelpool: string }
  const format: FormatEnum
  const fit: FitEnum
  const gravity: GravityEnum
  const blend: { [name in Blend]: string }
  const bool: { and: 'and'; or: 'or'; eor: 'eor' }
  const colourspace: { multiband: string; 'b-w': string; bw: string; cmyk: string; srgb: string }
  const colorspace: typeof colourspace
  const strategy: StrategyEnum
  const kernel: KernelEnum
}

export = sharp
