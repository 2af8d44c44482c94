#!/bin/sh
# Packaging: a scratch tree configured for /usr as the README says
# (Release, here with warnings as errors: some warnings, such as
# -Wformat-truncation, only show when optimising) builds the .deb with
# CPack; dpkg-deb shows the binaries, the configuration and its catalog
# (conffiles), the systemd unit, the logrotate file, the maintainer
# scripts and a Depends naming the package of every library pilard
# links.  The packaged pilard accepts the packaged configuration, the
# packaged unit passes systemd-analyze verify (when installed), and
# cmake --install --prefix keeps every file under that prefix.
# Exit 77 (skipped) without cpack or dpkg-deb.
. "$(dirname "$0")/lib.sh"

for tool in cmake cpack dpkg-deb; do
	command -v "$tool" >/dev/null 2>&1 || {
		echo "SKIP: no $tool"
		trap - EXIT
		rm -rf "$T"
		exit 77
	}
done

B=$T/build
cmake -S "$PILAR_SRC" -B "$B" -DCMAKE_INSTALL_PREFIX=/usr \
    -DCMAKE_BUILD_TYPE=Release -DPILAR_WERROR=ON -DPILAR_TESTS=OFF \
    >"$T/cmake.out" 2>&1 ||
    e2e_fail "cmake configure: $(tail -n 5 "$T/cmake.out")"
cmake --build "$B" -j2 >"$T/build.out" 2>&1 ||
    e2e_fail "build: $(grep -m 5 -A 3 error "$T/build.out")"
(cd "$B" && cpack -G DEB) >"$T/cpack.out" 2>&1 ||
    e2e_fail "cpack: $(tail -n 5 "$T/cpack.out")"
DEB=$(ls "$B"/pilar_*_*.deb 2>/dev/null | head -n 1)
[ -f "$DEB" ] || e2e_fail "no .deb in $B"

# The files.
dpkg-deb -c "$DEB" >"$T/listing"
awk '{ print $NF }' "$T/listing" >"$T/contents"
for f in ./usr/bin/pilard ./usr/bin/pilarctl ./etc/pilar/pilar.conf \
    ./etc/pilar/catalog/id.ini ./etc/pilar/catalog/en.ini \
    ./usr/lib/systemd/system/pilar.service ./etc/logrotate.d/pilar \
    ./usr/share/doc/pilar/README.md; do
	grep -qx "$f" "$T/contents" || e2e_fail "$f not in the .deb"
done
grep -q '^-rwxr-xr-x .* \./usr/bin/pilard$' "$T/listing" ||
    e2e_fail "pilard is not 0755"

# The control files.
dpkg-deb -e "$DEB" "$T/control"
for f in control conffiles postinst prerm postrm; do
	[ -f "$T/control/$f" ] || e2e_fail "no $f in the control archive"
done
for f in /etc/pilar/pilar.conf /etc/pilar/catalog/id.ini \
    /etc/logrotate.d/pilar; do
	grep -qx "$f" "$T/control/conffiles" || e2e_fail "$f is no conffile"
done
grep -q 'adduser --system' "$T/control/postinst" ||
    e2e_fail "postinst creates no pilar user"
grep -q 'install -d -m 0700 -o pilar' "$T/control/postinst" ||
    e2e_fail "postinst does not make /var/lib/pilar 0700"
[ "$(dpkg-deb -f "$DEB" Package)" = pilar ] || e2e_fail "Package"
DEPENDS=$(dpkg-deb -f "$DEB" Depends)

# Every library pilard needs comes from a package it depends on (ask
# dpkg which package has it, when dpkg knows).
dpkg-deb -x "$DEB" "$T/root"
if command -v readelf >/dev/null 2>&1; then
	readelf -d "$T/root/usr/bin/pilard" |
	    sed -n 's/.*Shared library: \[\(.*\)\]/\1/p' >"$T/needed"
	[ -s "$T/needed" ] || e2e_fail "readelf found no NEEDED"
	while read -r lib; do
		pkg=$(dpkg -S "*/$lib" 2>/dev/null | head -n 1 | cut -d: -f1)
		[ -n "$pkg" ] || continue
		case ", $DEPENDS" in
		*", $pkg "* | *", $pkg,"* | *", $pkg") ;;
		*) e2e_fail "$lib is in $pkg, not in Depends: $DEPENDS" ;;
		esac
	done <"$T/needed"
