// Next.js 16: `next build && next start`, then /_next/image at a few widths and qualities.
import { cpSync, mkdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describeResponse, runNode, serveAndFetch } from './common.mjs'

export const dependencies = { next: '^16.0.0', react: '^19.0.0', 'react-dom': '^19.0.0' }

export function files(photos) {
  return {
    'next.config.mjs': 'export default { images: { formats: ["image/avif", "image/webp"] } }\n',
    'app/layout.js': 'export default function Layout({ children }) { return <html><body>{children}</body></html> }\n',
    'app/page.js': 'export default function Page() { return <p>photos</p> }\n',
    'photos.json': JSON.stringify(photos),
  }
}

export async function run(dir) {
  const photos = JSON.parse(readFileSync(path.join(dir, 'photos.json'), 'utf8'))
  mkdirSync(path.join(dir, 'public'), { recursive: true })
  for (const photo of photos) cpSync(photo, path.join(dir, 'public', path.basename(photo)))
  await runNode(dir, ['node_modules/next/dist/bin/next', 'build'], { NEXT_TELEMETRY_DISABLED: '1' })
  const urls = photos.flatMap((photo) => [640, 1080].flatMap((w) => [75, 50].map((q) => `/_next/image?url=${encodeURIComponent(`/${path.basename(photo)}`)}&w=${w}&q=${q}`)))
  const accepts = ['image/avif,image/webp,*/*', 'image/webp,*/*', '*/*']
  return serveAndFetch(dir, ['node_modules/next/dist/bin/next', 'start', '-H', '127.0.0.1', '-p', '{port}'], urls.flatMap((url) => accepts.map((accept) => ({ url, accept }))), describeResponse, { NEXT_TELEMETRY_DISABLED: '1' })
}
