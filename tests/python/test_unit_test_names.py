"""Every Catch2 test case of tests/unit/ is its own ctest test, so each one can fail.

catch_discover_tests hands CMake the test names as a list: a `[` or `]` in a name opens or
closes a CMake bracket, inside which `;` no longer separates, so that name and every later
one are fused into a single ctest entry whose filter matches no test case and which passes
without running anything; a `;` alone splits a name into two that match nothing. Both had
happened to test cases of this suite; this test keeps them from returning.
"""
from __future__ import annotations

import re
import sys
import unittest

import harness

NAME = re.compile(r'TEST_CASE\(\s*"((?:[^"\\]|\\.)*)"')


class UnitTestNames(unittest.TestCase):
    def test_no_name_breaks_the_ctest_list(self):
        offenders = []
        for path in sorted((harness.SOURCE / "tests" / "unit").glob("*.cpp")):
            text = path.read_text(encoding="utf-8")
            for m in NAME.finditer(text):
                if set(m.group(1)) & set("[];"):
                    line = text.count("\n", 0, m.start()) + 1
                    offenders.append(f"{path.relative_to(harness.SOURCE)}:{line}: {m.group(1)}")
        self.assertEqual(offenders, [], "test case names must not contain [, ] or ; (see this file's docstring)")

    def test_the_scan_sees_the_test_cases(self):
        names = [name for path in (harness.SOURCE / "tests" / "unit").glob("*.cpp")
                 for name in NAME.findall(path.read_text(encoding="utf-8"))]
        self.assertGreater(len(names), 200)


if __name__ == "__main__":
    result = unittest.main(verbosity=2, exit=False).result
    sys.exit(0 if result.wasSuccessful() else 1)
