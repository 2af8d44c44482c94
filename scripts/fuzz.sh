#!/bin/sh
# fuzz.sh: build the libFuzzer targets (tests/fuzz/) with clang in
# build/fuzz and run each for a while on its seed corpus.
#
#	sh scripts/fuzz.sh [-t SECONDS_PER_TARGET] [target...]
#
# Targets default to all of tests/fuzz/fuzz_*.c; -t to 60 s.  Each runs
# in one process on a scratch corpus, build/fuzz/corpus/<target>/ (the
# seeds of tests/fuzz/corpus/<target>/ copied in, plus what earlier runs
# found; the tree is never written), with tests/fuzz/<target>.dict when
# there is one.  A crash, leak, sanitizer report, timeout or broken
# invariant stops that target; its input is kept in
# build/fuzz/crashes/<target>/ and the script exits 1 after the others
# ran.  Logs: build/fuzz/logs/<target>.log.  Extra libFuzzer flags may be
# given in FUZZ_FLAGS.  Needs clang (Debian: clang libclang-rt-14-dev).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
secs=60
while getopts t: opt; do
	case $opt in
	t)	secs=$OPTARG ;;
	*)	echo "usage: fuzz.sh [-t seconds] [target...]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
case $secs in
''|*[!0-9]*)	echo "fuzz.sh: -t wants whole seconds" >&2; exit 2 ;;
esac
if [ $# -eq 0 ]; then
	for f in "$top"/tests/fuzz/fuzz_*.c; do
		set -- "$@" "$(basename "$f" .c)"
	done
fi

cc=${FUZZ_CC:-clang}
if ! command -v "$cc" >/dev/null 2>&1; then
	echo "fuzz.sh: $cc not found (apt-get install clang libclang-rt-14-dev)" >&2
	exit 2
fi
build="$top/build/fuzz"
cmake -S "$top" -B "$build" -DCMAKE_C_COMPILER="$cc" \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPILAR_FUZZ=ON -DPILAR_TESTS=OFF \
    -DPILAR_WERROR=ON >/dev/null
cmake --build "$build" -j "$(nproc 2>/dev/null || echo 2)" --target "$@"

failed=""
for t in "$@"; do
	bin="$build/tests/fuzz/$t"
	seeds="$top/tests/fuzz/corpus/$t"
	corpus="$build/corpus/$t"
	crashes="$build/crashes/$t"
	log="$build/logs/$t.log"
	mkdir -p "$corpus" "$crashes" "$build/logs"
	[ -d "$seeds" ] && cp -R "$seeds/." "$corpus/"
	set -- -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
	    -print_final_stats=1 -artifact_prefix="$crashes/"
	[ -f "$top/tests/fuzz/$t.dict" ] &&
	    set -- "$@" -dict="$top/tests/fuzz/$t.dict"
	echo "fuzz: $t for ${secs}s" >&2
	# shellcheck disable=SC2086
	if ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
	    UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
	    "$bin" "$@" ${FUZZ_FLAGS:-} "$corpus" >"$log" 2>&1; then
		runs=$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\1 runs in \2 s/p' "$log")
		echo "fuzz: $t ok: $runs, corpus $(find "$corpus" -type f | wc -l) files" >&2
	else
		echo "fuzz: $t FAILED, see $log; input kept in $crashes/:" >&2
		find "$crashes" -type f | head -3 | sed 's/^/	/' >&2
		grep -E 'ERROR|invariant|runtime error|SUMMARY' "$log" |
		    head -5 >&2 || true
		failed="$failed $t"
	fi
done
if [ -n "$failed" ]; then
	echo "fuzz: failed:$failed" >&2
	exit 1
fi
