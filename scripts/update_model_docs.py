#!/usr/bin/env -S /usr/bin/python3
"""Write the corridor model's parameter table into docs/model.md.

    scripts/update_model_docs.py [--binary PATH] [--check]

Replaces everything between the lines `<!-- params:begin -->` and `<!-- params:end -->` of
docs/model.md with the output of `corridor params corridor`, the table the binary builds
from the parameter declarations of the modules in models/corridor/. The binary is --binary,
else the environment variable CORRIDOR_BIN, else build/corridor, else `corridor` on PATH
(corridor_io.binary).

Run it after changing a declaration (default, unit, range or source), and commit
docs/model.md with the change; tests/python/test_model_docs.py fails while they disagree.
--check writes nothing and exits 1 if the file would change. Exits 2 if the binary cannot
be run or the markers are missing.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from corridor_io import binary
from corridor_io.repository import ROOT

DOC = ROOT / "docs" / "model.md"
BEGIN = "<!-- params:begin -->"
END = "<!-- params:end -->"


class DocError(Exception):
    pass


def table_from_binary(exe=None) -> str:
    """The Markdown table printed by `corridor params corridor` (exe: as for binary.find)."""
    try:
        return binary.call(["params", "corridor"], exe, timeout=60).stdout
    except OSError as e:
        raise DocError(f"cannot run {exe}: {e}") from None
    except binary.BinaryError as e:
        raise DocError(str(e).strip()) from None


def split(text: str) -> tuple[str, str, str]:
    """(before and including the begin marker line, the block, from the end marker line on)."""
    if text.count(BEGIN) != 1 or text.count(END) != 1:
        raise DocError(f"{DOC}: expected exactly one '{BEGIN}' and one '{END}' line")
    head, rest = text.split(BEGIN, 1)
    block, tail = rest.split(END, 1)
    if not block.startswith("\n"):
        raise DocError(f"{DOC}: '{BEGIN}' must end its line")
    return head + BEGIN + "\n", block[1:], END + tail


def replaced(text: str, table: str) -> str:
    head, _, tail = split(text)
    if not table.endswith("\n"):
        table += "\n"
    return head + table + tail


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    binary.add_option(ap)
    # The binary was once a positional argument: still accepted, no longer documented.
    ap.add_argument("old_binary", nargs="?", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--check", action="store_true", help="write nothing; exit 1 if docs/model.md is out of date")
    args = ap.parse_args(argv)
    if args.old_binary is not None:
        if args.binary is not None:
            ap.error("give the binary once, with --binary")
        print(f"{ap.prog}: the binary as a positional argument is deprecated; use --binary", file=sys.stderr)
    exe = args.binary or args.old_binary
    try:
        text = DOC.read_text(encoding="utf-8")
        new = replaced(text, table_from_binary(exe))
    except (DocError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    if new == text:
        print(f"{DOC.relative_to(ROOT)}: parameter table up to date")
        return 0
    if args.check:
        print(f"{DOC.relative_to(ROOT)}: parameter table differs from `{binary.find(exe)} params corridor`; "
              "run scripts/update_model_docs.py", file=sys.stderr)
        return 1
    DOC.write_text(new, encoding="utf-8")
    print(f"{DOC.relative_to(ROOT)}: parameter table updated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
