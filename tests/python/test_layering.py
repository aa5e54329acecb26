"""The layers of docs/architecture.md hold: the engine (sim/) never includes a header of the
models (models/), and no code outside models/registry.cpp tells models apart by name.

The build keeps the libraries apart (corridor_engine links nothing of corridor_models); this
test catches the include that would still compile because both share one include root.
"""
from __future__ import annotations

import re
import sys
import unittest

import harness

MODEL_NAMES = ("corridor", "flee", "markov")
SOURCES = ("*.cpp", "*.hpp")


def files(root):
    for pattern in SOURCES:
        yield from sorted((harness.SOURCE / root).rglob(pattern))


class Layering(unittest.TestCase):
    def test_the_engine_includes_no_model_header(self):
        offenders = [f"{p.relative_to(harness.SOURCE)}:{n}: {line.strip()}"
                     for p in files("sim")
                     for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
                     if re.match(r'\s*#\s*include\s+[<"]models/', line)]
        self.assertEqual(offenders, [], "sim/ must not include models/ (docs/architecture.md)")

    def test_no_code_compares_a_model_name_outside_the_registry(self):
        names = "|".join(MODEL_NAMES)
        pattern = re.compile(rf'(==|!=)\s*"({names})"|"({names})"\s*(==|!=)')
        offenders = []
        for root in ("sim", "models", "app"):
            for p in files(root):
                if p.relative_to(harness.SOURCE).as_posix() == "models/registry.cpp":
                    continue
                for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
                    if pattern.search(line):
                        offenders.append(f"{p.relative_to(harness.SOURCE)}:{n}: {line.strip()}")
        self.assertEqual(offenders, [], "only models/registry.cpp may name models")

    def test_the_command_line_names_no_model(self):
        # sim/cli asks the registry: no model's name appears in it as a string literal.
        names = "|".join(MODEL_NAMES)
        offenders = [f"{p.relative_to(harness.SOURCE)}:{n}: {line.strip()}"
                     for p in files("sim/cli")
                     for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
                     if re.search(rf'"({names})"', line)]
        self.assertEqual(offenders, [], "sim/cli must take model names from the registry")


if __name__ == "__main__":
    result = unittest.main(verbosity=2, exit=False).result
    sys.exit(0 if result.wasSuccessful() else 1)
