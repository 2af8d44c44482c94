#!/bin/sh
# test_pilarctl.sh: the operator's tool against a fresh store.
#
# Run by ctest with PILARCTL (the binary), PILAR_SRC (the source tree)
# and PILAR_TMP (a scratch folder).  Records are made by the daemon, so
# their content in exports and reports is checked by the daemon's
# end-to-end tests; here the exports and the report are checked on a
# store without records.  Every check runs; the script exits 1 if any
# failed and then keeps its scratch folder for a look.
set -eu

: "${PILARCTL:?PILARCTL must name the pilarctl binary}"
: "${PILAR_SRC:?PILAR_SRC must name the source folder}"
: "${PILAR_TMP:?PILAR_TMP must name a scratch folder}"

mkdir -p "$PILAR_TMP"
dir=$(mktemp -d "$PILAR_TMP/pilarctl.XXXXXX")
conf=$dir/pilar.conf
CHK_DIR=$dir
CHK_CONF=$conf
. "$PILAR_SRC/tests/e2e/ctl_checks.inc"

cat >"$conf" <<'EOF'
# pilarctl end-to-end test.  path is relative to this file's folder.
[store]
path = pilar.db
[program]
yearly_target = 10
timezone = Asia/Jakarta
country_code = 62
counted_categories = SM
id_min_length = 5
id_max_length = 16
EOF

# The store path must not depend on the working directory.
cd /

# --- help and usage, none of which needs a configuration or a store.
for cmd in "companion add" "companion list" "kpm import" \
    "export graduations" "export visits" "report"; do
	# shellcheck disable=SC2086	# two words on purpose
	run 0 $cmd --help
	out "usage: pilarctl [-c FILE] $cmd"
done
conf_saved=$conf
conf=$dir/missing.conf
CHK_CONF=$conf
run 0 report --help
out "usage: pilarctl"
run 0 --help
out "kpm import FILE.csv"
run 2 frobnicate
err "pilarctl: unknown command 'frobnicate'"
run 2 companion frobnicate
err "unknown command 'companion frobnicate'"
run 2 companion
run 2 report --bogus
err "unknown option '--bogus'"
run 2 report --year 20x6
err "--year '20x6' is not a year"
run 2 kpm import
run 2 companion add --id C009 --phone 081200000009
err "--name is required"
run 1 report
err "pilarctl: $dir/missing.conf"
conf=$conf_saved
CHK_CONF=$conf

# --- companions.
run 0 companion add --id C001 --phone 081200000001 --name Sari \
    --timezone Asia/Jakarta
out "companion C001 added (phone 62812****0001)"
checks=$((checks + 1))
[ -f "$dir/pilar.db" ] || fail "no store at $dir/pilar.db ([store] path)"
run 0 companion add --id C002 --phone 081200000002 --name Budi \
    --timezone Asia/Makassar --language en
out "companion C002 added (phone 62812****0002)"
run 1 companion add --id C001 --phone 081200000003 --name Other
err "pilarctl: companion C001 already exists"
run 1 companion add --id C003 --phone "+62 812-0000-0001" --name Other
err "already belongs to companion C001"
run 1 companion add --id C003 --phone 08abc --name Other
err "phone '08abc' is not a valid phone number"
run 1 companion add --id C003 --phone 081200000003 --name Other \
    --timezone Europe/Paris
err "unknown timezone 'Europe/Paris'"
run 1 companion add --id C003 --phone 081200000003 --name Other \
    --language fr
err "language 'fr' is neither id nor en"
run 0 companion list
out "C001  6281200000001  Sari  Asia/Jakarta"
out "C002  6281200000002  Budi  Asia/Makassar  en"
lines 3
run 0 companion list --csv
first_line "id,phone,name,timezone,language,active,region"
out "C002,6281200000002,Budi,Asia/Makassar,en,yes"

# --- KPM rosters.
run 0 kpm import "$PILAR_SRC/conf/sample/kpm.csv"
out "imported 12 KPM from $PILAR_SRC/conf/sample/kpm.csv (12 new, 0 updated)"
run 0 kpm import "$PILAR_SRC/conf/sample/kpm.csv"
out "(0 new, 12 updated)"

