// npm run e2e:gatsby [-- --keep]: a minimal Gatsby 5 site on the corpus photos, in a temp
// folder, built once with `gatsby build` and once with `pixelpool gatsby build`. Checks
// that every image the built HTML references exists and decodes, and prints both times.
// Needs the npm registry (it installs Gatsby) and a built addon (`npm run build`).
import { spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import sharp from 'sharp'

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..')
const corpus = path.join(root, '..', 'shared', 'corpus', 'photos')
const site = mkdtempSync(path.join(os.tmpdir(), 'pixelpool-gatsby-site-'))

const files = {
  'package.json': JSON.stringify({
    name: 'pixelpool-e2e-site',
    private: true,
    dependencies: {
      gatsby: '^5.16.0',
      'gatsby-plugin-image': '^3.16.0',
      'gatsby-plugin-sharp': '^5.16.0',
      'gatsby-source-filesystem': '^5.16.0',
      'gatsby-transformer-sharp': '^5.16.0',
      react: '^18.3.1',
      'react-dom': '^18.3.1',
    },
    // Older sharp fetches libvips from outside the npm registry (docs/design.md §5).
    overrides: { sharp: '0.35.5' },
  }, null, 2),
  'gatsby-config.js': `module.exports = {
  plugins: [
    { resolve: 'gatsby-source-filesystem', options: { name: 'images', path: __dirname + '/src/images' } },
    'gatsby-plugin-image',
    'gatsby-plugin-sharp',
    'gatsby-transformer-sharp',
  ],
}
`,
  // Every photo as a responsive image (original format + WebP), and the first few with the
  // options gatsby-plugin-image users reach for: AVIF, fixed crops, grayscale, duotone.
  'src/pages/index.js': `import * as React from 'react'
import { graphql } from 'gatsby'
import { GatsbyImage, getImage } from 'gatsby-plugin-image'

export default function Index({ data }) {
  return (
    <main>
      {data.all.nodes.map((file) => (
        <GatsbyImage key={file.id} image={getImage(file)} alt={file.name} />
      ))}
      {data.special.nodes.map((file) => (
        <div key={file.id}>
          <GatsbyImage image={file.childImageSharp.avif} alt={file.name + ' avif'} />
          <GatsbyImage image={file.childImageSharp.attention} alt={file.name + ' attention'} />
          <GatsbyImage image={file.childImageSharp.grey} alt={file.name + ' grey'} />
          <GatsbyImage image={file.childImageSharp.duotone} alt={file.name + ' duotone'} />
        </div>
      ))}
    </main>
  )
}

export const query = graphql\`
  query {
    all: allFile(filter: { sourceInstanceName: { eq: "images" } }, sort: { name: ASC }) {
      nodes { id name childImageSharp { gatsbyImageData(width: 800, formats: [AUTO, WEBP]) } }
    }
    special: allFile(filter: { sourceInstanceName: { eq: "images" } }, sort: { name: ASC }, limit: 4) {
      nodes {
        id
        name
        childImageSharp {
          avif: gatsbyImageData(width: 480, formats: [AVIF])
          attention: gatsbyImageData(layout: FIXED, width: 300, height: 300, transformOptions: { cropFocus: ATTENTION })
          grey: gatsbyImageData(width: 320, transformOptions: { grayscale: true }, formats: [AUTO])
          duotone: gatsbyImageData(width: 320, transformOptions: { duotone: { highlight: "#f00e2e", shadow: "#192550" } }, formats: [PNG])
        }
      }
    }
  }
\`
`,
}

function run(command, args, options = {}) {
  const started = process.hrtime.bigint()
  const child = spawnSync(command, args, { cwd: site, stdio: 'inherit', ...options })
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  if (child.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${child.status}`)
  return seconds
}

/** Every /static/ file the built pages reference, from src and srcset attributes. */
function referencedImages() {
  const pages = readdirSync(path.join(site, 'public'), { recursive: true }).filter((f) => f.endsWith('.html'))
  const urls = new Set()
  for (const page of pages) {
    const html = readFileSync(path.join(site, 'public', page), 'utf8')
    for (const [, attribute] of html.matchAll(/(?:src|srcset|srcSet)="([^"]+)"/g)) {
      for (const candidate of attribute.split(',')) {
        const url = candidate.trim().split(/\s+/)[0]
        if (url.startsWith('/static/')) urls.add(url)
      }
    }
  }
  return [...urls]
}

async function checkImages(label) {
  const urls = referencedImages()
  if (urls.length === 0) throw new Error(`${label}: the built HTML references no images`)
  const formats = {}
  for (const url of urls) {
    const file = path.join(site, 'public', decodeURIComponent(url))
    if (!existsSync(file)) throw new Error(`${label}: ${url} is referenced but missing`)
    const { format, width, height } = await sharp(file).metadata()
    if (!(width > 0 && height > 0)) throw new Error(`${label}: ${url} does not decode`)
    await sharp(file).raw().toBuffer()
    formats[format] = (formats[format] ?? 0) + 1
  }
  return { count: urls.length, formats }
}

async function main() {
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(site, name)), { recursive: true })
    writeFileSync(path.join(site, name), content)
  }
  const images = path.join(site, 'src', 'images')
  mkdirSync(images, { recursive: true })
  for (const photo of readdirSync(corpus)) copyFileSync(path.join(corpus, photo), path.join(images, photo))
  console.log(`site: ${site}`)
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'])

  const gatsby = path.join(site, 'node_modules', '.bin', 'gatsby')
  const env = { ...process.env, GATSBY_TELEMETRY_DISABLED: '1', CI: 'true' }
  run(gatsby, ['clean'], { env })
  const plain = run(gatsby, ['build'], { env })
  const plainImages = await checkImages('gatsby build')

  run(gatsby, ['clean'], { env })
  const ours = run(process.execPath, [path.join(root, 'bin', 'pixelpool.js'), 'gatsby', 'build'], { env })
  const ourImages = await checkImages('pixelpool gatsby build')

  const cores = os.availableParallelism()
  console.log(`\n${readdirSync(corpus).length} photos, ${cores} cores, ${os.cpus()[0].model}`)
  console.log(`gatsby build            ${plain.toFixed(1)} s, ${plainImages.count} images referenced, all decode ${JSON.stringify(plainImages.formats)}`)
  console.log(`pixelpool gatsby build  ${ours.toFixed(1)} s, ${ourImages.count} images referenced, all decode ${JSON.stringify(ourImages.formats)}`)
  console.log(`ratio                   ${(plain / ours).toFixed(2)}x`)
}

try {
  await main()
} finally {
  if (!process.argv.includes('--keep')) rmSync(site, { recursive: true, force: true })
}
