// Real sites built with stock sharp and with pixelpool-sharp through one npm override, for
// the site tests (__test__/sites.test.mjs) and the site benchmark (bench/sites.mjs).
// A site is a fixture folder here plus photos, installed from the npm registry.
import { execFileSync, spawn } from 'node:child_process'
import { cpSync, mkdirSync, readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
export const root = path.join(here, '..', '..')

/** The newest versions that run on Node 20 (eleventy-img 7 needs 22, Astro 6 refuses 20). */
export const tools = {
  eleventy: {
    dependencies: { '@11ty/eleventy': '3.1.8', '@11ty/eleventy-img': '6.0.4' },
    build: ['node_modules/@11ty/eleventy/cmd.cjs', '--quiet'],
    out: '_site',
  },
  astro: {
    // Astro lists sharp as an optional dependency; sites add it, so the override takes the
    // "site lists sharp itself" form.
    dependencies: { astro: '5.18.2', sharp: '^0.34.0' },
    build: ['node_modules/astro/astro.js', 'build', '--silent'],
    out: 'dist',
  },
}

/**
 * Replaces sharp in `manifest` as a user would, with the packed `tarballs` (pixelpool,
 * pixelpool-sharp and platform packages, as pack.mjs prints them): `overrides`, or for a
 * site that lists sharp itself, that dependency plus `"sharp": "$sharp"`.
 */
export function replaceSharp(manifest, tarballs, { bundlesServices = false } = {}) {
  const [pixelpool, pixelpoolSharp, ...platformPackages] = tarballs.map((file) => `file:${file}`)
  manifest.overrides = { ...manifest.overrides, pixelpool }
  for (const [i, file] of platformPackages.entries()) manifest.overrides[path.basename(tarballs[i + 2]).replace(/-\d+\.\d+\.\d+\.tgz$/, '')] = file
  // Astro bundles image services it finds among the site's own dependencies.
  if (bundlesServices) manifest.dependencies.pixelpool = pixelpool
  if (manifest.dependencies.sharp) {
    manifest.dependencies.sharp = pixelpoolSharp
    manifest.overrides.sharp = '$sharp'
  } else manifest.overrides.sharp = pixelpoolSharp
  return manifest
}

/**
 * Writes a site of `tool` into `dir` with `photos`; with `tarballs`, sharp replaced.
 */
export function writeSite(tool, dir, photos, tarballs) {
  const { dependencies } = tools[tool]
  mkdirSync(dir, { recursive: true })
  cpSync(path.join(here, tool), dir, { recursive: true })
  const manifest = { name: `${tool}-site`, version: '1.0.0', private: true, type: 'module', dependencies: { ...dependencies } }
  if (tarballs) replaceSharp(manifest, tarballs, { bundlesServices: tool === 'astro' })
  writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`)
  if (tool === 'eleventy') {
    mkdirSync(path.join(dir, '_data'), { recursive: true })
    writeFileSync(path.join(dir, '_data', 'photos.json'), JSON.stringify(photos))
  } else {
    const folder = path.join(dir, 'src', 'photos')
    mkdirSync(folder, { recursive: true })
    for (const photo of photos) cpSync(photo, path.join(folder, path.basename(photo)))
  }
}

export function install(dir) {
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] })
}

/** Builds the site; resolves to wall milliseconds and the peak RSS (KiB) of the build. */
export function build(tool, dir, env = {}) {
  const rssFile = path.join(dir, '.peak-rss')
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint()
    const args = ['--import', pathToFileURL(path.join(here, 'peak-rss.mjs')).href, ...tools[tool].build]
    const child = spawn(process.execPath, args, {
      cwd: dir, env: { ...process.env, ...env, PIXELPOOL_RSS_FILE: rssFile }, stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6
      if (code !== 0) return reject(new Error(`${tool} build in ${dir} failed (${code}):\n${output}`))
      resolve({ ms, peakKiB: Number(readFileSync(rssFile, 'utf8')) })
    })
  })
}

/** The image URLs of one piece of HTML (src and srcset), as paths under `out`. */
function imagesIn(html, out) {
  const urls = []
  for (const [, attribute, value] of html.matchAll(/\s(src|srcset)="([^"]+)"/g)) {
    const candidates = attribute === 'srcset' ? value.split(',').map((c) => c.trim().split(/\s+/)[0]) : [value]
    urls.push(...candidates.filter((url) => url.startsWith('/')))
  }
  return urls.map((url) => path.join(out, decodeURI(url.split('?')[0])))
}

function builtPages(tool, dir) {
  const out = path.join(dir, tools[tool].out)
  const pages = readdirSync(out, { recursive: true }).filter((f) => f.endsWith('.html'))
  return pages.map((page) => ({ out, html: readFileSync(path.join(out, page), 'utf8') }))
}

/** Every image file the built HTML references (src and srcset), in order, as paths on disk. */
export function referencedImages(tool, dir) {
  return builtPages(tool, dir).flatMap(({ out, html }) => imagesIn(html, out))
}

/** The images of each <picture>, in page order (one picture per photo in both sites). */
export function imagesByPicture(tool, dir) {
  return builtPages(tool, dir).flatMap(({ out, html }) => html.split('<picture').slice(1).map((part) => [...new Set(imagesIn(part.split('</picture>')[0], out))]))
}

export function allExist(files) {
  return files.filter((file) => !existsSync(file))
}
