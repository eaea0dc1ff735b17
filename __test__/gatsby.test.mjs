import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { gatsbyJobToJob } from '../index.js'
import { root, photo, scratch, assertImage } from './helpers.mjs'

const cli = path.join(root, 'bin', 'pixelpool.js')
const fakeGatsby = path.join(root, '__test__', 'fake-gatsby', 'cli.cjs')

// gatsby-plugin-sharp's pluginOptions as Gatsby 5.16 sends them (docs/design.md §5).
const pluginOptions = { defaultQuality: 50, stripMetadata: true, failOn: 'warning', useMozJpeg: false, base64Width: 20 }

/** A Gatsby site folder whose node_modules/gatsby is the fake Gatsby. */
function fakeSite(t, packageJson = {}) {
  const site = scratch(t)
  writeFileSync(path.join(site, 'package.json'), JSON.stringify({ name: 'site', private: true, ...packageJson }))
  const gatsbyDir = path.join(site, 'node_modules', 'gatsby')
  mkdirSync(gatsbyDir, { recursive: true })
  writeFileSync(path.join(gatsbyDir, 'package.json'), JSON.stringify({ name: 'gatsby', version: '5.16.0', bin: { gatsby: 'cli.js' } }))
  writeFileSync(path.join(gatsbyDir, 'cli.js'), `require(${JSON.stringify(fakeGatsby)})\n`)
  return site
}

let nextId = 0
/** A JOB_CREATED message as gatsby-plugin-sharp creates it. */
function imageJob(site, input, operations, options = pluginOptions) {
  const id = `job-${++nextId}`
  return {
    type: 'JOB_CREATED',
    payload: {
      id,
      name: 'IMAGE_PROCESSING',
      contentDigest: `digest-${id}`,
      inputPaths: [{ path: input, contentDigest: `input-${id}` }],
      outputDir: path.join(site, 'public', 'static'),
      args: { operations, pluginOptions: options },
      plugin: { name: 'gatsby-plugin-sharp', version: '5.16.0', resolve: '/site/node_modules/gatsby-plugin-sharp', isLocal: false },
    },
  }
}

const logAction = (text) => ({ type: 'LOG_ACTION', action: { type: 'LOG', payload: { level: 'INFO', text } } })

/** Runs `pixelpool gatsby ...args` in `site` with a scenario; resolves to { status, stdout, stderr, report }. */
function pixelpoolGatsby(site, scenario, { args = [], env = {}, onStart } = {}) {
  const scenarioFile = path.join(site, 'scenario.json')
  writeFileSync(scenarioFile, JSON.stringify(scenario))
  const child = spawn(process.execPath, [cli, 'gatsby', ...args], {
    cwd: site,
    env: { ...process.env, FAKE_GATSBY_SCENARIO: scenarioFile, ...env },
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk) => (stdout += chunk))
  child.stderr.on('data', (chunk) => (stderr += chunk))
  onStart?.(child)
  const timer = setTimeout(() => child.kill('SIGKILL'), 90_000)
  return new Promise((resolve) => {
    child.on('close', (status) => {
      clearTimeout(timer)
      const reportFile = path.join(site, 'fake-gatsby-report.json')
      const report = existsSync(reportFile) ? JSON.parse(readFileSync(reportFile, 'utf8')) : undefined
      resolve({ status, stdout, stderr, report })
    })
  })
}

function repliesById(report) {
  const byId = new Map()
  for (const reply of report.replies) {
    const id = reply.payload.id
    assert.ok(!byId.has(id), `job ${id} answered twice: ${JSON.stringify(reply)}`)
    byId.set(id, reply)
  }
  return byId
}

