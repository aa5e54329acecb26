"""Where the corridor repository is: scripts read its data and scenarios from here, and look
for the binary it builds (corridor_io.binary)."""
from __future__ import annotations

from pathlib import Path

#: the repository's root: this file is scripts/corridor_io/repository.py.
ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
SCENARIOS = ROOT / "scenarios"
#: where scripts/build puts the binary.
BUILT_BINARY = ROOT / "build" / "corridor"
