#!/usr/bin/env bash
# Publishes the device app (tools/EdgeCnn.Device, `edgecnn-device`) with NativeAOT for the board (linux-arm64,
# cross-compiled with clang and lld against Debian's arm64 multiarch libraries) and/or for linux-x64, into
# .cache/deploy/out/<rid>/ (a single executable, plus the default model and its labels to copy beside it).
#
#   bash deploy/publish-arm64.sh [--rid linux-arm64|linux-x64|all] [--self-contained] [--verify] [--out DIR] [--artifacts DIR]
#
#   --rid             what to publish (default linux-arm64)
#   --out DIR         where the published files go (default .cache/deploy/out); scripts/test-aot.sh gives its own
#   --artifacts DIR   the build's intermediate files (default .cache/deploy/artifacts), so runs sharing a checkout
#                     do not publish over each other
#   --self-contained  also publish the JIT build (self-contained and trimmed, not AOT) into .cache/deploy/out/<rid>-jit/, to compare sizes
#   --verify          run the AOT binaries on the default model (tests/data/golden/fashion-mnist-int8) and its ten
#                     sample pictures: natively for linux-x64, under qemu-aarch64-static as Cortex-A72 and Cortex-A76
#                     for linux-arm64; fails unless every run prints the same top-1 classes and, the model being
#                     int8, the same output values as the app's JIT build on this machine (an independent
#                     reference: another compiler, the kernels this CPU selects); needs python3 for the PNGs
#
# A publish fails on any warning, so a trimming or AOT warning in the runtime (or the app) stops it. The runtime
# pack and the ILCompiler are pinned to $dotnet_runtime (what the board runs, as scripts/test-arm64.sh pins).
# Installs what it needs with apt-get when missing (clang, lld, llvm; for arm64 the multiarch libc, zlib and libgcc
# development files; for --verify on arm64, qemu through scripts/arm64-setup.sh); touches no network otherwise.
# Each publish takes the shared build lock ${EDGECNN_BUILD_LOCK:-/tmp/edgecnn-build.lock} (EDGECNN_BUILD_LOCK= skips it).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

dotnet_runtime=10.0.12
project=tools/EdgeCnn.Device/EdgeCnn.Device.csproj
artifacts="$repo/.cache/deploy/artifacts"
out="$repo/.cache/deploy/out"

rids=(linux-arm64)
jit=0
verify=0
while [ $# -gt 0 ]; do
  case "$1" in
    --rid)
      shift
      case "${1:-}" in
        linux-arm64|linux-x64) rids=("$1") ;;
        all) rids=(linux-x64 linux-arm64) ;;
        *) echo "publish-arm64: --rid must be linux-arm64, linux-x64 or all" >&2; exit 2 ;;
      esac ;;
    --self-contained) jit=1 ;;
    --verify) verify=1 ;;
    --out) shift; out="$(realpath -m "${1:?--out needs a directory}")" ;;
    --artifacts) shift; artifacts="$(realpath -m "${1:?--artifacts needs a directory}")" ;;
    *) echo "usage: bash deploy/publish-arm64.sh [--rid linux-arm64|linux-x64|all] [--self-contained] [--verify] [--out DIR] [--artifacts DIR]" >&2; exit 2 ;;
  esac
  shift
done

log() { echo "publish-arm64: $*"; }
die() { echo "publish-arm64: error: $*" >&2; exit 1; }
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo -n "$@"
  else die "'$*' needs root (or passwordless sudo)"
  fi
}
installed() { [ "$(dpkg-query -W -f '${db:Status-Status}' "$1" 2>/dev/null || true)" = "installed" ]; }

# The linker needs the target's crtbeginS.o and libgcc from the same GCC major version as the host's libgcc-N-dev.
gcc_dev="$(dpkg-query -W -f '${db:Status-Status} ${Package}\n' 'libgcc-*-dev' 2>/dev/null | awk '$1 == "installed" { print $2; exit }')"
gcc_dev="${gcc_dev:-libgcc-12-dev}"
# With arm64 added to dpkg, a multiarch package (zlib1g-dev) needs its architecture to be queried unambiguously.
host_arch="$(dpkg --print-architecture)"
packages=(clang lld llvm "zlib1g-dev:$host_arch")
for rid in "${rids[@]}"; do
  [ "$rid" = linux-arm64 ] && packages+=(libc6-dev:arm64 zlib1g-dev:arm64 "$gcc_dev:arm64")
done
missing=()
for package in "${packages[@]}"; do installed "$package" || missing+=("$package"); done
if [ "${#missing[@]}" -gt 0 ]; then
  command -v apt-get >/dev/null 2>&1 || die "missing ${missing[*]} and apt-get is not available"
  if [[ " ${missing[*]} " == *":arm64 "* ]] && ! dpkg --print-foreign-architectures | grep -qx arm64; then
    log "adding the arm64 architecture to dpkg"
    as_root dpkg --add-architecture arm64
  fi
  log "installing Debian package(s): ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq </dev/null
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >/dev/null
fi

