// What can be checked of a macOS binary without a Mac: a minimal Mach-O 64 reader for its
// CPU, minimum OS version, linked libraries and undefined symbols with the library each is
// bound to (two-level namespace ordinals; N-API is looked up in the host process).
import { readFileSync } from 'node:fs'

const MH_MAGIC_64 = 0xfeedfacf
const CPU = { 0x01000007: 'x64', 0x0100000c: 'arm64' }
const LC_SYMTAB = 0x2
const LC_LOAD_DYLIB = 0xc
const LC_REEXPORT_DYLIB = 0x8000001f
const LC_LOAD_WEAK_DYLIB = 0x80000018
const LC_BUILD_VERSION = 0x32
const LC_VERSION_MIN_MACOSX = 0x24
const N_EXT = 0x01
const N_TYPE = 0x0e
const DYNAMIC_LOOKUP_ORDINAL = 0xfe

function version(packed) {
  return `${packed >>> 16}.${(packed >> 8) & 0xff}.${packed & 0xff}`
}

function cString(buffer, offset) {
  const end = buffer.indexOf(0, offset)
  return buffer.toString('latin1', offset, end)
}

/** { cpu, minOS, libraries: [path], undefined: [{ name, library }] } of a Mach-O 64 file. */
export function readMachO(file) {
  const b = readFileSync(file)
  if (b.readUInt32LE(0) !== MH_MAGIC_64) throw new Error(`${file}: not a 64-bit Mach-O file`)
  const cpu = CPU[b.readUInt32LE(4)] ?? `cputype ${b.readUInt32LE(4)}`
  const commands = b.readUInt32LE(16)
  const libraries = []
  let minOS
  let symtab
  let at = 32
  for (let i = 0; i < commands; i++) {
    const cmd = b.readUInt32LE(at)
    const size = b.readUInt32LE(at + 4)
    if (cmd === LC_LOAD_DYLIB || cmd === LC_LOAD_WEAK_DYLIB || cmd === LC_REEXPORT_DYLIB) libraries.push(cString(b, at + b.readUInt32LE(at + 8)))
    if (cmd === LC_BUILD_VERSION) minOS = version(b.readUInt32LE(at + 12))
    if (cmd === LC_VERSION_MIN_MACOSX) minOS = version(b.readUInt32LE(at + 8))
    if (cmd === LC_SYMTAB) symtab = { symoff: b.readUInt32LE(at + 8), nsyms: b.readUInt32LE(at + 12), stroff: b.readUInt32LE(at + 16) }
    at += size
  }
  const undefinedSymbols = []
  for (let i = 0; symtab && i < symtab.nsyms; i++) {
    const entry = symtab.symoff + i * 16
    const type = b.readUInt8(entry + 4)
    if ((type & N_TYPE) !== 0 || (type & N_EXT) === 0) continue
    const ordinal = b.readUInt16LE(entry + 6) >> 8
    const library = ordinal === DYNAMIC_LOOKUP_ORDINAL ? 'dynamic lookup' : (libraries[ordinal - 1] ?? `ordinal ${ordinal}`)
    undefinedSymbols.push({ name: cString(b, symtab.stroff + b.readUInt32LE(entry)), library })
  }
  return { cpu, minOS, libraries, undefined: undefinedSymbols }
}

/**
 * Problems with a macOS addon: wrong CPU or OS floor, a library macOS lacks, or a symbol from
 * outside libSystem (napi-rs finds N-API in the host process with dlsym: a flat lookup of a
 * `napi_` name is allowed too).
 */
export function checkMacAddon(file, { cpu, minOS }) {
  const m = readMachO(file)
  const problems = []
  if (m.cpu !== cpu) problems.push(`CPU ${m.cpu}, expected ${cpu}`)
  if (m.minOS !== minOS) problems.push(`minimum macOS ${m.minOS}, expected ${minOS}`)
  const stray = m.undefined.filter(({ name, library }) => {
    if (library === 'dynamic lookup') return !/^_(napi|node_api)_/.test(name)
    return !library.startsWith('/usr/lib/libSystem.')
  })
  // Rust's std also links libiconv and libcharset; every macOS has them in /usr/lib.
  const foreign = m.libraries.filter((l) => !/^\/usr\/lib\/lib(System\.B|iconv\.2|charset\.1)\.dylib$/.test(l))
  if (foreign.length > 0) problems.push(`links libraries beyond macOS's own: ${foreign.join(', ')}`)
  if (stray.length > 0) problems.push(`undefined symbols outside N-API and libSystem: ${stray.slice(0, 8).map((s) => `${s.name} (${s.library})`).join(', ')}${stray.length > 8 ? ` and ${stray.length - 8} more` : ''}`)
  return { problems, summary: `Mach-O ${m.cpu}, minimum macOS ${m.minOS}, ${m.undefined.length} undefined symbols, links ${m.libraries.join(', ')}` }
}
