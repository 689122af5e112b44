#!/usr/bin/env python3
"""Checks what edgecnn-device printed for a golden case (tests/data/golden/NAME) against the case's output.bin.

Usage: golden-compare.py RESULT.jsonl GOLDEN_DIR (--exact | --tolerance REL) [--expect-path PATH]

RESULT.jsonl is the app's standard output for `edgecnn-device GOLDEN_DIR/model.ecnn GOLDEN_DIR/input.bin --outputs`:
the model line, then one result line with every output value. --exact demands the golden float32 bytes (int8 models:
integer kernels agree on every ISA), --tolerance REL allows |expected - actual| <= REL * (1 + |expected|) as
GoldenOutputTests does for float32 models. --expect-path checks the kernel path the session selected, so a run
that fell back to slower code fails. Exits 0 when everything matches, 1 with the reasons on standard error.
"""

import json
import math
import struct
import sys
from fractions import Fraction


class Number(str):
    """A JSON number's text as written (JSON strings stay plain str: the app writes NaN and infinities as strings)."""


def fail(message):
    print(message, file=sys.stderr)
    sys.exit(1)


def float32_key(value):
    """The float32's position on the number line: consecutive float32 values have consecutive keys."""
    bits = struct.unpack("<I", struct.pack("<f", value))[0]
    return -(bits & 0x7FFFFFFF) if bits & 0x80000000 else bits


def float32_at(key):
    bits = (-key) | 0x80000000 if key < 0 else key
    return struct.unpack("<f", struct.pack("<I", bits))[0]


def is_float32_of(text, expected):
    """True when the decimal TEXT (as the app printed it) reads back as exactly the float32 EXPECTED, sign included.

    The text is compared exactly (as a fraction): EXPECTED must be the float32 nearest to it, which is what a correct
    float32 parser returns. Going through a double first could round twice and accept or reject the wrong value.
    """
    if not isinstance(text, Number) or not math.isfinite(expected):
        # Non-finite values are printed as strings (JSON has no NaN or infinity).
        if isinstance(text, Number):
            return False
        if math.isnan(expected):
            return text == "NaN"
        return text == ("Infinity" if expected > 0 else "-Infinity")
    if text.startswith("-") != (math.copysign(1.0, expected) < 0):
        return False
    exact = Fraction(text)
    distance = abs(exact - Fraction(expected))
    key = float32_key(expected)
    for neighbour_key in (key - 1, key + 1):
        neighbour = float32_at(neighbour_key)
        if math.isfinite(neighbour) and abs(exact - Fraction(neighbour)) < distance:
            return False
    return True


def main(argv):
    if len(argv) < 3:
        fail(__doc__.strip().splitlines()[2])
    result_path, golden = argv[1], argv[2]
    exact, tolerance, expect_path = False, None, None
    i = 3
    while i < len(argv):
        if argv[i] == "--exact":
            exact = True
        elif argv[i] == "--tolerance" and i + 1 < len(argv):
            i += 1
            tolerance = float(argv[i])
        elif argv[i] == "--expect-path" and i + 1 < len(argv):
            i += 1
            expect_path = argv[i]
        else:
            fail(f"golden-compare: unknown argument '{argv[i]}'")
        i += 1
    if exact == (tolerance is not None):
        fail("golden-compare: give exactly one of --exact and --tolerance REL")

    with open(result_path, encoding="utf-8") as f:
        lines = [line for line in f.read().splitlines() if line.strip()]
    if len(lines) != 2:
        fail(f"{result_path}: expected the model line and one result line, got {len(lines)} line(s)")
    try:
        model_line = json.loads(lines[0])
        # The exact decimal text of each number, so no double rounding hides or invents a difference.
        result_line = json.loads(lines[1], parse_float=Number, parse_int=Number)
    except json.JSONDecodeError as e:
        fail(f"{result_path}: not JSON lines ({e})")
    if expect_path is not None and model_line.get("kernelPath") != expect_path:
        fail(f"{result_path}: the session selected kernel path {model_line.get('kernelPath')!r}, expected {expect_path!r} "
             f"(cpu: {model_line.get('cpu')!r})")
    actual = result_line.get("outputs")
    if not isinstance(actual, list):
        fail(f"{result_path}: the result line has no 'outputs' array")

    output_path = f"{golden}/output.bin"
    with open(output_path, "rb") as f:
        data = f.read()
    if len(data) % 4 != 0:
        fail(f"{output_path}: {len(data)} bytes is not a whole number of float32 values")
    expected = struct.unpack(f"<{len(data) // 4}f", data)
    if len(actual) != len(expected):
        fail(f"{result_path}: {len(actual)} output values, {output_path} holds {len(expected)}")

    differing = []
    for index, (want, text) in enumerate(zip(expected, actual)):
        if exact:
            same = is_float32_of(text, want)
        else:
            got = float(text) if isinstance(text, Number) else math.nan
            same = math.isfinite(got) and abs(want - got) <= tolerance * (1 + abs(want))
        if not same:
            differing.append(f"[{index}] expected {want!r} got {text}")
    if differing:
        how = "in their float32 bytes" if exact else f"by more than {tolerance} relative"
        fail(f"{result_path}: {len(differing)} of {len(expected)} outputs differ from {output_path} {how}: "
             + "; ".join(differing[:5]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
