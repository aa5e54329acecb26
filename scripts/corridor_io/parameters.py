"""A model's declared parameters, read from the binary: the defaults and ranges a script uses.

A default lives only in its C++ declaration (sim/parameters.hpp); `corridor params MODEL
--json` prints the declarations, and a script reads them here instead of keeping a copy:

    from corridor_io.parameters import Declared
    d = Declared.from_binary("corridor")            # or Declared(json_document)
    d.default("perception.initial")                 # 0.3 (keys as under the model's section)
    d.points("us.title42.expel_share.family")       # [Point('2020-03-20', 0.6, False), ...]
    d.value_on("us.title42.expel_share.family", "2021-02-01")   # 0.35
    d.bounds("perception.initial")                  # (0, 1); None for an open end

A schedule's default is a number when it is constant, else a list of points
{date, value, ramp} (ramp: the value is reached linearly from the previous point).
"""
from __future__ import annotations

from typing import NamedTuple

from . import binary as _binary


class Point(NamedTuple):
    """One point of a schedule: from `date` (YYYY-MM-DD) the value is `value`; with `ramp` it is
    reached linearly from the previous point."""
    date: str
    value: float
    ramp: bool


class Declared:
    """The parameter declarations of one model, by key (relative to the model's section)."""

    def __init__(self, document: dict):
        self.model = document["model"]
        self.section = document["section"]
        self._by_key = {p["key"]: p for p in document["parameters"]}

    @classmethod
    def from_binary(cls, model: str, binary=None) -> "Declared":
        return cls(_binary.params(model, binary))

    def keys(self) -> list[str]:
        return list(self._by_key)

    def spec(self, key: str) -> dict:
        """The whole declaration of `key`: kind, default, default_text, unit, range, min, max, source."""
        try:
            return self._by_key[key]
        except KeyError:
            raise KeyError(f"{self.section}.{key}: not a declared parameter of the {self.model} model "
                           f"(`corridor params {self.model}` lists them)") from None

    def default(self, key: str):
        """The typed default: a number, integer, bool or string; for a schedule, a number when it is
        constant, else its list of points as declared (dicts date, value, ramp)."""
        return self.spec(key)["default"]

    def points(self, key: str) -> list[Point]:
        """A schedule's default as points; a constant schedule is one point without a date (None)."""
        spec = self.spec(key)
        if spec["kind"] != "schedule":
            raise ValueError(f"{self.section}.{key} is a {spec['kind']}, not a schedule")
        d = spec["default"]
        if isinstance(d, list):
            return [Point(p["date"], p["value"], bool(p["ramp"])) for p in d]
        return [Point(None, d, False)]

    def value_on(self, key: str, date: str):
        """The value of the schedule's point on `date` (a point must start there: no interpolation)."""
        for p in self.points(key):
            if p.date == date:
                return p.value
        raise KeyError(f"{self.section}.{key}: its default schedule has no point on {date} "
                       f"({self.spec(key)['default_text']})")

    def bounds(self, key: str) -> tuple:
        """(min, max) of the declared range; None where it is open-ended."""
        spec = self.spec(key)
        return spec["min"], spec["max"]
