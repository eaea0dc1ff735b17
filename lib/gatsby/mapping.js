'use strict'

const path = require('node:path')
const { formatNames } = require('../schema')

/**
 * A job pixelpool leaves to Gatsby: answered with JOB_NOT_WHITELISTED, and Gatsby runs it
 * itself.
 */
class NotServed extends Error {}

/**
 * Turns a Gatsby `JOB_CREATED` payload into a pixelpool job, with gatsby-plugin-sharp's
 * defaults (docs/design.md §5). Throws NotServed for jobs that are not IMAGE_PROCESSING of one
 * input, and a plain Error (the job then fails) for operations pixelpool cannot do.
 *
 * Departures from gatsby-plugin-sharp, which runs sharp: EXIF orientation is applied even
 * with a `rotate` (sharp's explicit rotate skips it); `useMozJpeg` is ignored (JPEGs are
 * always libjpeg-turbo with optimised Huffman tables); palette PNGs are quantised with
 * NeuQuant, not libimagequant (GPL).
 */
function gatsbyJobToJob(payload) {
  const { name, inputPaths, outputDir, args } = payload ?? {}
  if (name !== 'IMAGE_PROCESSING') throw new NotServed(`${name} jobs are left to Gatsby`)
  if (!Array.isArray(inputPaths) || inputPaths.length !== 1) {
    throw new NotServed(`IMAGE_PROCESSING with ${inputPaths?.length ?? 0} inputs is left to Gatsby`)
  }
  const input = inputPaths[0].path
  const pluginOptions = args?.pluginOptions ?? {}
  const operations = args?.operations ?? []
  const outputs = operations.map((operation) =>
    operationToOutput(operation.args ?? {}, pluginOptions, path.join(outputDir, operation.outputPath), input),
  )
  return { input, outputs, failOn: pluginOptions.failOn ?? 'warning' }
}

function integer(value) {
  return value === undefined || value === null ? undefined : Math.round(Number(value))
}

function operationToOutput(args, pluginOptions, outputPath, input) {
  // Without toFormat, sharp's toFile picks the format from the output's extension.
  const toFormat = String(args.toFormat || path.extname(outputPath).slice(1) || path.extname(input).slice(1)).toLowerCase()
  const format = formatNames[toFormat]
  if (!format) {
    throw new Error(`toFormat '${toFormat}' is not supported by pixelpool (${Object.keys(formatNames).join(', ')})`)
  }
  const quality = integer(args.quality ?? pluginOptions.defaultQuality ?? 50)
  let width = integer(args.width)
  const height = integer(args.height)
  if (width === undefined && height === undefined) width = 400
  const output = {
    path: outputPath,
    format,
    width,
    height,
    fit: args.fit ?? 'cover',
    position: args.cropFocus ?? 'centre',
    grayscale: Boolean(args.grayscale),
    keepMetadata: pluginOptions.stripMetadata === false,
  }
  if (args.background) output.background = args.background
  if (args.rotate) output.rotate = integer(args.rotate)
  if (args.trim) output.trim = integer(args.trim)
  if (args.duotone) output.duotone = args.duotone
  switch (format) {
    case 'jpeg':
      output.quality = integer(args.jpegQuality) || quality
      output.progressive = args.jpegProgressive ?? true
      break
    case 'png':
      // sharp turns a PNG quality into a palette PNG; gatsby-plugin-sharp always gives one.
      output.palette = true
      output.quality = integer(args.pngQuality) || quality
      output.compressionLevel = integer(args.pngCompressionLevel ?? 9)
      break
    case 'webp':
      output.quality = integer(args.webpQuality) || quality
      break
    default:
      output.quality = quality
  }
  return output
}

module.exports = { gatsbyJobToJob, NotServed }
