// What the e2e tool checks share: running a tool's CLI, listing the images a build wrote,
// and serving a tool over HTTP to fetch images from it. Images are described by real sharp.
import { spawn } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import sharp from 'sharp'

export function runNode(dir, args, env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    child.on('close', (code) => (code === 0 ? resolve(output) : reject(new Error(`${args.join(' ')} failed (${code}):\n${output.slice(-3000)}`))))
  })
}

async function describe(bytes) {
  const { format, width, height } = await sharp(bytes).metadata()
  return { format, width, height }
}

/** The images under `sub`, described and sorted (their names carry content hashes). */
export async function builtImages(dir, sub) {
  const folder = path.join(dir, sub)
  const files = readdirSync(folder, { recursive: true }).filter((f) => /\.(avif|webp|jpe?g|png|gif)$/i.test(f))
  const images = await Promise.all(files.map((file) => describe(path.join(folder, file))))
  return images.map((i) => ({ label: `${i.format} ${i.width}x${i.height}`, ...i })).sort((a, b) => a.label.localeCompare(b.label))
}

function freePort() {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

export async function describeResponse(response) {
  const type = response.headers.get('content-type')
  if (!response.ok) return { status: response.status, type }
  return { status: response.status, type, ...(await describe(Buffer.from(await response.arrayBuffer()))) }
}

/**
 * `describeResponse` plus a 32x32 RGBA thumbnail of the pixels (made by real sharp), for
 * tools whose images are compared by pixel as well (the mean difference, 0-255).
 */
export async function describeWithPixels(response) {
  const described = await describeResponse(response.clone())
  if (!response.ok) return described
  const bytes = Buffer.from(await response.arrayBuffer())
  const pixels = await sharp(bytes).resize(32, 32, { fit: 'fill' }).ensureAlpha().raw().toBuffer()
  return { ...described, pixels: pixels.toString('base64') }
}

/** Starts `args` (with `{port}` filled in), waits for the port, fetches each request, stops it. */
export async function serveAndFetch(dir, args, requests, shape, env = {}) {
  const port = await freePort()
  const child = spawn(process.execPath, args.map((a) => a.replace('{port}', String(port))), { cwd: dir, env: { ...process.env, ...env }, stdio: 'ignore' })
  try {
    const deadline = Date.now() + 60_000
    for (;;) {
      try {
        await fetch(`http://127.0.0.1:${port}/`)
        break
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`server ${args.join(' ')} did not start`, { cause: error })
        await new Promise((resolve) => setTimeout(resolve, 250))
      }
    }
    const results = []
    for (const { url, accept } of requests) {
      const response = await fetch(`http://127.0.0.1:${port}${url}`, { headers: { accept } })
      results.push({ label: `${url} [${accept}]`, ...(await shape(response)) })
    }
    return results
  } finally {
    child.kill()
  }
}

/**
 * An ipx tool: ipx's Node server (`handler`, the export that makes it) over the photos'
 * folder, each of `requests` fetched for each photo and described by `shape`.
 */
export function ipxTool(handler, requests, shape = describeResponse) {
  const files = (photos) => {
    const server = `import { createIPX, ipxFSStorage, ${handler} } from 'ipx'
import { createServer } from 'node:http'
const ipx = createIPX({ storage: ipxFSStorage({ dir: ${JSON.stringify(path.dirname(photos[0]))} }) })
createServer(${handler}(ipx)).listen(Number(process.argv[2]), '127.0.0.1')
`
    return { 'server.mjs': server, 'urls.json': JSON.stringify(photos.flatMap((photo) => requests.map((r) => `/${r.replace('{name}', path.basename(photo))}`))) }
  }
  const run = (dir) => {
    const urls = JSON.parse(readFileSync(path.join(dir, 'urls.json'), 'utf8'))
    return serveAndFetch(dir, ['server.mjs', '{port}'], urls.map((url) => ({ url, accept: '*/*' })), shape)
  }
  return { files, run }
}
