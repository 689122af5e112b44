#!/usr/bin/env bash
# Reproduces the model table of docs/performance.md: exports the zoo models, quantizes them and the PaddleOCR models,
# then runs `edgecnn bench --json` on each (EdgeCnn fp32 and int8 on every kernel path, ONNX Runtime fp32 and int8
# QDQ where the QDQ export exists; a per-op profile of int8 on the best path), one JSON file per run in OUT/results.
#   bash scripts/bench-models.sh [--out DIR] [--cli PATH] [--runs N] [--det-runs N] [--warmup N]
#   --out DIR      working folder (default: /tmp/edgecnn-perf); models are made once and reused
#   --cli PATH     an edgecnn executable (default: publish tools/EdgeCnn.Cli in Release into OUT/cli first)
#   --runs N       timed runs per engine for the classifiers (default 20); --det-runs N for the detector (default 5)
#   --warmup N     untimed runs per engine first (default 30: .NET compiles a method optimized after 30 calls, and
#                  code that runs once per inference is only that warm after 30 inferences; the detector takes 5)
# Needs the PaddleOCR models (scripts/fetch-test-data.sh) and shared/data/text-orientation-dev for calibration images.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out=/tmp/edgecnn-perf cli="" runs=20 det_runs=5 warmup=30
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --cli) cli="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --det-runs) det_runs="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    *) echo "usage: bash scripts/bench-models.sh [--out DIR] [--cli PATH] [--runs N] [--det-runs N] [--warmup N]" >&2; exit 2 ;;
  esac
done

ocr="${EDGECNN_OCR_MODELS:-$repo/.cache/test-data/ocr-models/package/assets}"
images="${EDGECNN_SHARED_DATA:-$repo/../shared/data}/text-orientation-dev/0"
[ -f "$ocr/ch_PP-OCRv4_det_infer.onnx" ] || { echo "bench-models: PaddleOCR models missing in $ocr; run scripts/fetch-test-data.sh" >&2; exit 1; }
[ -d "$images" ] || { echo "bench-models: calibration images missing: $images (set EDGECNN_SHARED_DATA)" >&2; exit 1; }

mkdir -p "$out/models" "$out/calibration" "$out/results"
if [ -z "$cli" ]; then
  dotnet publish "$repo/tools/EdgeCnn.Cli/EdgeCnn.Cli.csproj" -c Release -o "$out/cli" -v q -nologo
  cli="$out/cli/edgecnn"
fi

# Eight text-line images: the benchmark times inference, so calibration only has to give sensible ranges.
for i in 0000 0001 0002 0003 0004 0005 0006 0007; do [ -f "$out/calibration/$i.png" ] || cp "$images/$i.png" "$out/calibration/"; done

m="$out/models"
for name in mobilenet-v1 mobilenet-v2 shufflenet-v2; do
  [ -f "$m/$name.onnx" ] || "$cli" zoo export "$name" -o "$m/$name.onnx" >/dev/null
done
[ -f "$m/det.onnx" ] || cp "$ocr/ch_PP-OCRv4_det_infer.onnx" "$m/det.onnx"
[ -f "$m/cls.onnx" ] || cp "$ocr/ch_ppocr_mobile_v2.0_cls_infer.onnx" "$m/cls.onnx"

# MODEL EXTRA-QUANTIZE-OPTIONS...: writes MODEL.int8.ecnn, and MODEL.qdq.onnx when the QDQ export can write the graph.
quantize() {
  local name="$1"; shift
  [ -f "$m/$name.int8.ecnn" ] && return 0
  if ! "$cli" quantize "$m/$name.onnx" -c "$out/calibration" "$@" -o "$m/$name.int8.ecnn" --emit-qdq "$m/$name.qdq.onnx" >/dev/null; then
    echo "bench-models: $name: no QDQ export (see the error above); quantizing without it, ONNX Runtime int8 is skipped" >&2
    "$cli" quantize "$m/$name.onnx" -c "$out/calibration" "$@" -o "$m/$name.int8.ecnn" >/dev/null
  fi
}
quantize mobilenet-v1 --preset imagenet
quantize mobilenet-v2 --preset imagenet
quantize shufflenet-v2 --preset imagenet
quantize cls --input-shape x=1,3,48,192 --preset paddle-cls
quantize det --input-shape x=1,3,640,640 --size 640x640 --mean 0.485,0.456,0.406 --std 0.229,0.224,0.225 --bgr

# NAME RUNS WARMUP PATHS SHAPE...: fp32 (the .onnx compiled in memory, next to ONNX Runtime fp32) and int8 (.ecnn, next to
# ONNX Runtime fp32 and int8), so every ratio comes from one process run; engines take turns run by run (--interleave)
# because the machines this runs on are shared and their load changes during a run.
bench() {
  local name="$1" n="$2" w="$3" paths="$4"; shift 4
  local qdq=()
  [ -f "$m/$name.qdq.onnx" ] && qdq=(--qdq "$m/$name.qdq.onnx")
  local kernel=()
  for p in $paths; do kernel+=(--kernel-path "$p"); done
  echo "bench-models: $name fp32 ($(uptime | sed 's/.*load average/load average/'))"
  "$cli" bench "$m/$name.onnx" "$@" "${kernel[@]}" --runs "$n" --warmup "$w" --interleave --compare-ort --json >"$out/results/$name.fp32.json"
  echo "bench-models: $name int8 ($(uptime | sed 's/.*load average/load average/'))"
  "$cli" bench "$m/$name.int8.ecnn" "${kernel[@]}" --runs "$n" --warmup "$w" --interleave --compare-ort --onnx "$m/$name.onnx" "${qdq[@]}" --json >"$out/results/$name.int8.json"
  # Where the int8 time goes on the machine's best path (separate observed runs; see docs/performance.md).
  "$cli" bench "$m/$name.int8.ecnn" --runs 5 --warmup "$w" --profile --json >"$out/results/$name.int8.profile.json"
}
bench mobilenet-v1 "$runs" "$warmup" all
bench mobilenet-v2 "$runs" "$warmup" all
bench shufflenet-v2 "$runs" "$warmup" all
bench cls "$runs" "$warmup" all --input-shape x=1,3,48,192
# The scalar reference needs tens of seconds per 640x640 detection; the detector runs the vector paths only.
vector_paths=$("$cli" bench "$m/cls.int8.ecnn" --runs 1 --warmup 0 --kernel-path all --json \
  | grep -o '"kernelPath": "[A-Za-z0-9]*"' | grep -v Reference | sed 's/.*: "\(.*\)"/\1/' | tr 'A-Z' 'a-z' | tr '\n' ' ')
bench det "$det_runs" 5 "$vector_paths" --input-shape x=1,3,640,640
echo "bench-models: results in $out/results"
