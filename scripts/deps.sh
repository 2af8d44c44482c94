#!/bin/sh
# deps.sh: install the Debian 12 packages pilar needs, if any is missing.
# Sourced by demo.sh and test.sh; usage: pilar_deps pkg...
pilar_deps() {
	missing=""
	for p in "$@"; do
		if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
		    grep -q '^install ok installed$'; then
			missing="$missing $p"
		fi
	done
	[ -z "$missing" ] && return 0
	echo "pilar: installing Debian packages:$missing" >&2
	if [ "$(id -u)" -ne 0 ]; then
		echo "pilar: not root; run: sudo apt-get install -y$missing" >&2
		return 1
	fi
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >&2 || return 1
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >&2
}

PILAR_BUILD_DEPS="gcc libc6-dev make cmake pkg-config libevent-dev
libsmpp34-dev libsqlite3-dev"
PILAR_TEST_DEPS="libcmocka-dev libnet-smpp-perl sqlite3 curl
python3-prometheus-client"
# scripts/fuzz.sh (the short fuzz run of test.sh) needs clang and
# libFuzzer; test.sh skips the run when they cannot be installed.
PILAR_FUZZ_DEPS="clang libclang-rt-14-dev"
# Only test_progress_page needs these; it is skipped without them.
PILAR_TEST_BROWSER_DEPS="chromium fonts-dejavu-core"
