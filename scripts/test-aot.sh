#!/usr/bin/env bash
# The NativeAOT checks: publishes the device app (tools/EdgeCnn.Device, `edgecnn-device`) with NativeAOT for
# linux-x64 and linux-arm64 through deploy/publish-arm64.sh (which installs clang, lld and the arm64 multiarch
# development files when missing, and fails on any warning, so a trimming or AOT warning in the runtime or the app
# fails here), then RUNS the binaries on every golden case in tests/data/golden (see its README.md):
#   x64 default          natively, the best path of this CPU           expects Avx2 (Vector128 without AVX2)
#   x64 mapped           the same with --mapped (memory-mapped model)  expects Avx2
#   x64 Vector128        --kernel-path Vector128                       expects Vector128
#   x64 Reference        --kernel-path Reference                       expects Reference
#   arm64 a72            qemu-aarch64-static -cpu cortex-a72           expects AdvSimd (Raspberry Pi 4)
#   arm64 a72 Vector128  -cpu cortex-a72 --kernel-path Vector128       expects Vector128
#   arm64 a76 mapped     -cpu cortex-a76 --mapped                      expects AdvSimdDp (Raspberry Pi 5)
#   arm64 a76 Reference  -cpu cortex-a76 --kernel-path Reference       expects Reference (NativeAOT code ignores
#                                                                      DOTNET_EnableHWIntrinsic: the option picks it)
# Each (run, case) is one check: the selected kernel path must be the expected one and the outputs must be the
# golden output.bin, float32 byte for byte for the int8 cases, within 1e-4 relative for the float32 case
# (scripts/lib/golden-compare.py). Per binary, two error checks: a truncated input exits 2 and a truncated model
# exits 1, each with a message naming the file (exception handling and messages survive AOT compilation).
# Each publish is a check too (it also fails when the binary outgrows ${EDGECNN_AOT_MAX_BYTES:-4194304} bytes).
# Records each binary's size and publish time in RESULTS/aot.json and prints, as its last line, the totals
# "N passed, N failed, N skipped". Exits non-zero on failure.
#
# Usage: bash scripts/test-aot.sh [--no-build] [--results DIR]
#   --no-build   reuse the published binaries (publish only what is missing)
# The binaries go to ${EDGECNN_AOT_ARTIFACTS:-.cache/aot} (give each run sharing a checkout its own). Each publish takes
# the shared build lock ${EDGECNN_BUILD_LOCK:-/tmp/edgecnn-build.lock} (EDGECNN_BUILD_LOCK= skips it); do not run this
# script inside flock on the same file, it would wait for itself.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

build=1
results="$repo/test-results"
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) build=0 ;;
    --results) shift; results="${1:?--results needs a directory}" ;;
    *) echo "usage: bash scripts/test-aot.sh [--no-build] [--results DIR]" >&2; exit 2 ;;
  esac
  shift
done

log() { echo "test-aot: $*"; }
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

artifacts="$(realpath -m "${EDGECNN_AOT_ARTIFACTS:-$repo/.cache/aot}")"
max_bytes="${EDGECNN_AOT_MAX_BYTES:-4194304}"
work="$results/aot"
rm -rf "$work"
mkdir -p "$work"

passed=0 failed=0 skipped=0

# The comparison of outputs with the golden bytes is in Python (exact decimal arithmetic in the standard library).
if ! command -v python3 >/dev/null 2>&1; then
  log "installing python3 (to compare outputs with the golden files)"
  if [ "$(id -u)" -eq 0 ]; then root=(); else root=(sudo -n); fi
  "${root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq </dev/null
  "${root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3 </dev/null >/dev/null
fi
# qemu-user-static and the arm64 guest libraries (the AOT binary links libc and libstdc++ dynamically).
setup_status=0
bash scripts/arm64-setup.sh || setup_status=$?

