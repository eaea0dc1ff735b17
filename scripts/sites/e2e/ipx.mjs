// ipx 3 (Nuxt Image's engine): createIPX over the photos' folder, served by its Node
// server; a few modifiers requested over HTTP.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describeResponse, serveAndFetch } from './common.mjs'

export const dependencies = { ipx: '^3.1.1' }

const requests = ['w_320/{name}', 'w_640,f_webp/{name}', 's_200x200,f_avif/{name}', 'w_300,q_60,f_jpeg/{name}', 'w_400,blur_5,grayscale/{name}']

export function files(photos) {
  const dir = path.dirname(photos[0])
  const server = `import { createIPX, ipxFSStorage, createIPXNodeServer } from 'ipx'
import { createServer } from 'node:http'
const ipx = createIPX({ storage: ipxFSStorage({ dir: ${JSON.stringify(dir)} }) })
createServer(createIPXNodeServer(ipx)).listen(Number(process.argv[2]), '127.0.0.1')
`
  return { 'server.mjs': server, 'urls.json': JSON.stringify(photos.flatMap((photo) => requests.map((r) => `/${r.replace('{name}', path.basename(photo))}`))) }
}

export function run(dir) {
  const urls = JSON.parse(readFileSync(path.join(dir, 'urls.json'), 'utf8'))
  return serveAndFetch(dir, ['server.mjs', '{port}'], urls.map((url) => ({ url, accept: '*/*' })), describeResponse)
}
