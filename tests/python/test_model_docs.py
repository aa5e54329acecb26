#!/usr/bin/env -S /usr/bin/python3
"""docs/model.md stays true to the code.

- Its parameter table (between the params markers) is exactly what `corridor params corridor`
  prints from the modules' declarations in models/corridor/; scripts/update_model_docs.py
  rewrites it.
- Every `corridor.…` key the prose names is a declared key (or the one undeclared input,
  push_factors_table), so a renamed parameter cannot linger in the text.
- Every `docs/model.md §N.M` reference in models/corridor/ names a section that exists, and
  every mechanism section 3.3-3.8 is named by at least one source file.
- `corridor params` answers other models with a pointer and unknown ones with exit 2.
"""
import re
import subprocess
import sys
import unittest

import harness
import update_model_docs

DOC = harness.SOURCE / "docs" / "model.md"


def params(model):
    return subprocess.run([str(harness.BIN), "params", model], capture_output=True, text=True, timeout=60)


class ModelDocs(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.text = DOC.read_text(encoding="utf-8")
        cls.table = update_model_docs.table_from_binary(harness.BIN)

    def test_the_parameter_table_is_the_binarys(self):
        _, block, _ = update_model_docs.split(self.text)
        if block != self.table:
            import difflib
            diff = "".join(difflib.unified_diff(block.splitlines(True), self.table.splitlines(True),
                                                "docs/model.md", "corridor params corridor"))
            self.fail("docs/model.md's parameter table differs from `corridor params corridor`; run "
                      f"/usr/bin/python3 scripts/update_model_docs.py --binary build/corridor\n{diff}")

    def test_the_table_lists_every_mechanism_switch(self):
        for key in ("departures.enabled", "perception.enabled", "mexico.enabled", "us.title42.enabled",
                    "us.mpp.enabled", "aid.enabled"):
            self.assertIn(f"| `{key}` | true |", self.table)

    def test_keys_named_in_the_prose_are_declared(self):
        declared = set(re.findall(r"^\| `([^`]+)` \|", self.table, flags=re.M)) | {"push_factors_table"}
        _, _, tail = update_model_docs.split(self.text)
        head = self.text.split(update_model_docs.BEGIN)[0]
        named = set(re.findall(r"`corridor\.([a-z0-9_.]+)", head + tail))
        self.assertTrue(named, "the prose names no corridor.* key (did the pattern break?)")
        # A key may be named by its prefix (e.g. `corridor.departures.base_per_day`).
        unknown = sorted(k for k in named if k not in declared and not any(d.startswith(k + ".") for d in declared))
        self.assertEqual(unknown, [], "docs/model.md names keys that no module declares")

    def test_section_references_in_the_sources_exist(self):
        sections = set(re.findall(r"^#{2,3} (\d+(?:\.\d+)?) ", self.text, flags=re.M))
        referenced = {}
        for path in sorted((harness.SOURCE / "models" / "corridor").iterdir()):
            for ref in re.findall(r"docs/model\.md §(\d+(?:\.\d+)?)", path.read_text(encoding="utf-8")):
                referenced.setdefault(ref, []).append(path.name)
        self.assertTrue(referenced, "no source file names a docs/model.md section")
        missing = {ref: files for ref, files in referenced.items() if ref not in sections}
        self.assertEqual(missing, {}, "sources name sections that docs/model.md does not have")
        for mech in ("3.3", "3.4", "3.5", "3.6", "3.7", "3.8"):
            self.assertIn(mech, referenced, f"no file in models/corridor names docs/model.md §{mech}")

    def test_every_model_lists_its_keys(self):
        # The registry carries each model's declared table: `corridor params NAME` works for all.
        p = params("markov")
        self.assertEqual(p.returncode, 0, p.stderr)
        for key in ("initial", "transitions", "transitions_file", "capacities"):
            self.assertIn(f"| `{key}` |", p.stdout)
        self.assertIn("(under `markov:`)", p.stdout)
        p = params("flee")
        self.assertEqual(p.returncode, 0, p.stderr)
        for key in ("input", "validation", "move_rules.max_move_speed", "optimisations.hasten"):
            self.assertIn(f"| `{key}` |", p.stdout)

    def test_an_unknown_model_exits_2_naming_the_known_ones(self):
        p = params("corridoor")
        self.assertEqual(p.returncode, 2)
        self.assertIn("unknown model 'corridoor'", p.stderr)
        self.assertIn("corridor", p.stderr.split("known:")[-1])
        self.assertEqual(p.stdout, "")


if __name__ == "__main__":
    result = unittest.main(verbosity=2, exit=False).result
    sys.exit(0 if result.wasSuccessful() else 1)
