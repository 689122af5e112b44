#!/usr/bin/env bash
# Regenerates tests/data/golden (see its README.md): on x64 only, builds the CLI and the runtime tests (Release,
# under the shared build lock), writes each case's model.ecnn with the edgecnn command, then runs
# GoldenOutputTests with EDGECNN_GOLDEN_WRITE=1, which writes a seeded input.bin and the reference kernels'
# output.bin after checking that every kernel path of this machine agrees with it.
# Run it after a change to the model format, the quantizer or a model, and commit the files it changes.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

[ "$(uname -m)" = x86_64 ] || { echo "make-golden: golden outputs are made on x64; this is $(uname -m)" >&2; exit 1; }

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
lock="${EDGECNN_BUILD_LOCK-/tmp/edgecnn-build.lock}"
build() {
  local cmd=(dotnet build "$1" -c Release -nologo -v q -clp:NoSummary)
  if [ -n "$lock" ] && command -v flock >/dev/null 2>&1; then cmd=(flock "$lock" "${cmd[@]}"); fi
  "${cmd[@]}" >/dev/null || { echo "make-golden: building $1 failed" >&2; exit 1; }
}
build tools/EdgeCnn.Cli/EdgeCnn.Cli.csproj
build tests/EdgeCnn.Runtime.Tests/EdgeCnn.Runtime.Tests.csproj

edgecnn=tools/EdgeCnn.Cli/bin/Release/net10.0/edgecnn
tests=tests/EdgeCnn.Runtime.Tests/bin/Release/net10.0/EdgeCnn.Runtime.Tests
golden=tests/data/golden
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Calibration pictures: the default model's ten samples (grayscale; replicated to 3 channels for SE-ResNet-20)
# and the four text-line crops, all scaled to 0..1 as the seeded golden inputs are.
calibration=(models/fashion-mnist/samples tests/data/text)

mkdir -p "$golden/fashion-mnist-int8" "$golden/se-resnet20-int8" "$golden/se-resnet20-f32" "$golden/lenet5-int8"
"$edgecnn" quantize models/fashion-mnist/fashion-mnist-dwsep.onnx -c models/fashion-mnist/samples \
  -o "$golden/fashion-mnist-int8/model.ecnn" >/dev/null
"$edgecnn" zoo export se-resnet20 --width 0.25 --seed 20250301 -o "$work/se-resnet20.onnx" >/dev/null
"$edgecnn" quantize "$work/se-resnet20.onnx" -c "${calibration[@]}" -o "$golden/se-resnet20-int8/model.ecnn" >/dev/null
"$edgecnn" compile "$work/se-resnet20.onnx" -o "$golden/se-resnet20-f32/model.ecnn" >/dev/null
"$edgecnn" zoo export lenet5 --seed 20250301 -o "$work/lenet5.onnx" >/dev/null
"$edgecnn" quantize "$work/lenet5.onnx" -c "${calibration[@]}" -o "$golden/lenet5-int8/model.ecnn" >/dev/null

EDGECNN_GOLDEN_WRITE=1 "$tests" -noLogo -noColor -class EdgeCnn.Runtime.Tests.Golden.GoldenOutputTests </dev/null \
  | grep -E "FAIL|Total:" || true
git status --short -- "$golden"
ls -l "$golden"/*/
