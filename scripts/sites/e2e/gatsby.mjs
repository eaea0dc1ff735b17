// A plain `gatsby build` with gatsby-plugin-sharp (no pixelpool runner): every photo as a
// constrained image with WebP and AVIF and a blurred placeholder, plus a fixed crop.
import { cpSync, mkdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { builtImages, runNode } from './common.mjs'

export const dependencies = {
  gatsby: '^5.16.0', 'gatsby-plugin-image': '^3.16.0', 'gatsby-plugin-sharp': '^5.16.0',
  'gatsby-source-filesystem': '^5.16.0', 'gatsby-transformer-sharp': '^5.16.0', react: '^18.3.1', 'react-dom': '^18.3.1',
}
/** gatsby-plugin-sharp's own sharp (0.32) downloads libvips from GitHub at install; stock runs 0.35.5. */
export const stockOverrides = { sharp: '0.35.5' }

export function files(photos) {
  return {
    'gatsby-config.js': `module.exports = { plugins: [
  { resolve: 'gatsby-source-filesystem', options: { name: 'images', path: __dirname + '/src/images' } },
  'gatsby-plugin-image', 'gatsby-plugin-sharp', 'gatsby-transformer-sharp'] }\n`,
    'src/pages/index.js': `import * as React from 'react'
import { graphql } from 'gatsby'
import { GatsbyImage, getImage } from 'gatsby-plugin-image'
export default function Index({ data }) {
  return <main>{data.all.nodes.map((file) => <div key={file.id}>
    <GatsbyImage image={getImage(file.wide)} alt="" />
    <GatsbyImage image={getImage(file.thumb)} alt="" />
  </div>)}</main>
}
export const query = graphql\`{ all: allFile(filter: { sourceInstanceName: { eq: "images" } }) { nodes { id
  wide: childImageSharp { gatsbyImageData(width: 800, formats: [AUTO, WEBP, AVIF], placeholder: BLURRED) }
  thumb: childImageSharp { gatsbyImageData(layout: FIXED, width: 200, height: 200, transformOptions: { cropFocus: ATTENTION }) }
} } }\`
`,
    'photos.json': JSON.stringify(photos),
  }
}

export async function run(dir) {
  mkdirSync(path.join(dir, 'src', 'images'), { recursive: true })
  for (const photo of JSON.parse(readFileSync(path.join(dir, 'photos.json'), 'utf8'))) cpSync(photo, path.join(dir, 'src', 'images', path.basename(photo)))
  await runNode(dir, ['node_modules/gatsby/cli.js', 'build'], { GATSBY_TELEMETRY_DISABLED: '1', CI: '1' })
  return builtImages(dir, 'public/static')
}
