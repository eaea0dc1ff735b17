// Debian packages of another architecture or release, unpacked into a folder with dpkg -x.
// apt runs with a private state, cache and source list, so the machine's apt setup is
// untouched; the mirror is the machine's own.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'

function machineMirror() {
  const sources = '/etc/apt/sources.list.d/debian.sources'
  const text = existsSync(sources) ? readFileSync(sources, 'utf8') : ''
  return text.match(/^URIs:\s*(\S+\/debian)\s*$/m)?.[1] ?? 'http://deb.debian.org/debian'
}

function aptOptions(state, suite, arch) {
  const parts = path.join(state, 'sources.list.d')
  mkdirSync(parts, { recursive: true })
  const source = `Types: deb\nURIs: ${machineMirror()}\nSuites: ${suite}\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n`
  writeFileSync(path.join(parts, 'debian.sources'), source)
  mkdirSync(path.join(state, 'lists', 'partial'), { recursive: true })
  mkdirSync(path.join(state, 'cache', 'archives', 'partial'), { recursive: true })
  writeFileSync(path.join(state, 'status'), '')
  const options = {
    'Dir::State': state,
    'Dir::State::Lists': path.join(state, 'lists'),
    'Dir::State::status': path.join(state, 'status'),
    'Dir::Cache': path.join(state, 'cache'),
    'Dir::Etc::SourceList': '/dev/null',
    'Dir::Etc::SourceParts': parts,
    'APT::Architecture': arch,
    'APT::Architectures': arch,
    // The private folders belong to root; apt's download user could not write them.
    'APT::Sandbox::User': 'root',
  }
  return Object.entries(options).flatMap(([key, value]) => ['-o', `${key}=${value}`])
}

/**
 * Unpacks `packages` of Debian `suite` for `arch` into `into` (once: a marker file records
 * what is there). Returns `into`.
 */
export function unpackDebian({ suite, arch, packages, into, work }) {
  const marker = path.join(into, `.unpacked-${suite}-${arch}-${packages.join('+')}`)
  if (existsSync(marker)) return into
  const state = path.join(work, `apt-${suite}-${arch}`)
  mkdirSync(state, { recursive: true })
  const options = aptOptions(state, suite, arch)
  execFileSync('apt-get', [...options, 'update', '-qq'], { stdio: ['ignore', 'ignore', 'inherit'] })
  const downloads = path.join(state, 'debs')
  mkdirSync(downloads, { recursive: true })
  execFileSync('apt-get', [...options, 'download', ...packages.map((p) => `${p}:${arch}`)], { cwd: downloads, stdio: ['ignore', 'ignore', 'inherit'] })
  mkdirSync(into, { recursive: true })
  for (const deb of readdirSync(downloads).filter((f) => f.endsWith('.deb'))) execFileSync('dpkg', ['-x', path.join(downloads, deb), into])
  writeFileSync(marker, '')
  return into
}
