// Proof that a build has its codecs' SIMD, read from what the build scripts produced (the
// linked addon is stripped): libjpeg-turbo's NEON or AVX2 objects from mozjpeg-sys, and
// libaom's configuration. libaom silently builds plain C when it misreads the CPU (aom.mjs).
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'

const EXPECTED = {
  aarch64: { jpeg: /-neon\.o(bj)?$/, aom: 'HAVE_NEON' },
  x86_64: { jpeg: /-avx2\.o(bj)?$/, aom: 'HAVE_AVX2' },
}

function outDirs(buildDir, crate) {
  if (!existsSync(buildDir)) return []
  return readdirSync(buildDir)
    .filter((d) => d.startsWith(`${crate}-`) && existsSync(path.join(buildDir, d, 'out')))
    .map((d) => path.join(buildDir, d, 'out'))
}

/** Problems with the SIMD of the build in `releaseDir` (…/<triple>/release). */
export function simdProblems(releaseDir, triple) {
  const expected = EXPECTED[triple.split('-')[0]]
  const buildDir = path.join(releaseDir, 'build')
  const problems = []
  const jpegObjects = outDirs(buildDir, 'mozjpeg-sys').flatMap((d) => readdirSync(d)).filter((f) => expected.jpeg.test(f))
  if (jpegObjects.length === 0) problems.push(`libjpeg-turbo was built without its SIMD (no ${expected.jpeg.source} objects)`)
  const configs = outDirs(buildDir, 'libaom-sys').map((d) => path.join(d, 'build', 'config', 'aom_config.h')).filter(existsSync)
  const withSimd = configs.filter((c) => new RegExp(`^#define ${expected.aom} 1$`, 'm').test(readFileSync(c, 'utf8')))
  if (configs.length === 0 || withSimd.length < configs.length) problems.push(`libaom was built without ${expected.aom}`)
  return problems
}
