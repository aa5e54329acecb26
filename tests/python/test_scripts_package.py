#!/usr/bin/env -S /usr/bin/python3
"""The scripts' package, corridor_io (scripts/corridor_io/), and the scripts built on it.

- binary.find looks, in this order, at the path it is given, $CORRIDOR_BIN, the repository's
  build/corridor and PATH; a given path or $CORRIDOR_BIN that is not an executable is an error
  naming it, never a silent fall-through to another binary.
- binary.call / run: a failing command raises CommandFailed with its exit status and stderr.
- binary.params and parameters.Declared read `corridor params corridor --json`: the same keys
  as the Markdown table the binary prints, typed defaults, schedules as points, ranges.
- Every script in scripts/ starts (--help) without PYTHONPATH, i.e. finds the package beside
  it; a script that takes the binary spells the option --binary, and none offers --bin.
- No Python file in scripts/ or tests/ edits the module search path.
"""
import os
import re
import subprocess
import sys
import unittest
from pathlib import Path
from unittest import mock

import harness
from corridor_io import binary
from corridor_io.parameters import Declared, Point

SCRIPTS = harness.SOURCE / "scripts"
#: scripts that run the binary: each offers --binary PATH (check_identical.py takes two: --old, --new).
TAKE_A_BINARY = ("bench_hpc.py", "calibrate.py", "fit_report.py", "flee_validate.py", "update_model_docs.py")


def executable(path: Path, body: str = "exit 0") -> Path:
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)
    return path


class FindTheBinary(unittest.TestCase):
    def setUp(self):
        self.dir = harness.scratch(f"package_{self._testMethodName}")
        self.given = executable(self.dir / "given")
        self.from_env = executable(self.dir / "from_env")
        self.built = executable(self.dir / "built")
        (self.dir / "bin").mkdir()
        self.on_path = executable(self.dir / "bin" / "corridor")
        env = {k: v for k, v in os.environ.items() if k != binary.ENV}
        env["PATH"] = str(self.dir / "bin")
        self.env = mock.patch.dict(os.environ, env, clear=True)
        self.env.start()
        self.addCleanup(self.env.stop)

    def test_the_order_is_given_then_environment_then_build_then_path(self):
        with mock.patch.object(binary, "BUILT_BINARY", self.built):
            os.environ[binary.ENV] = str(self.from_env)
            self.assertEqual(binary.find(self.given), self.given)
            self.assertEqual(binary.find(), self.from_env)
            del os.environ[binary.ENV]
            self.assertEqual(binary.find(), self.built)
        with mock.patch.object(binary, "BUILT_BINARY", self.dir / "not_built"):
            self.assertEqual(binary.find(), self.on_path)
            os.environ["PATH"] = str(self.dir / "empty")
            with self.assertRaisesRegex(binary.BinaryError, "no corridor binary.*CORRIDOR_BIN.*PATH"):
                binary.find()

    def test_a_given_path_that_is_not_a_binary_is_an_error_not_a_fall_through(self):
        with mock.patch.object(binary, "BUILT_BINARY", self.built):
            with self.assertRaisesRegex(binary.BinaryError, "typo: no corridor executable"):
                binary.find(self.dir / "typo")
            os.environ[binary.ENV] = str(self.dir / "gone")
            with self.assertRaisesRegex(binary.BinaryError, r"\$CORRIDOR_BIN=.*gone: no corridor executable"):
                binary.find()
            not_executable = self.dir / "plain"
            not_executable.write_text("")
            with self.assertRaisesRegex(binary.BinaryError, "plain: no corridor executable"):
                binary.find(not_executable)

    def test_a_relative_path_becomes_absolute(self):
        # Commands run from the repository root: the path must still name the same file there.
        os.chdir(self.dir)
        self.addCleanup(os.chdir, harness.SOURCE)
        self.assertEqual(binary.find("given"), self.given)
        self.assertTrue(binary.find("given").is_absolute())


class RunTheBinary(unittest.TestCase):
    def test_a_failing_run_raises_with_its_exit_status_and_message(self):
        with self.assertRaises(binary.CommandFailed) as caught:
            binary.run("scenarios/no_such_scenario.yaml", None, binary=harness.BIN)
        self.assertEqual(caught.exception.returncode, 2)
        self.assertIn("no_such_scenario.yaml", caught.exception.stderr)
        self.assertIn("exited 2", str(caught.exception))
        p = binary.run("scenarios/no_such_scenario.yaml", None, binary=harness.BIN, check=False)
        self.assertEqual(p.returncode, 2)

    def test_version_names_the_commit(self):
        self.assertRegex(binary.version(harness.BIN), r"^corridor \S+ \(git [0-9a-f]+")


