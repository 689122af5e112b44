#!/usr/bin/env python3
"""Converts 8-bit non-interlaced PNG files to float32 .npy tensors [1, 1, H, W] with pixel / 255, the Fashion-MNIST
preprocessing of `edgecnn run` (color becomes BT.601 luma with the integer rounding docs/preprocessing.md gives).
No resizing: the picture must already have the model's size. Standard library only (zlib), so the deploy check needs
no Python packages. Usage: png-to-npy.py OUT_DIR FILE.png...
"""
import struct
import sys
import zlib
from pathlib import Path

CHANNELS = {0: 1, 2: 3, 4: 2, 6: 4}


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def decode(path):
    data = path.read_bytes()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise SystemExit(f"{path}: not a PNG file")
    pos, idat, header = 8, bytearray(), None
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
        pos += 12 + length
    if header is None:
        raise SystemExit(f"{path}: no IHDR chunk")
    width, height, depth, color, _, _, interlace = header
    if depth != 8 or color not in CHANNELS or interlace != 0:
        raise SystemExit(f"{path}: only 8-bit non-interlaced gray, gray+alpha, RGB or RGBA PNGs are supported")
    bpp = CHANNELS[color]
    raw = zlib.decompress(bytes(idat))
    stride = width * bpp
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            left = line[x - bpp] if x >= bpp else 0
            up = previous[x]
            up_left = previous[x - bpp] if x >= bpp else 0
            predictor = (0, left, up, (left + up) // 2, paeth(left, up, up_left))[kind]
            line[x] = (line[x] + predictor) & 0xFF
        rows.append(line)
        previous = line
    pixels = []
    for line in rows:
        for x in range(width):
            p = line[x * bpp:(x + 1) * bpp]
            # Alpha is dropped, as edgecnn does.
            pixels.append(p[0] if bpp <= 2 else (299 * p[0] + 587 * p[1] + 114 * p[2] + 500) // 1000)
    return height, width, pixels


def write_npy(path, height, width, pixels):
    header = "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, %d, %d), }" % (height, width)
    header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
    body = struct.pack("<%df" % len(pixels), *(v / 255.0 for v in pixels))
    path.write_bytes(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode("latin1") + body)


def main():
    if len(sys.argv) < 3:
        raise SystemExit("usage: png-to-npy.py OUT_DIR FILE.png...")
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    for name in sys.argv[2:]:
        source = Path(name)
        height, width, pixels = decode(source)
        write_npy(out / (source.stem + ".npy"), height, width, pixels)


main()
