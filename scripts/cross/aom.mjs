// libaom-sys passes -DAOM_TARGET_CPU=aarch64 when cross-compiling; libaom knows only `arm64`
// and otherwise builds plain C with no NEON, silently. This cmake toolchain file keeps
// cargo-zigbuild's own (which it names in the environment) and corrects the CPU. It reaches
// the cmake crate through cargo's [env] (`aomConfig`): set in cargo-zigbuild's environment
// instead, it would stop cargo-zigbuild from writing the toolchain file it includes.
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'

/** Writes the toolchain file for the build; returns the cargo `--config` that names it. */
export function aomConfig(tools, build, targetDir) {
  const file = path.join(tools, `aom-${build.triple}.cmake`)
  const zigbuildVariable = `CMAKE_TOOLCHAIN_FILE_${build.triple.replaceAll('-', '_')}`
  const text = `include("$ENV{${zigbuildVariable}}")\nset(AOM_TARGET_CPU "${build.aomCpu}" CACHE STRING "" FORCE)\n`
  if (!existsSync(file)) {
    // cmake keeps its first configuration: a libaom configured without this file is rebuilt.
    const buildDir = path.join(targetDir, build.triple, 'release', 'build')
    for (const entry of existsSync(buildDir) ? readdirSync(buildDir) : []) {
      if (entry.startsWith('libaom-sys-')) rmSync(path.join(buildDir, entry), { recursive: true, force: true })
    }
  }
  writeFileSync(file, text)
  return `env.CMAKE_TOOLCHAIN_FILE_${build.triple}=${JSON.stringify(file)}`
}