class DeclaredParameters(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.declared = Declared.from_binary("corridor", harness.BIN)
        table = binary.call(["params", "corridor"], harness.BIN).stdout
        cls.table_keys = re.findall(r"^\| `([^`]+)` \|", table, flags=re.M)

    def test_the_json_declares_the_keys_of_the_markdown_table(self):
        self.assertGreater(len(self.table_keys), 100)
        self.assertEqual(self.declared.keys(), self.table_keys)
        self.assertEqual((self.declared.model, self.declared.section), ("corridor", "corridor"))

    def test_defaults_are_typed(self):
        d = self.declared
        for key in d.keys():
            spec = d.spec(key)
            expected = {"number": (int, float), "integer": int, "flag": bool, "date": str, "text": str,
                        "custom": str, "schedule": (int, float, list)}[spec["kind"]]
            self.assertIsInstance(spec["default"], expected, key)
            if spec["kind"] in ("number", "integer") and spec["min"] is not None:
                self.assertGreaterEqual(spec["default"], spec["min"], key)
            if spec["kind"] in ("number", "integer") and spec["max"] is not None:
                self.assertLessEqual(spec["default"], spec["max"], key)
        self.assertIs(d.default("departures.enabled"), True)
        self.assertEqual(d.bounds("perception.initial"), (0, 1))
        self.assertEqual(d.bounds("perception.relax_days"), (0, 36500))

    def test_schedules_read_as_points(self):
        d = self.declared
        points = d.points("us.title42.expel_share.family")
        self.assertGreater(len(points), 1)
        self.assertTrue(all(isinstance(p, Point) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", p.date) for p in points))
        self.assertEqual(d.value_on("us.title42.expel_share.family", points[-1].date), points[-1].value)
        constant = d.points("us.encounter_probability")
        self.assertEqual(constant, [Point(None, d.default("us.encounter_probability"), False)])
        with self.assertRaisesRegex(KeyError, "no point on 1999-01-01"):
            d.value_on("us.title42.expel_share.family", "1999-01-01")
        with self.assertRaisesRegex(ValueError, "not a schedule"):
            d.points("perception.initial")

    def test_every_model_gives_its_table_as_json(self):
        table = binary.params("markov", harness.BIN)
        self.assertEqual(table["model"], "markov")
        self.assertIn("transitions", [p["key"] for p in table["parameters"]])

    def test_an_unknown_key_is_named(self):
        with self.assertRaisesRegex(KeyError, "corridor.perception.nope: not a declared parameter"):
            self.declared.default("perception.nope")


class Scripts(unittest.TestCase):
    def test_every_script_starts_without_pythonpath_and_spells_the_binary_option_once(self):
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        scripts = sorted(SCRIPTS.glob("*.py"))
        self.assertIn(SCRIPTS / "check_identical.py", scripts)
        for script in scripts:
            p = subprocess.run([sys.executable, str(script), "--help"], capture_output=True, text=True, env=env,
                               cwd=harness.TMP, timeout=120)
            self.assertEqual(p.returncode, 0, f"{script.name} --help:\n{p.stderr}")
            text = p.stdout + p.stderr
            self.assertNotRegex(text, r"--bin\b(?!ary)", script.name)
            if script.name in TAKE_A_BINARY:
                self.assertIn("--binary PATH", text, script.name)

    def test_no_python_file_edits_the_module_search_path(self):
        offenders = []
        for folder in (harness.SOURCE / "scripts", harness.SOURCE / "tests"):
            for path in sorted(folder.rglob("*.py")):
                for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                    if re.search(r"\bsys\s*\.\s*path\b", line):
                        offenders.append(f"{path.relative_to(harness.SOURCE)}:{n}: {line.strip()}")
        self.assertEqual(offenders, [], "scripts and tests import corridor_io normally (PYTHONPATH=scripts)")


if __name__ == "__main__":
    result = unittest.main(verbosity=2, exit=False).result
    sys.exit(0 if result.wasSuccessful() else 1)
