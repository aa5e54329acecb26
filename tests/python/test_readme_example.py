#!/usr/bin/env -S /usr/bin/python3
"""The README's Python example ("A result in Python") runs as printed on a fresh result of the
baseline and writes its plot.

The example opens a series group with xarray's h5netcdf engine by named dimensions, which
result files have from format_version 2 (HDF5 dimension scales, docs/output.md). Skipped
(exit 77) with the reason on an older format or without Debian's python3-xarray and
python3-h5netcdf.
"""
import os
import re
import subprocess
import sys
import unittest

import h5py

import harness


def skip(reason):
    print(f"SKIP: {reason}")
    sys.exit(77)


def readme_example() -> str:
    text = (harness.SOURCE / "README.md").read_text()
    section = text.split("## A result in Python", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    if len(blocks) != 1:
        raise AssertionError(f"expected one Python block in README's 'A result in Python', found {len(blocks)}")
    return blocks[0]


class ReadmeExample(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        for module in ("xarray", "h5netcdf"):
            try:
                __import__(module)
            except ImportError:
                skip(f"the README example needs python3-{module}")
        cls.dir = harness.scratch("readme_example")
        (cls.dir / "results").mkdir()
        harness.run("scenarios/calibrated.yaml", cls.dir / "results/calibrated.h5", "--set", "corridor.scale=0.01",
                    "--set", "end=2019-06-30", "--set", "output.events=false", "--set", "output.agents=false")
        with h5py.File(cls.dir / "results/calibrated.h5", "r") as f:
            version = int(f.attrs["format_version"])
        if version < 2:
            skip(f"result format_version {version}: series get named dimensions (dimension scales) in version 2")

    def test_the_example_runs_as_printed_and_writes_its_plot(self):
        code = readme_example()
        self.assertLessEqual(len(code.strip().splitlines()), 5, "the README promises a five-line example")
        p = subprocess.run([sys.executable, "-c", code], cwd=self.dir, capture_output=True, text=True, timeout=120,
                           env=dict(os.environ, MPLBACKEND="Agg"))
        self.assertEqual(p.returncode, 0, p.stderr)
        png = self.dir / "results/encounters.png"
        self.assertTrue(png.is_file() and png.stat().st_size > 1000, "the example writes results/encounters.png")


if __name__ == "__main__":
    unittest.main(verbosity=2)
