#!/bin/sh
# test.sh: build pilar with warnings as errors and ASan/UBSan, then run
# the whole test suite (unit tests, end-to-end tests against the
# simulator, interoperability with Net::SMPP), then a short run of each
# libFuzzer target (scripts/fuzz.sh, PILAR_FUZZ_SECONDS per target, 15 by
# default, 0 to skip; skipped without clang).  Installs missing Debian
# packages first.  Exits non-zero when anything fails.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/deps.sh"
# shellcheck disable=SC2086
pilar_deps $PILAR_BUILD_DEPS $PILAR_TEST_DEPS
# shellcheck disable=SC2086
pilar_deps $PILAR_TEST_BROWSER_DEPS ||
    echo "pilar: no chromium: test_progress_page will be skipped" >&2

build="$top/build/test"
cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=Debug -DPILAR_WERROR=ON \
    -DPILAR_SANITIZE=ON -DPILAR_TESTS=ON >/dev/null
cmake --build "$build" -j "$(nproc 2>/dev/null || echo 2)"
cd "$build"
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0} \
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
    ctest --output-on-failure -j 2 "$@"

# A short fuzz run: the seeds and a few seconds of mutations per target.
fuzz_secs=${PILAR_FUZZ_SECONDS:-15}
if [ "$fuzz_secs" -gt 0 ]; then
	# shellcheck disable=SC2086
	if pilar_deps $PILAR_FUZZ_DEPS && command -v clang >/dev/null; then
		sh "$top/scripts/fuzz.sh" -t "$fuzz_secs" >/dev/null
	else
		echo "pilar: no clang: the fuzz run is skipped" >&2
	fi
fi