test('pixelpool gatsby serves every IMAGE_PROCESSING operation and leaves other jobs to Gatsby', async (t) => {
  const site = fakeSite(t, { pixelpool: { concurrency: 2 } })
  const out = (file) => path.join(site, 'public', 'static', file)
  const landscape = photo('budgie-roman-colosseum.jpg')
  const realJob = imageJob(site, landscape, [{ outputPath: 'd924c/b.jpg', args: { height: 225, width: 300, cropFocus: 17, toFormat: 'jpg', fit: 'cover' } }])
  const manyOps = imageJob(site, photo('kodak-kodim23.png'), [
    { outputPath: 'a/default.jpg', args: {} },
    { outputPath: 'a/w200.webp', args: { width: 200, toFormat: 'webp', webpQuality: 70 } },
    { outputPath: 'a/palette.png', args: { width: 120, toFormat: 'png', pngCompressionLevel: 6 } },
    { outputPath: 'a/h100.avif', args: { height: 100, toFormat: 'avif', quality: 40 } },
    { outputPath: 'a/contain.png', args: { width: 100, height: 100, fit: 'contain', background: 'rgba(255,0,0,1)', toFormat: 'png' } },
    { outputPath: 'a/grey.jpg', args: { width: 150, grayscale: true, toFormat: 'jpg', jpegQuality: 90, jpegProgressive: false } },
    { outputPath: 'a/duotone.jpg', args: { width: 150, duotone: { highlight: '#f00e2e', shadow: '#192550', opacity: 80 }, toFormat: 'jpg' } },
    { outputPath: 'a/rotated.jpg', args: { width: 100, rotate: 90, toFormat: 'jpg' } },
    { outputPath: 'a/entropy.webp', args: { width: 100, height: 100, cropFocus: 16, toFormat: 'webp' } },
    { outputPath: 'a/north.jpg', args: { width: 100, height: 30, cropFocus: 1, toFormat: 'jpg' } },
  ])
  const portrait = imageJob(site, photo('exiforient-portrait-8.jpg'), [{ outputPath: 'p/auto.jpg', args: { width: 80, rotate: 0, toFormat: 'jpg' } }])
  const other = (name, extra = {}) => ({ type: 'JOB_CREATED', payload: { ...imageJob(site, landscape, []).payload, name, ...extra } })
  const imageCdn = other('IMAGE_CDN')
  const fileCdn = other('FILE_CDN')
  const unknown = other('GENERATE_THUMBNAILS')
  const twoInputs = other('IMAGE_PROCESSING', { inputPaths: [{ path: landscape }, { path: photo('kodak-kodim23.png') }] })
  const jp2 = imageJob(site, landscape, [{ outputPath: 't/x.jp2', args: { width: 50, toFormat: 'jp2' } }])
  const missing = imageJob(site, path.join(site, 'no-such.jpg'), [{ outputPath: 'm/x.jpg', args: { width: 50, toFormat: 'jpg' } }])
  const lazy = imageJob(site, landscape, [{ outputPath: 'l/lazy.jpg', args: { width: 50, toFormat: 'jpg' } }])
  lazy.payload.args.isLazy = true
  const scenario = [
    logAction('info bootstrap finished'), realJob, logAction('info source and transform nodes'), manyOps, portrait,
    imageCdn, fileCdn, unknown, twoInputs, jp2, missing, lazy, logAction('info Generating image thumbnails'),
  ]

  const { status, stdout, stderr, report } = await pixelpoolGatsby(site, scenario, { args: ['--prefix-paths'] })
  assert.equal(status, 0)
  assert.match(stderr, /pixelpool: 4 image jobs done, 2 failed, 4 left to Gatsby\n$/)
  assert.match(stdout, /fake gatsby: building/, "Gatsby's output stays visible")
  assert.deepEqual(report.argv, ['build', '--prefix-paths'])
  assert.equal(report.externalJobs, 'true')
  const replies = repliesById(report)
  const jobs = scenario.filter((m) => m.type === 'JOB_CREATED')
  assert.equal(replies.size, jobs.length, 'every job gets exactly one answer')
  const replyTo = (job) => replies.get(job.payload.id)

  for (const job of [realJob, manyOps, portrait, lazy]) assert.deepEqual(replyTo(job), { type: 'JOB_COMPLETED', payload: { id: job.payload.id, result: {} } })
  for (const job of [imageCdn, fileCdn, unknown, twoInputs]) assert.deepEqual(replyTo(job), { type: 'JOB_NOT_WHITELISTED', payload: { id: job.payload.id } })
  assert.equal(replyTo(jp2).type, 'JOB_FAILED')
  assert.match(replyTo(jp2).payload.error, /budgie-roman-colosseum\.jpg.*toFormat 'jp2' is not supported/)
  assert.equal(replyTo(missing).type, 'JOB_FAILED')
  assert.match(replyTo(missing).payload.error, /no-such\.jpg -> m\/x\.jpg: \[IO_ERROR\] .*no such file/)
  assert.equal(existsSync(out('t/x.jp2')), false)

  await assertImage(out('d924c/b.jpg'), { format: 'jpeg', width: 300, height: 225 })
  const defaultJpeg = await assertImage(out('a/default.jpg'), { format: 'jpeg', width: 400 })
  assert.equal(defaultJpeg.isProgressive, true, 'jpegProgressive defaults to true')
  assert.equal(defaultJpeg.exif, undefined, 'metadata stripped')
  await assertImage(out('a/w200.webp'), { format: 'webp', width: 200 })
  const palette = await assertImage(out('a/palette.png'), { format: 'png', width: 120 })
  assert.equal(palette.isPalette, true, 'PNGs from Gatsby are palette PNGs')
  await assertImage(out('a/h100.avif'), { format: 'heif', height: 100 })
  assert.equal((await sharp(out('a/h100.avif')).metadata()).compression, 'av1')
  await assertImage(out('a/contain.png'), { format: 'png', width: 100, height: 100 })
  const [r, g, b] = (await sharp(out('a/contain.png')).extract({ left: 50, top: 0, width: 1, height: 1 }).removeAlpha().raw().toBuffer())
  assert.deepEqual([r, g, b], [255, 0, 0], 'contain pads with the background colour')
  assert.equal((await sharp(out('a/grey.jpg')).metadata()).channels, 1, 'grayscale JPEGs have one channel')
  assert.equal((await sharp(out('a/grey.jpg')).metadata()).isProgressive, false)
  const duotone = await sharp(out('a/duotone.jpg')).stats()
  assert.ok(duotone.channels[0].mean > duotone.channels[2].mean + 20, 'duotone from navy shadows to red highlights')
  await assertImage(out('a/rotated.jpg'), { format: 'jpeg', width: 100, height: 150 })
  await assertImage(out('a/entropy.webp'), { format: 'webp', width: 100, height: 100 })
  await assertImage(out('a/north.jpg'), { format: 'jpeg', width: 100, height: 30 })
  // Stored landscape with orientation 8: auto-oriented to portrait.
  const portraitMeta = await assertImage(out('p/auto.jpg'), { format: 'jpeg', width: 80 })
  assert.ok(portraitMeta.height > 80, `portrait after EXIF rotation, got 80x${portraitMeta.height}`)
  assert.equal(existsSync(out('l/lazy.jpg')), false, 'lazy jobs are left for Gatsby to run on demand')
})