# Three bad lines among good ones: all three reported, nothing written.
cat >"$dir/bad.csv" <<'EOF'
kpm_id,name,phone,companion_id
12399,Good Line,,C001
123,Short Id,,C001
12398,Good Too,081311110098,C002
12397,Unknown Companion,,C009
12396,Too,Many,Fields,C001
EOF
run 1 kpm import "$dir/bad.csv"
err "bad.csv:3: kpm_id 123 has 3 digits, expected 5 to 16"
err "bad.csv:5: unknown companion_id 'C009'"
err "bad.csv:6: 5 fields, expected 4"
err "pilarctl: $dir/bad.csv: 3 errors, nothing imported"
checks=$((checks + 1))
n=$(grep -c 'bad\.csv:[0-9][0-9]*: ' "$dir/err" || true)
[ "$n" -eq 3 ] || fail "$last: $n FILE:LINE reports, expected 3"
# 12399 and 12398 were good, but must not have been written.
cat >"$dir/after.csv" <<'EOF'
kpm_id,name,phone,companion_id
12399,Good Line,,C001
12398,Good Too,081311110098,C002
12345,Siti Aminah,081311110001,C001
EOF
run 0 kpm import "$dir/after.csv"
out "imported 3 KPM from $dir/after.csv (2 new, 1 updated)"

# More of what goes wrong: quoting, duplicates, a bad phone, the header.
printf '%s\n' 'kpm_id,name,phone,companion_id' \
    '12390,"Unterminated,,C001' '12391,Dup,,C001' '12391,Dup Again,,C001' \
    '12392,Bad Phone,0812x,C001' '12393,,,C001' >"$dir/worse.csv"
run 1 kpm import "$dir/worse.csv"
err "worse.csv:2: bad CSV: unterminated quote"
err "worse.csv:4: kpm_id 12391 is already on line 3"
err "worse.csv:5: phone '0812x' is not a valid phone number"
err "worse.csv:6: name is empty"
err "4 errors, nothing imported"
printf 'id;nama;telepon;pendamping\n1;2;3;4\n' >"$dir/semi.csv"
run 1 kpm import "$dir/semi.csv"
err "semi.csv:1: fields are separated by ';'"
err "1 error, nothing imported"
run 1 kpm import "$dir/no-such-file.csv"
err "no-such-file.csv: No such file or directory"

# A spreadsheet's export: byte order mark, CRLF, upper-case header.
printf '\357\273\277%s\r\n' 'KPM_ID,Name,Phone,Companion_ID' >"$dir/bom.csv"
printf '%s\r\n' '30001,"Bom, Crlf",081311119999,C002' \
    '22345,Yohana Palimbong,082211120001,C002' >>"$dir/bom.csv"
run 0 kpm import "$dir/bom.csv"
out "imported 2 KPM from $dir/bom.csv (1 new, 1 updated)"

# --- exports: the headers and, with no records yet, nothing else.
run 0 export graduations
first_line "ref,companion_id,kpm_id,category,recorded_at,event_date,year,\
status,cancelled_at"
lines 1
run 0 export visits
first_line "ref,companion_id,kpm_id,event_date,note,recorded_at,year,\
status,cancelled_at"
lines 1

# --- the report on a year without records.
run 0 report --year 2020
out "C001  Sari  2020     0/10"
out "C002  Budi  2020     0/10"
out "total: 2 companions, 0 graduations counted (SM), target 10 reached \
by 0 of 2"
run 0 report
out "0/10"
run 0 report --csv --year 2020
first_line "companion_id,name,year,counted,target,sm,al,pk,visits,reached,region"
out "C001,Sari,2020,0,10,0,0,0,0,no"
lines 3
err "total: 2 companions"

if [ "$failures" -gt 0 ]; then
	printf '%d of %d checks failed; scratch kept in %s\n' "$failures" \
	    "$checks" "$dir" >&2
	exit 1
fi
rm -rf "$dir"
printf 'test_pilarctl: %d checks passed\n' "$checks"
