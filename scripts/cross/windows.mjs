// What the x86_64-pc-windows-gnu build needs beyond cargo-zigbuild (each an error met):
// - napi-build links against libnode, which the DLL never uses (it finds N-API in node.exe
//   at run time): empty libnode.dll and libnode.a in LIBNODE_PATH satisfy it.
// - rustc asks for libssp_nonshared, which zig's MinGW does not have: empty archives.
// - cargo-zigbuild drops rustc's `-Wl,<name>.def`, so every symbol would be exported (near
//   Windows' 65,535 limit). A linker wrapper passes the .def file as a plain argument; its
//   name must not end in `ld`, or rustc takes it for a bare linker and panics.
import { execFileSync } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'

/** Prepares the stub libraries and the linker wrapper; returns the environment to add. */
export function prepareWindows(tools, build) {
  const stubs = path.join(tools, 'windows-stubs')
  mkdirSync(stubs, { recursive: true })
  const zig = path.join(tools, 'venv', 'bin', 'python3')
  for (const archive of ['libnode.a', 'libssp.a', 'libssp_nonshared.a']) {
    const file = path.join(stubs, archive)
    if (!existsSync(file)) execFileSync(zig, ['-m', 'ziglang', 'ar', 'rcs', file])
  }
  writeFileSync(path.join(stubs, 'libnode.dll'), '')

  const wrapper = path.join(tools, 'windows-link-with-def.sh')
  const zigbuild = path.join(tools, 'venv', 'bin', 'cargo-zigbuild')
  writeFileSync(wrapper, `#!/bin/sh
# Links with zig for ${build.triple}, passing rustc's -Wl,<exports>.def as a plain file.
for arg do
  shift
  case "$arg" in
    -Wl,*.def) set -- "$@" "\${arg#-Wl,}" ;;
    *) set -- "$@" "$arg" ;;
  esac
done
exec "${zigbuild}" zig cc -- -g -fno-sanitize=all -target x86_64-windows-gnu "$@"
`)
  chmodSync(wrapper, 0o755)
  return {
    LIBNODE_PATH: stubs,
    CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER: wrapper,
    [`CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUSTFLAGS`]: `-L native=${stubs}`,
  }
}
