#!/usr/bin/env bash
# The ARM64 test matrix: publishes test projects for linux-arm64 (self-contained, runtime pack
# Microsoft.NETCore.App.Runtime.linux-arm64 pinned to $arm64_runtime) and runs their executables under user-mode QEMU:
#   EdgeCnn.Runtime.Tests   the kernels: three runs
#     a72     -cpu cortex-a72                      AdvSimd without SDOT (Raspberry Pi 4)   expects AdvSimd
#     a76     -cpu cortex-a76                      AdvSimd with SDOT (Raspberry Pi 5)      expects AdvSimdDp
#     scalar  -cpu cortex-a76, HW intrinsics off   the reference kernels                   expects Reference
#   EdgeCnn.Device.Tests    the device app (what ships to the board): the a72 run
#   EdgeCnn.Hardware.Tests  triggers, cameras, pipeline (issue 7): the a72 run
# Each run sets EDGECNN_EXPECT_KERNEL_PATH, which KernelPathSelectionTests compares with the path a session
# selects, so a run that fell back to scalar code fails. The device and hardware tests run once: they test file
# handling, option parsing and the pipeline around the kernels, whose paths the runtime runs already cover.
# Tests tagged Requires=OnnxRuntime are excluded (ONNX Runtime's arm64 library segfaults under qemu-user), and
# two camera interop tests that need the kernel's answer to a V4L2 ioctl (qemu_exclusions below); everything else
# in each project runs (see the README).
# Writes xUnit XML results to RESULTS/<project>.arm64-<run>.xml and, as its last line, the totals
# "N passed, N failed, N skipped" (a run that wrote no results counts as a failure). Exits non-zero on failure.
#
# Usage: bash scripts/test-arm64.sh [--no-build] [--results DIR] [--runs a72,a76,scalar] [--projects LIST] [-- RUNNER-OPTIONS...]
#   --no-build        reuse the published executables (publish only what is missing)
#   --runs LIST       which runs, comma separated (default all three); a project runs only those it has
#   --projects LIST   which projects, comma separated: Runtime, Device, Hardware (default all three)
#   -- OPTIONS        passed to the xUnit runner instead of the default filter, e.g.
#                     --projects Runtime -- -class 'EdgeCnn.Runtime.Tests.Quantized.Qs8Conv2DTests'
# The publish takes the shared build lock ${EDGECNN_BUILD_LOCK:-/tmp/edgecnn-build.lock} (set EDGECNN_BUILD_LOCK=
# to skip it); do not run this script inside flock on the same file, it would wait for itself.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib/xunit-tally.sh
source "$repo/scripts/lib/xunit-tally.sh"
cd "$repo"

