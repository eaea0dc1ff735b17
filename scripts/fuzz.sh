#!/usr/bin/env bash
# Fuzzes the decoders: scripts/fuzz.sh [seconds per target, default 600] [targets...]
# (default: every decode_* target, two at a time). Crashes land in fuzz/artifacts/<target>/;
# turn each into a regression test under crates/engine/tests/hostile.rs.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(decode_jpeg decode_png decode_webp decode_gif decode_avif decode_tiff decode_svg decode_jxl decode_gif_animated decode_webp_animated)

command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
node scripts/fuzz-seeds.mjs
# cargo-fuzz passes nightly-only flags; this lets the stable compiler accept them.
export RUSTC_BOOTSTRAP=1
# With clang, the C decoders (libjpeg-turbo, libwebp, libaom) get libFuzzer's coverage
# instrumentation too, so the fuzzer steers inside them; without it, only the Rust side.
# (libaom-sys does not rebuild when CC changes: after installing clang, `cargo clean` in fuzz/.)
if command -v clang >/dev/null; then
  export CC=clang CFLAGS="-O2 -fsanitize=fuzzer-no-link"
else
  echo "clang not found: the C decoders are fuzzed without coverage feedback" >&2
fi
(cd fuzz && cargo fuzz build --sanitizer none -O)

run() {
  local target=$1
  mkdir -p "fuzz/artifacts/$target"
  touch "fuzz/artifacts/$target/started"
  (cd fuzz && cargo fuzz run --sanitizer none -O "$target" -- -max_total_time="$seconds" \
    -rss_limit_mb=4096 -timeout=20 -print_final_stats=1) >"fuzz/artifacts/$target/log.txt" 2>&1 || true
  echo "$target: $(grep -E '^stat::number_of_executed_units' "fuzz/artifacts/$target/log.txt" | awk '{print $2}') executions," \
    "$(find "fuzz/artifacts/$target" -newer "fuzz/artifacts/$target/started" -name '*-*' | grep -cE '/(crash|oom|timeout|leak)-' || true) new findings"
}

for ((i = 0; i < ${#targets[@]}; i += 2)); do
  run "${targets[i]}" &
  [ $((i + 1)) -lt ${#targets[@]} ] && run "${targets[i + 1]}" &
  wait
done