cases=()
for dir in tests/data/golden/*/; do
  [ -f "$dir/model.ecnn" ] && cases+=("${dir%/}")
done
if [ "${#cases[@]}" -eq 0 ]; then
  log "no golden cases under tests/data/golden"
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi

# publish RID: one check; the size and time go to aot.json.
sizes=()
publish() {
  local rid="$1" binary="$artifacts/out/$1/edgecnn-device" start=$SECONDS status=0 seconds=null
  if [ "$build" -eq 1 ] || [ ! -x "$binary" ]; then
    bash deploy/publish-arm64.sh --rid "$rid" --out "$artifacts/out" --artifacts "$artifacts/build" \
      </dev/null >"$work/publish-$rid.log" 2>&1 || status=$?
    seconds=$((SECONDS - start))
    if [ "$status" -ne 0 ]; then
      echo "publish $rid (NativeAOT, warnings as errors): FAILED after $seconds s"
      sed 's/^/    /' "$work/publish-$rid.log" | tail -n 40
      failed=$((failed + 1))
      return 1
    fi
  fi
  local bytes
  bytes=$(stat -c %s "$binary")
  sizes+=("{\"rid\":\"$rid\",\"bytes\":$bytes,\"publishSeconds\":$seconds}")
  if [ "$bytes" -gt "$max_bytes" ]; then
    echo "publish $rid: $binary is $bytes bytes, over the budget of $max_bytes (EDGECNN_AOT_MAX_BYTES)"
    failed=$((failed + 1))
    return 1
  fi
  echo "publish $rid (NativeAOT, warnings as errors): 1 passed, $bytes bytes$([ "$seconds" = null ] || echo ", published in $seconds s")"
  passed=$((passed + 1))
}

# run_config LABEL RID EXPECT CPU OPTIONS...: every golden case with the RID's binary (CPU empty: natively).
run_config() {
  local label="$1" rid="$2" expect="$3" cpu="$4"
  shift 4
  local binary="$artifacts/out/$rid/edgecnn-device" start=$SECONDS ok=0 bad=0 details=() runner=()
  [ -n "$cpu" ] && runner=(env QEMU_LD_PREFIX=/ DOTNET_EnableWriteXorExecute=0 qemu-aarch64-static -cpu "$cpu")
  for dir in "${cases[@]}"; do
    local name mode tag status=0
    name=$(basename "$dir")
    case "$name" in
      *-int8) mode=(--exact) ;;
      *-f32) mode=(--tolerance 1e-4) ;;
      *) details+=("$name: neither an -int8 nor an -f32 case; say in scripts/test-aot.sh how to compare it"); bad=$((bad + 1)); continue ;;
    esac
    tag="$work/${label// /-}.$name"
    # A hung binary is stopped rather than holding CI to its limit.
    timeout 300 "${runner[@]}" "$binary" "$dir/model.ecnn" "$dir/input.bin" --outputs "$@" \
      </dev/null >"$tag.jsonl" 2>"$tag.err" || status=$?
    if [ "$status" -ne 0 ]; then
      details+=("$name: exited with $status: $(head -c 400 "$tag.err")")
      bad=$((bad + 1))
    elif python3 scripts/lib/golden-compare.py "$tag.jsonl" "$dir" "${mode[@]}" --expect-path "$expect" 2>"$tag.cmp"; then
      ok=$((ok + 1))
    else
      details+=("$(head -c 600 "$tag.cmp")")
      bad=$((bad + 1))
    fi
  done
  echo "aot $label ($rid$([ -n "$cpu" ] && echo ", -cpu $cpu")$([ $# -gt 0 ] && echo " $*"), expects $expect): $ok passed, $bad failed ($((SECONDS - start)) s)"
  local line
  for line in "${details[@]}"; do echo "    $line"; done
  passed=$((passed + ok)) failed=$((failed + bad))
}

# error_checks LABEL RID CPU: a truncated input exits 2 and a truncated model exits 1, each naming the file.
error_checks() {
  local label="$1" rid="$2" cpu="$3" ok=0 bad=0 details=() runner=() status
  local binary="$artifacts/out/$rid/edgecnn-device" dir="${cases[0]}"
  [ -n "$cpu" ] && runner=(env QEMU_LD_PREFIX=/ qemu-aarch64-static -cpu "$cpu")
  local input="$work/truncated-input.bin" model="$work/truncated-model.ecnn"
  head -c 100 "$dir/input.bin" >"$input"
  head -c 1000 "$dir/model.ecnn" >"$model"
  # expect_error WHAT WANT_STATUS FILE ARGS...: the run must exit WANT_STATUS with a message naming FILE.
  expect_error() {
    local what="$1" want="$2" file="$3" err="$work/${label// /-}.error-$1.err"
    shift 3
    status=0
    timeout 120 "${runner[@]}" "$binary" "$@" </dev/null >/dev/null 2>"$err" || status=$?
    if [ "$status" -eq "$want" ] && grep -qF "edgecnn-device: $file:" "$err"; then
      ok=$((ok + 1))
    else
      details+=("$what: expected exit $want and a message naming $file, got exit $status: $(head -c 400 "$err")")
      bad=$((bad + 1))
    fi
  }
  expect_error input 2 "$input" "$dir/model.ecnn" "$input"
  expect_error model 1 "$model" "$model" "$dir/input.bin"
  echo "aot $label errors (truncated input exits 2, truncated model exits 1): $ok passed, $bad failed"
  local line
  for line in "${details[@]}"; do echo "    $line"; done
  passed=$((passed + ok)) failed=$((failed + bad))
}

if publish linux-x64; then
  if grep -qw avx2 /proc/cpuinfo; then
    # The x64 binary is compiled for x86-64-v3 (deploy/publish-arm64.sh), so the best path here is Avx2.
    run_config "x64 default" linux-x64 Avx2 ""
    run_config "x64 mapped" linux-x64 Avx2 "" --mapped
    run_config "x64 Vector128" linux-x64 Vector128 "" --kernel-path Vector128
    run_config "x64 Reference" linux-x64 Reference "" --kernel-path Reference
    error_checks "x64" linux-x64 ""
  else
    # The binary targets x86-64-v3 and would refuse to start; the arm64 runs below still check the AOT code.
    echo "aot x64 runs: skipped, this CPU has no AVX2 and the x64 binary is compiled for x86-64-v3"
    skipped=$((skipped + 4 * ${#cases[@]} + 2))
  fi
fi

if [ "$setup_status" -ne 0 ]; then
  echo "aot arm64 runs: scripts/arm64-setup.sh failed (exit $setup_status), so nothing can run under QEMU"
  failed=$((failed + 1))
elif publish linux-arm64; then
  run_config "arm64 a72" linux-arm64 AdvSimd cortex-a72
  run_config "arm64 a72 Vector128" linux-arm64 Vector128 cortex-a72 --kernel-path Vector128
  run_config "arm64 a76 mapped" linux-arm64 AdvSimdDp cortex-a76 --mapped
  run_config "arm64 a76 Reference" linux-arm64 Reference cortex-a76 --kernel-path Reference
  error_checks "arm64 a72" linux-arm64 cortex-a72
fi

(IFS=,; echo "[${sizes[*]}]") >"$results/aot.json"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