arm64_runtime=10.0.12
# EDGECNN_ARM64_ARTIFACTS gives a run its own publish folder (engineers sharing one checkout would otherwise
# replace each other's executable mid-run). It must lie inside the checkout: the tests find tests/data from
# their own folder upwards.
artifacts="$(realpath -m "${EDGECNN_ARM64_ARTIFACTS:-$repo/.cache/arm64/artifacts}")"
case "$artifacts" in
  "$(realpath "$repo")"/*) ;;
  *) echo "test-arm64: EDGECNN_ARM64_ARTIFACTS=$artifacts is outside the checkout $repo" >&2; echo "0 passed, 1 failed, 0 skipped"; exit 1 ;;
esac

usage="usage: bash scripts/test-arm64.sh [--no-build] [--results DIR] [--runs a72,a76,scalar] [--projects Runtime,Device,Hardware] [-- RUNNER-OPTIONS...]"
build=1
results="$repo/test-results"
runs="a72,a76,scalar"
projects="Runtime,Device,Hardware"
runner_filter=()
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) build=0 ;;
    --results) shift; results="${1:?--results needs a directory}" ;;
    --runs) shift; runs="${1:?--runs needs a list}" ;;
    --projects) shift; projects="${1:?--projects needs a list}" ;;
    --) shift; runner_filter=("$@"); break ;;
    *) echo "$usage" >&2; exit 2 ;;
  esac
  shift
done

log() { echo "test-arm64: $*"; }

# Tests of PROJECT that cannot pass under qemu-user, as runner options added to the default filter.
# qemu-user forwards only the ioctls it knows and fails the others with ENOSYS: the V4L2 requests the camera
# interop tests send to ordinary files get ENOSYS instead of the kernel's ENOTTY (the fake-driver camera tests
# still run). On a board these tests pass; natively they run in scripts/test.sh.
qemu_exclusions() {
  case "$1" in
    Hardware)
      echo "-method-"; echo "EdgeCnn.Hardware.Tests.Camera.LinuxInteropTests.A_file_that_is_not_a_v4l2_device_fails_querycap_with_ENOTTY_and_is_closed"
      echo "-method-"; echo "EdgeCnn.Hardware.Tests.Camera.LinuxInteropTests.Poll_reports_a_regular_file_readable_and_ioctl_sets_errno" ;;
  esac
}

# The runs each project takes under QEMU.
project_runs() {
  case "$1" in
    Runtime) echo "a72,a76,scalar" ;;
    Device|Hardware) echo "a72" ;;
    *) return 1 ;;
  esac
}

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

bash scripts/arm64-setup.sh

default_filter=0
if [ "${#runner_filter[@]}" -eq 0 ]; then
  default_filter=1
  runner_filter=(-trait- "Requires=OnnxRuntime")
fi

mkdir -p "$results"

passed=0 failed=0 skipped=0 problems=0

# publish NAME: publishes tests/NAME for linux-arm64 unless --no-build finds it published; returns non-zero (after
# saying why) when the publish failed or picked another runtime pack than the pin.
publish() {
  local name="$1" dir="$artifacts/publish/$1/release_linux-arm64"
  if [ "$build" -eq 1 ] || [ ! -x "$dir/$name" ]; then
    log "publishing $name for linux-arm64 (self-contained, runtime $arm64_runtime)"
    # A separate artifacts path keeps this restore (with a RuntimeIdentifier) out of the projects' own obj/
    # folders, which the x64 build uses.
    local cmd=(dotnet publish "tests/$name/$name.csproj" -c Release -r linux-arm64 --self-contained
      "-p:RuntimeFrameworkVersion=$arm64_runtime" --artifacts-path "$artifacts" -nologo -v q -clp:NoSummary)
    local lock="${EDGECNN_BUILD_LOCK-/tmp/edgecnn-build.lock}"
    if [ -n "$lock" ] && command -v flock >/dev/null 2>&1; then cmd=(flock "$lock" "${cmd[@]}"); fi
    local publish_log
    publish_log="$(mktemp)"
    if ! "${cmd[@]}" >"$publish_log" 2>&1; then
      grep -E "error" "$publish_log" | sort -u | head -50 || cat "$publish_log"
      rm -f "$publish_log"
      log "publishing $name failed"
      return 1
    fi
    rm -f "$publish_log"
  fi
  # The pin is what the board runs: a publish that picked another runtime pack is an error, not a warning.
  if ! grep -q "\"runtimepack.Microsoft.NETCore.App.Runtime.linux-arm64/$arm64_runtime\"" "$dir/$name.deps.json"; then
    log "$dir/$name.deps.json does not name runtime pack Microsoft.NETCore.App.Runtime.linux-arm64 $arm64_runtime"
    return 1
  fi
}

IFS=',' read -r -a project_list <<<"$projects"
IFS=',' read -r -a run_list <<<"$runs"
for run in "${run_list[@]}"; do
  case "$run" in
    a72|a76|scalar) ;;
    *) log "unknown run '$run' (a72, a76, scalar)"; problems=$((problems + 1)) ;;
  esac
done
for short in "${project_list[@]}"; do
  if ! own_runs=$(project_runs "$short"); then
    log "unknown project '$short' (Runtime, Device, Hardware)"
    problems=$((problems + 1))
    continue
  fi
  name="EdgeCnn.$short.Tests"
  selected=()
  for run in "${run_list[@]}"; do
    [[ ",$own_runs," == *",$run,"* ]] && selected+=("$run")
  done
  [ "${#selected[@]}" -gt 0 ] || continue
  if ! publish "$name"; then
    problems=$((problems + 1))
    continue
  fi
  publish_dir="$artifacts/publish/$name/release_linux-arm64"
  filter=("${runner_filter[@]}")
  if [ "$default_filter" -eq 1 ]; then
    mapfile -t exclusions < <(qemu_exclusions "$short")
    filter+=("${exclusions[@]}")
  fi
  for run in "${selected[@]}"; do
    case "$run" in
      a72) cpu=cortex-a72 expect=AdvSimd hw=1 ;;
      a76) cpu=cortex-a76 expect=AdvSimdDp hw=1 ;;
      scalar) cpu=cortex-a76 expect=Reference hw=0 ;;
    esac
    label="$name (arm64 $run: -cpu $cpu, expects $expect)"
    xml="$results/$name.arm64-$run.xml"
    out="$results/$name.arm64-$run.log"
    rm -f "$xml"
    start=$SECONDS
    status=0
    # QEMU_LD_PREFIX=/ finds the multiarch arm64 libraries; without DOTNET_EnableWriteXorExecute=0 the JIT
    # crashes intermittently under QEMU. A hung run is stopped rather than holding CI to its limit.
    (cd "$publish_dir" && QEMU_LD_PREFIX=/ DOTNET_EnableWriteXorExecute=0 DOTNET_EnableHWIntrinsic=$hw \
      EDGECNN_EXPECT_KERNEL_PATH=$expect timeout 30m qemu-aarch64-static -cpu "$cpu" "./$name" \
      -noLogo -noColor -xml "$xml" "${filter[@]}") </dev/null >"$out" 2>&1 || status=$?
    tally_run "$label" "$xml" "$out" "$status" "$start"
  done
done

failed=$((failed + problems))
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