fi

# The packaged pilard reads the packaged configuration.
"$T/root/usr/bin/pilard" -n -c "$T/root/etc/pilar/pilar.conf" \
    >"$T/check.out" 2>&1 || e2e_fail "pilard -n: $(cat "$T/check.out")"

# The unit: its paths, its user, its sandbox; verified by systemd.
U=$T/root/usr/lib/systemd/system/pilar.service
grep -qx 'ExecStart=/usr/bin/pilard -c /etc/pilar/pilar.conf' "$U" ||
    e2e_fail "unit ExecStart: $(grep ExecStart= "$U")"
for k in 'User=pilar' 'StateDirectory=pilar' 'LogsDirectory=pilar' \
    'NoNewPrivileges=yes' 'ProtectSystem=strict' 'ProtectHome=yes' \
    'PrivateTmp=yes' 'PrivateDevices=yes' 'CapabilityBoundingSet=' \
    'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX' \
    'SystemCallFilter=@system-service' \
    'ReadWritePaths=/var/lib/pilar /var/log/pilar' \
    'ExecReload=/bin/kill -HUP $MAINPID'; do
	grep -qxF "$k" "$U" || e2e_fail "unit lacks $k"
done
if command -v systemd-analyze >/dev/null 2>&1; then
	sed "s#/usr/bin/#$T/root/usr/bin/#g; s#/etc/pilar/#$T/root/etc/pilar/#g" \
	    "$U" >"$T/pilar.service"
	systemd-analyze verify "$T/pilar.service" >"$T/verify.out" 2>&1 ||
	    e2e_fail "systemd-analyze verify: $(cat "$T/verify.out")"
	[ ! -s "$T/verify.out" ] ||
	    e2e_fail "systemd-analyze verify: $(cat "$T/verify.out")"
fi
grep -q 'kill -USR1' "$T/root/etc/logrotate.d/pilar" ||
    e2e_fail "logrotate does not signal pilard"

# cmake --install with another prefix (this tree was configured for
# /usr): everything beneath it, and the unit names it.
cmake --install "$B" --prefix "$T/x" >"$T/install.out" 2>&1 ||
    e2e_fail "cmake --install: $(tail -n 5 "$T/install.out")"
grep -e '-- Installing: ' -e '-- Up-to-date: ' "$T/install.out" |
    grep -v -e "-- Installing: $T/x/" -e "-- Up-to-date: $T/x/" &&
    e2e_fail "cmake --install wrote outside its prefix"
for f in bin/pilard bin/pilarctl etc/pilar/pilar.conf etc/pilar/catalog/id.ini \
    lib/systemd/system/pilar.service etc/logrotate.d/pilar; do
	[ -f "$T/x/$f" ] || e2e_fail "cmake --install: no $f"
done
grep -qx "ExecStart=$T/x/bin/pilard -c $T/x/etc/pilar/pilar.conf" \
    "$T/x/lib/systemd/system/pilar.service" ||
    e2e_fail "installed unit: $(grep ExecStart= "$T/x/lib/systemd/system/pilar.service")"
"$T/x/bin/pilard" -n -c "$T/x/etc/pilar/pilar.conf" >/dev/null ||
    e2e_fail "pilard -n rejects the installed configuration"
# DESTDIR, as packagers stage: /etc and /usr beneath it.
DESTDIR=$T/stage cmake --install "$B" >"$T/stage.out" 2>&1 ||
    e2e_fail "DESTDIR install: $(tail -n 5 "$T/stage.out")"
for f in usr/bin/pilard etc/pilar/pilar.conf etc/logrotate.d/pilar \
    usr/lib/systemd/system/pilar.service; do
	[ -f "$T/stage/$f" ] || e2e_fail "DESTDIR install: no $f"
done
e2e_pass