/** An image of `width` x 200: flat grey with a detailed, colourful patch at `patchLeft`. */
async function offCentreSubject(file, { width, patchLeft }) {
  const patch = await sharp(photo('budgie-perched-osprey.jpg')).resize(160, 160, { fit: 'cover' }).toBuffer()
  await sharp({ create: { width, height: 200, channels: 3, background: { r: 128, g: 128, b: 128 } } })
    .composite([{ input: patch, left: patchLeft, top: 20 }])
    .png()
    .toFile(file)
}

const detail = async (file) => Math.max(...(await sharp(file).stats()).channels.slice(0, 3).map((c) => c.stdev))

test('cropFocus: gravities crop where they say; entropy and attention follow an off-centre subject', async (t) => {
  const site = fakeSite(t)
  const right = path.join(site, 'subject-right.png')
  const left = path.join(site, 'subject-left.png')
  await offCentreSubject(right, { width: 800, patchLeft: 620 })
  await offCentreSubject(left, { width: 800, patchLeft: 20 })
  const square = (name, cropFocus) => ({ outputPath: `${name}.png`, args: { width: 200, height: 200, cropFocus, toFormat: 'png' } })
  const crops = [square('centre', 0), square('east', 2), square('west', 4), square('entropy', 16), square('attention', 17)]
  const scenario = [imageJob(site, right, crops.map((c) => ({ ...c, outputPath: `right/${c.outputPath}` }))), imageJob(site, left, crops.map((c) => ({ ...c, outputPath: `left/${c.outputPath}` })))]
  const { status, report } = await pixelpoolGatsby(site, scenario)
  assert.equal(status, 0)
  assert.deepEqual(report.replies.map((r) => r.type), ['JOB_COMPLETED', 'JOB_COMPLETED'])

  const dir = path.join(site, 'public', 'static')
  const flat = 1 // a crop of the grey background alone
  for (const side of ['right', 'left']) {
    assert.ok((await detail(path.join(dir, side, 'centre.png'))) < flat, `${side}: the centre crop misses the subject`)
    for (const strategy of ['entropy', 'attention']) {
      assert.ok((await detail(path.join(dir, side, `${strategy}.png`))) > 20, `${side}: ${strategy} finds the subject`)
    }
  }
  assert.ok((await detail(path.join(dir, 'right', 'east.png'))) > 20)
  assert.ok((await detail(path.join(dir, 'right', 'west.png'))) < flat)
  assert.ok((await detail(path.join(dir, 'left', 'west.png'))) > 20)
  assert.ok((await detail(path.join(dir, 'left', 'east.png'))) < flat)
})

