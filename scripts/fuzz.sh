#!/usr/bin/env bash
# Fuzzes the decoders: scripts/fuzz.sh [seconds per target, default 600] [targets...]
# (default: every decode_* target, two at a time). Crashes land in fuzz/artifacts/<target>/;
# turn each into a regression test under crates/engine/tests/hostile.rs.
#
# Both sides run under AddressSanitizer: the Rust side by cargo-fuzz (`--sanitizer address`;
# the stable toolchain ships the runtime, RUSTC_BOOTSTRAP lets it take the flag), the C
# decoders (libjpeg-turbo, libwebp, libaom) compiled by clang with `-fsanitize=address` and
# libFuzzer's coverage instrumentation, so the fuzzer also steers inside them.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(decode_jpeg decode_png decode_webp decode_gif decode_avif decode_tiff
  decode_svg decode_jxl decode_gif_animated decode_webp_animated decode_join decode_text)

command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
command -v clang >/dev/null || { echo "clang is needed to build the C decoders with AddressSanitizer" >&2; exit 1; }
node scripts/fuzz-seeds.mjs
export RUSTC_BOOTSTRAP=1
export CC=clang CXX=clang++ CFLAGS="-O1 -g -fno-omit-frame-pointer -fsanitize=address -fsanitize=fuzzer-no-link"
export CXXFLAGS="$CFLAGS"
# The C libraries' build scripts do not rebuild when CFLAGS change: start clean when they did.
mkdir -p fuzz/target
if [ "$(cat fuzz/target/.cflags 2>/dev/null)" != "$CFLAGS" ]; then
  (cd fuzz && cargo clean)
  mkdir -p fuzz/target
  echo "$CFLAGS" >fuzz/target/.cflags
fi
(cd fuzz && cargo fuzz build --sanitizer address -O)

run() {
  local target=$1
  mkdir -p "fuzz/artifacts/$target"
  touch "fuzz/artifacts/$target/started"
  (cd fuzz && cargo fuzz run --sanitizer address -O "$target" -- -max_total_time="$seconds" \
    -rss_limit_mb=4096 -timeout=20 -print_final_stats=1) >"fuzz/artifacts/$target/log.txt" 2>&1 || true
  echo "$target: $(grep -E '^stat::number_of_executed_units' "fuzz/artifacts/$target/log.txt" | awk '{print $2}') executions," \
    "$(find "fuzz/artifacts/$target" -newer "fuzz/artifacts/$target/started" -name '*-*' | grep -cE '/(crash|oom|timeout|leak)-' || true) new findings"
}

for ((i = 0; i < ${#targets[@]}; i += 2)); do
  run "${targets[i]}" &
  [ $((i + 1)) -lt ${#targets[@]} ] && run "${targets[i + 1]}" &
  wait
done
