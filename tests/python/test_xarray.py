#!/usr/bin/env -S /usr/bin/python3
"""Series for the Python ecosystem (docs/output.md, "Series as named dimensions"): every series
group of a fresh result opens with xarray's h5netcdf engine with its named dimensions (no
phony dimensions), the day as dates and every other dimension with its labels; and
corridor_io.open_series gives the same data as one Dataset, also for a format-1 file.
"""
import shutil
import unittest

import h5py
import numpy as np
import pandas as pd
import xarray as xr

import harness
import corridor_io


class SeriesAsXarray(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        d = harness.scratch("xarray")
        cls.markov = d / "chain24.h5"
        harness.run("scenarios/markov/chain24.yaml", cls.markov, "--set", "end=2020-01-20")
        cls.corridor = d / "corridor.h5"
        harness.run("scenarios/defaults.yaml", cls.corridor, "--set", "end=2019-12-31", "--set", "corridor.scale=0.01",
                    "--set", "output.events=false")
        cls.dir = d

    def check_every_group(self, path):
        r = corridor_io.load(path)
        self.assertGreater(len(r.series_names()), 0)
        for name in r.series_names():
            with self.subTest(series=name):
                values, info = r.series_array(name)
                with xr.open_dataset(path, engine="h5netcdf", group=f"series/{name}") as ds:
                    v = ds["value"]
                    self.assertEqual(list(v.dims), info["dims"])  # named, in order: no phony_dim_N
                    np.testing.assert_array_equal(v.values, values)
                    dates = r.calendar["date"].to_numpy()[info["day"]]
                    np.testing.assert_array_equal(ds["day"].values, dates)
                    for d in info["dims"][1:]:
                        self.assertEqual(list(ds[d].values), info["labels"][d])
                    self.assertEqual(v.attrs["unit"], info["unit"])

    def test_every_series_group_of_the_markov_model_opens_with_named_dimensions(self):
        self.check_every_group(self.markov)

    def test_every_series_group_of_the_corridor_model_opens_with_named_dimensions(self):
        # Several dimensions of equal length (title and component: 2 each) stay distinct.
        self.check_every_group(self.corridor)
        with xr.open_dataset(self.corridor, engine="h5netcdf", group="series/encounters") as ds:
            self.assertIn("title", ds.dims)
            self.assertIn("component", ds.dims)
            self.assertEqual(list(ds["title"].values), ["Title 8", "Title 42"])

    def test_open_series_gives_every_series_in_one_dataset(self):
        ds = corridor_io.open_series(self.corridor)
        r = corridor_io.load(self.corridor)
        self.assertEqual(sorted(ds.data_vars), r.series_names())
        enc = r.series("encounters")
        total = int(enc["value"].sum())
        self.assertEqual(int(ds["encounters"].sum()), total)
        first = pd.Timestamp(r.attrs["start_date"])
        self.assertEqual(pd.Timestamp(ds["day"].values[0]), first)
        self.assertEqual(ds["encounters"].attrs["unit"], r.series_info("encounters")["unit"])
        one = corridor_io.open_series(self.corridor, "encounters")
        self.assertEqual(list(one.data_vars), ["encounters"])

    def test_open_series_reads_a_format_1_file_too(self):
        # A format-1 file: the same layout without dimension scales.
        old = self.dir / "format1.h5"
        shutil.copy(self.markov, old)
        with h5py.File(old, "r+") as f:
            f.attrs["format_version"] = 1
            for g in f["series"].values():
                for ds in g.values():
                    for a in ("DIMENSION_LIST", "REFERENCE_LIST", "CLASS", "NAME", "units", "calendar"):
                        if a in ds.attrs:
                            del ds.attrs[a]
        new, before = corridor_io.open_series(self.markov), corridor_io.open_series(old)
        self.assertEqual(before.attrs.pop("format_version"), 1)
        self.assertEqual(new.attrs.pop("format_version"), 2)
        xr.testing.assert_identical(new, before)


if __name__ == "__main__":
    unittest.main(verbosity=2)