test("pixelpool gatsby exits with Gatsby's exit code and forwards SIGTERM", async (t) => {
  const site = fakeSite(t)
  const failed = await pixelpoolGatsby(site, [logAction('nothing to do')], { args: ['develop', '--port', '9000'], env: { FAKE_GATSBY_EXIT: '3' } })
  assert.equal(failed.status, 3)
  assert.deepEqual(failed.report.argv, ['develop', '--port', '9000'])

  const job = imageJob(site, photo('kodak-kodim23.png'), [{ outputPath: 'x.jpg', args: { width: 50, toFormat: 'jpg' } }])
  const stopped = await pixelpoolGatsby(site, [job], {
    env: { FAKE_GATSBY_HANG: '1', FAKE_GATSBY_EXIT: '0' },
    // The fake exits 300 ms after its last answer unless stopped first; stop it once it prints.
    onStart: (child) => child.stdout.once('data', () => setTimeout(() => child.kill('SIGTERM'), 100)),
  })
  assert.equal(stopped.report.signal, 'SIGTERM', 'the signal reached Gatsby')
  assert.equal(stopped.status, 143)
})

test('pixelpool gatsby outside a Gatsby site is a usage error', async (t) => {
  const dir = scratch(t)
  writeFileSync(path.join(dir, 'package.json'), '{"name":"not-a-site"}')
  const { status, stderr } = await pixelpoolGatsby(dir, [])
  assert.equal(status, 2)
  assert.match(stderr, /no gatsby package found/)
})

test('gatsbyJobToJob maps gatsby-plugin-sharp args with its defaults', () => {
  const job = gatsbyJobToJob({
    name: 'IMAGE_PROCESSING',
    inputPaths: [{ path: '/site/src/images/a.png' }],
    outputDir: '/site/public/static',
    args: {
      pluginOptions: { defaultQuality: 60, stripMetadata: false, failOn: 'none' },
      operations: [
        { outputPath: 'h/a.png', args: { width: 10, toFormat: 'png', pngQuality: 70 } },
        { outputPath: 'h/a.webp', args: { height: 20, toFormat: 'webp', cropFocus: 16, trim: 12, rotate: 180 } },
        { outputPath: 'h/a.jpg', args: {} },
        { outputPath: 'h/a', args: {} },
      ],
    },
  })
  assert.equal(job.input, '/site/src/images/a.png')
  assert.equal(job.failOn, 'none')
  const [png, webp, jpeg, asInput] = job.outputs
  assert.equal(png.path, path.join('/site/public/static', 'h/a.png'))
  assert.deepEqual(
    { format: png.format, palette: png.palette, quality: png.quality, compressionLevel: png.compressionLevel, keepMetadata: png.keepMetadata, fit: png.fit },
    { format: 'png', palette: true, quality: 70, compressionLevel: 9, keepMetadata: true, fit: 'cover' },
  )
  assert.deepEqual(
    { format: webp.format, width: webp.width, height: webp.height, quality: webp.quality, position: webp.position, trim: webp.trim, rotate: webp.rotate },
    { format: 'webp', width: undefined, height: 20, quality: 60, position: 16, trim: 12, rotate: 180 },
  )
  assert.deepEqual({ format: jpeg.format, width: jpeg.width, progressive: jpeg.progressive, quality: jpeg.quality }, { format: 'jpeg', width: 400, progressive: true, quality: 60 })
  assert.deepEqual({ format: asInput.format, width: asInput.width, quality: asInput.quality }, { format: 'png', width: 400, quality: 60 }, 'no toFormat nor extension: the format of the input')
  assert.throws(() => gatsbyJobToJob({ name: 'IMAGE_CDN' }), /left to Gatsby/)
})