# publish RID MODE: MODE aot (NativeAOT) or jit (self-contained with the JIT). Prints the output folder.
publish() {
  local rid="$1" mode="$2" dest="$out/$1" args
  args=(dotnet publish "$project" -c Release -r "$rid" "-p:RuntimeFrameworkVersion=$dotnet_runtime"
    --artifacts-path "$artifacts/$mode" -nologo -v q -clp:NoSummary)
  if [ "$mode" = aot ]; then
    # lld links for either architecture; Debian's bfd ld only for the host.
    args+=(-p:LinkerFlavor=lld)
    # NativeAOT compiles x64 for a baseline without AVX2 (Avx2.IsSupported is then false and the Avx2 kernels never
    # run); the x64 build asks for x86-64-v3 (Haswell and later). ARM64 checks SDOT at run time by itself.
    [ "$rid" = linux-x64 ] && args+=(-p:IlcInstructionSet=x86-64-v3)
  else
    # Trimmed, so the comparison with AOT is fair and ILLink checks the runtime's trimming annotations too.
    args+=(--self-contained -p:PublishAot=false -p:PublishTrimmed=true)
    dest="$out/$rid-jit"
  fi
  local lock="${EDGECNN_BUILD_LOCK-/tmp/edgecnn-build.lock}"
  if [ -n "$lock" ] && command -v flock >/dev/null 2>&1; then args=(flock "$lock" "${args[@]}"); fi
  local publish_log
  publish_log="$(mktemp)"
  log "publishing edgecnn-device for $rid ($mode)" >&2
  if ! "${args[@]}" >"$publish_log" 2>&1; then
    grep -E "error|warning" "$publish_log" | sort -u | head -40 >&2 || cat "$publish_log" >&2
    rm -f "$publish_log"
    die "publish for $rid ($mode) failed"
  fi
  # TreatWarningsAsErrors already fails the build on compiler warnings; ILC's trimming and AOT analysis warnings
  # (IL2xxx, IL3xxx) are checked here as well, so the rule holds whatever the MSBuild defaults are.
  if grep -E "warning" "$publish_log" | sort -u | head -40 | grep . >&2; then
    rm -f "$publish_log"
    die "the $rid ($mode) publish printed warnings (above); the runtime and the device app must be trimming- and AOT-clean"
  fi
  rm -f "$publish_log"
  local built="$artifacts/$mode/publish/EdgeCnn.Device/release_$rid"
  rm -rf "$dest"
  mkdir -p "$dest"
  if [ "$mode" = aot ]; then
    # The executable alone is what the board needs; the .dbg symbols stay in the artifacts for crash analysis.
    cp "$built/edgecnn-device" "$dest/"
  else
    cp -r "$built/." "$dest/"
  fi
  cp tests/data/golden/fashion-mnist-int8/model.ecnn "$dest/fashion-mnist-int8.ecnn"
  cp models/fashion-mnist/labels.txt "$dest/labels.txt"
  echo "$dest"
}

for rid in "${rids[@]}"; do
  dest="$(publish "$rid" aot)"
  log "$rid AOT: $dest/edgecnn-device $(stat -c %s "$dest/edgecnn-device") bytes"
  if [ "$jit" -eq 1 ]; then
    dest="$(publish "$rid" jit)"
    log "$rid self-contained (JIT): $dest $(du -sb --exclude='*.ecnn' --exclude=labels.txt "$dest" | cut -f1) bytes in $(find "$dest" -type f | wc -l) files"
  fi
done

[ "$verify" -eq 1 ] || exit 0

command -v python3 >/dev/null 2>&1 || die "--verify needs python3 (to turn the sample PNGs into .npy tensors)"
work="$repo/.cache/deploy/verify"
rm -rf "$work"
mkdir -p "$work/samples"
python3 deploy/png-to-npy.py "$work/samples" models/fashion-mnist/samples/*.png
inputs=("$work"/samples/*.npy)

# Every result line without its timing: the classes and scores must match to the last digit across builds.
results() { "$@" "$out/$rid/fashion-mnist-int8.ecnn" "${inputs[@]}" --labels models/fashion-mnist/labels.txt --outputs \
  | tail -n +2 | sed -E 's/,"ms":[0-9.eE+-]+//; s#"input":"[^"]*/#"input":"#'; }

# The reference: the same app built for the JIT and run on this machine (a different compiler and code generator).
reference="$work/reference.jsonl"
lock="${EDGECNN_BUILD_LOCK-/tmp/edgecnn-build.lock}"
build=(dotnet build "$project" -c Release -nologo -v q -clp:NoSummary)
if [ -n "$lock" ] && command -v flock >/dev/null 2>&1; then build=(flock "$lock" "${build[@]}"); fi
"${build[@]}" >/dev/null || die "building $project failed"
rid="${rids[0]}" results "tools/EdgeCnn.Device/bin/Release/net10.0/edgecnn-device" >"$reference"
labels_ok=0
while IFS= read -r line; do
  name=$(sed -E 's/.*"input":"([0-9]+)-.*/\1/' <<<"$line")
  top1=$(sed -E 's/.*"top1":([0-9]+).*/\1/' <<<"$line")
  [ "$name" = "$top1" ] && labels_ok=$((labels_ok + 1))
done <"$reference"
log "reference: $labels_ok/${#inputs[@]} sample pictures classified as their true class"
[ "$labels_ok" -eq "${#inputs[@]}" ] || die "the reference build misclassified a sample picture ($reference)"

check() {
  local what="$1"; shift
  local got="$work/$what.jsonl"
  "$@" >"$got"
  if ! cmp -s "$reference" "$got"; then
    diff "$reference" "$got" | head -20 >&2
    die "$what: results differ from the reference (above)"
  fi
  log "$what: same top-1 and output values as the reference on ${#inputs[@]} pictures"
}
for rid in "${rids[@]}"; do
  case "$rid" in
    linux-x64) check "linux-x64 AOT" results "$out/linux-x64/edgecnn-device" ;;
    linux-arm64)
      bash scripts/arm64-setup.sh >&2
      for cpu in cortex-a72 cortex-a76; do
        check "linux-arm64 AOT under qemu $cpu" results env QEMU_LD_PREFIX=/ qemu-aarch64-static -cpu "$cpu" "$out/linux-arm64/edgecnn-device"
      done ;;
  esac
done
