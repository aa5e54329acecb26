#!/usr/bin/env -S /usr/bin/python3
"""Write the corridor model's parameter table into docs/model.md.

    scripts/update_model_docs.py [CORRIDOR_BIN] [--check]

Replaces everything between the lines `<!-- params:begin -->` and `<!-- params:end -->` of
docs/model.md with the output of `CORRIDOR_BIN params corridor`, the table the binary builds
from the parameter declarations of the modules in models/corridor/. The binary is the
argument, else the environment variable CORRIDOR_BIN, else build/corridor.

Run it after changing a declaration (default, unit, range or source), and commit
docs/model.md with the change; tests/python/test_model_docs.py fails while they disagree.
--check writes nothing and exits 1 if the file would change. Exits 2 if the binary cannot
be run or the markers are missing.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "model.md"
BEGIN = "<!-- params:begin -->"
END = "<!-- params:end -->"


class DocError(Exception):
    pass


def table_from_binary(binary: Path) -> str:
    """The Markdown table printed by `binary params corridor`."""
    try:
        p = subprocess.run([str(binary), "params", "corridor"], capture_output=True, text=True, timeout=60)
    except OSError as e:
        raise DocError(f"cannot run {binary}: {e}") from None
    if p.returncode != 0:
        raise DocError(f"{binary} params corridor exited {p.returncode}: {p.stderr.strip()}")
    return p.stdout


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
    ap.add_argument("binary", nargs="?", help="the corridor binary (default: $CORRIDOR_BIN, else build/corridor)")
    ap.add_argument("--check", action="store_true", help="write nothing; exit 1 if docs/model.md is out of date")
    args = ap.parse_args(argv)
    binary = Path(args.binary or os.environ.get("CORRIDOR_BIN") or ROOT / "build" / "corridor")
    try:
        text = DOC.read_text(encoding="utf-8")
        new = replaced(text, table_from_binary(binary))
    except (DocError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    if new == text:
        print(f"{DOC.relative_to(ROOT)}: parameter table up to date")
        return 0
    if args.check:
        print(f"{DOC.relative_to(ROOT)}: parameter table differs from `{binary} params corridor`; "
              "run scripts/update_model_docs.py", file=sys.stderr)
        return 1
    DOC.write_text(new, encoding="utf-8")
    print(f"{DOC.relative_to(ROOT)}: parameter table updated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
