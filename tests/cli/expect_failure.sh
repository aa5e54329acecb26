#!/usr/bin/env bash
# Runs corridor with bad input and checks that it fails the way a user deserves:
#   exit code 2, an error message matching REGEX on stderr, and no output file left behind.
# usage: expect_failure.sh CORRIDOR OUT_FILE REGEX -- ARGS...
set -u
bin=$1 out=$2 regex=$3
shift 4
rm -f "$out" "$out".tmp-*
stderr=$("$bin" "$@" 2>&1 >/dev/null)
rc=$?
echo "corridor $*"
echo "exit code: $rc"
echo "stderr: $stderr"
fail=0
if [ "$rc" -ne 2 ]; then echo "FAIL: expected exit code 2"; fail=1; fi
if ! grep -Eq -- "$regex" <<<"$stderr"; then echo "FAIL: stderr does not match /$regex/"; fail=1; fi
if ls "$out" "$out".tmp-* >/dev/null 2>&1; then echo "FAIL: an output file was created"; fail=1; fi
exit $fail
