#!/usr/bin/env -S /usr/bin/python3
"""Print a summary of a corridor result file: attributes, network, series shapes, table sizes.

    scripts/result_summary.py RESULT.h5

Exits 2 with the reason if the file cannot be read as a complete result (corridor_io.load).
"""
from __future__ import annotations

import sys

import corridor_io


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1 or argv[0] in ("-h", "--help"):
        print("usage: result_summary.py RESULT.h5   (prints a summary of a corridor result file)", file=sys.stderr)
        return 0 if argv and argv[0] in ("-h", "--help") else 2
    try:
        print(corridor_io.load(argv[0]).summary())
    except corridor_io.ResultError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
