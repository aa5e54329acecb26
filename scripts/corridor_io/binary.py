"""Finding the corridor binary and running it: the one place scripts and tests call it from.

The binary is, in this order: the path a script was given (`--binary PATH`, `add_option`),
the environment variable CORRIDOR_BIN, the repository's build/corridor (what scripts/build
writes), the first `corridor` on PATH. A path given explicitly must exist: it never falls
through to the next candidate, so a typo is an error rather than a silent other binary.

    from corridor_io import binary
    exe = binary.find()                                   # Path, or BinaryError saying what was tried
    binary.run("scenarios/defaults.yaml", "out.h5", "--set", "corridor.scale=0.01")
    declared = binary.params("corridor")                  # `corridor params corridor --json`, parsed
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from .repository import BUILT_BINARY, ROOT

ENV = "CORRIDOR_BIN"


class BinaryError(Exception):
    """No usable binary was found, or a command of it failed (the message says which and why)."""


class CommandFailed(BinaryError):
    """A command of the binary exited non-zero; `returncode`, `stdout` and `stderr` are its."""

    def __init__(self, cmd: list[str], proc: subprocess.CompletedProcess):
        self.cmd, self.returncode, self.stdout, self.stderr = cmd, proc.returncode, proc.stdout, proc.stderr
        super().__init__(f"{' '.join(cmd)} exited {proc.returncode}:\n{proc.stderr}")


def _usable(path: Path, what: str) -> Path:
    if not path.is_file() or not os.access(path, os.X_OK):
        raise BinaryError(f"{what}{path}: no corridor executable there (build it first: scripts/build)")
    return path.absolute()  # commands run from the repository root: a relative path must not move


def find(explicit=None) -> Path:
    """The binary to use, as an absolute path (see the module's docstring for the order)."""
    if explicit:
        return _usable(Path(explicit), "")
    from_env = os.environ.get(ENV)
    if from_env:
        return _usable(Path(from_env), f"${ENV}=")
    if BUILT_BINARY.is_file():
        return _usable(BUILT_BINARY, "")
    on_path = shutil.which("corridor")
    if on_path:
        return Path(on_path).absolute()
    raise BinaryError(f"no corridor binary: none given (--binary PATH), ${ENV} not set, no {BUILT_BINARY} "
                      "(build it: scripts/build) and none on PATH")


def call(args, binary=None, *, check: bool = True, cwd=ROOT, timeout=None, env=None) -> subprocess.CompletedProcess:
    """Runs `BINARY ARGS...` from `cwd` (default the repository root, against which relative
    scenario paths resolve), capturing its output as text; with check, a non-zero exit raises
    CommandFailed."""
    cmd = [str(find(binary)), *map(str, args)]
    p = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, timeout=timeout, env=env)
    if check and p.returncode != 0:
        raise CommandFailed(cmd, p)
    return p


def run(scenario, out, *args, binary=None, quiet: bool = True, **kw) -> subprocess.CompletedProcess:
    """`corridor run SCENARIO [--quiet] ARGS... [--out OUT]` (no --out when `out` is None); keyword
    arguments as for call()."""
    cmd = ["run", scenario, *(["--quiet"] if quiet else []), *args, *([] if out is None else ["--out", out])]
    return call(cmd, binary, **kw)


def params(model: str, binary=None) -> dict:
    """The model's declared parameters, `corridor params MODEL --json` parsed:
    {"model", "section", "parameters": [{"key", "kind", "default", "default_text", "unit", "range",
    "min", "max", "source"}, ...]} (docs/cli.md; corridor_io.parameters reads it)."""
    out = call(["params", model, "--json"], binary, timeout=60).stdout
    try:
        return json.loads(out)
    except json.JSONDecodeError:  # a model without a declared table answers in words
        raise BinaryError(f"`corridor params {model} --json` printed no JSON: {out.strip()}") from None


def version(binary=None) -> str:
    """What `corridor --version` prints (the version and the commit the binary was built from)."""
    return call(["--version"], binary, timeout=60).stdout.strip()


class _Deprecated(argparse.Action):
    def __call__(self, parser, namespace, values, option_string=None):
        print(f"{parser.prog}: {option_string} is deprecated; use --binary", file=sys.stderr)
        setattr(namespace, self.dest, values)


def add_option(parser: argparse.ArgumentParser, deprecated=()) -> None:
    """Adds `--binary PATH` (dest `binary`, default None: find() then looks further), and each
    old spelling in `deprecated` as a hidden alias that warns."""
    parser.add_argument("--binary", metavar="PATH", type=Path, default=None,
                        help=f"the corridor binary (default: ${ENV}, else build/corridor, else corridor on PATH)")
    for old in deprecated:
        parser.add_argument(old, dest="binary", metavar="PATH", type=Path, action=_Deprecated,
                            help=argparse.SUPPRESS)
