// Compiled with `tsc --noEmit` by `npm test`: the public types must accept real usage and
// reject misuse (each @ts-expect-error fails the build if the line were accepted).
import { createQueue, gatsbyJobToJob, PixelpoolError, errorCodes, type Job, type JobResult, type QueueStats } from 'pixelpool'

async function main(): Promise<void> {
  const queue = createQueue({ concurrency: 2, maxQueue: 100, limitInputPixels: false })
  const result: JobResult = await queue.process({
    input: Buffer.alloc(0),
    outputs: [
      { path: 'a.webp', width: 800, quality: 80, effort: 4 },
      { width: 400, height: 300, fit: 'cover', position: 'right top', format: 'jpg', background: '#fff' },
      { format: 'png', compressionLevel: 9, background: { r: 1, g: 2, b: 3, alpha: 0.5 } },
      { format: 'avif', effort: 9, lossless: true, trim: { threshold: 20 } },
      { format: 'png', palette: true, trim: true, duotone: { highlight: '#fff', shadow: '#000', opacity: 50 } },
    ],
    priority: 5,
    signal: AbortSignal.timeout(10),
    failOn: 'none',
  })
  const width: number = result.outputs[0].width
  const data: Buffer | undefined = result.outputs[0].data
  const where: 'local' | 'remote' = result.ranOn
  const stats: QueueStats = queue.stats()
  const out: number = stats.remote + stats.forwarded
  const overflowing = createQueue({ remote: { url: 'redis://127.0.0.1:6379', name: 'site', overflowAt: 4, timeoutMs: 1000 } })
  await overflowing.waitUntilReady()
  // @ts-expect-error remote needs a url
  createQueue({ remote: { name: 'site' } })
  await queue.drain()
  await queue.close()
  try {
    await queue.process({ input: new Uint8Array(4), outputs: [{ format: 'webp' }] })
  } catch (error) {
    if (error instanceof PixelpoolError && error.code === 'QUEUE_FULL') console.log(error.jobId, errorCodes.length)
  }
  // @ts-expect-error fit must be one of sharp's modes
  await queue.process({ input: 'a.jpg', outputs: [{ fit: 'squash' }] })
  // @ts-expect-error outputs are required
  await queue.process({ input: 'a.jpg' })
  // @ts-expect-error input is a path or bytes
  await queue.process({ input: 42, outputs: [] })
  // @ts-expect-error no such option
  createQueue({ threads: 2 })
  const fromGatsby: Job = gatsbyJobToJob({ name: 'IMAGE_PROCESSING', inputPaths: [{ path: 'a.jpg' }], outputDir: 'public', args: { operations: [{ outputPath: 'b.webp', args: { width: 10 } }] } })
  // @ts-expect-error duotone needs both colours
  await queue.process({ input: 'a.jpg', outputs: [{ duotone: { highlight: '#fff' } }] })
  await queue.process({ input: 'a.jpg', outputs: [{ format: 'tiff', compression: 'lzw', tile: true }] })
  // @ts-expect-error jxl is not an output format
  await queue.process({ input: 'a.jpg', outputs: [{ format: 'jxl' }] })
  console.log(width, data, where, stats, fromGatsby)
}

void main()
