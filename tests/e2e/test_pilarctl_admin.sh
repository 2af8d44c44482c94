#!/bin/sh
# test_pilarctl_admin.sh: pilarctl's administration on the records the
# real pilard made from a conversation through the simulator: every
# command's --help and usage errors (exit 2) and failures (exit 1);
# companions changed, deactivated, shown; KPM exported and imported back,
# a dry run and a bad file that change nothing (checked on sqlite3
# dumps), reassigned, opted out and in; records listed and cancelled;
# reports by companion and by region; and erasures, after which the
# counts are the same and nothing of the person is in the database.
. "$(dirname "$0")/lib.sh"

CHK_DIR=$T
CHK_CONF=$CONF
. "$(dirname "$0")/ctl_checks.inc"

# sql QUERY WANT: what the database says.
sql() {
	checks=$((checks + 1))
	got=$(e2e_sql "$1")
	[ "$got" = "$2" ] || fail "sql '$1': '$got', expected '$2'"
}

# dump NAME: the whole database as SQL, to compare or search.
dump() {
	sqlite3 "$T/pilar.db" .dump >"$T/$1.sql"
}
# unchanged NAME: the database is as dump NAME left it.
unchanged() {
	checks=$((checks + 1))
	sqlite3 "$T/pilar.db" .dump >"$T/now.sql"
	cmp -s "$T/$1.sql" "$T/now.sql" ||
	    fail "$last changed the database: $(diff "$T/$1.sql" "$T/now.sql" |
	    head -n 6)"
}
# absent TEXT...: no dump of the database holds any TEXT (grep -w for
# ids, so that a timestamp holding the digits does not count).
absent() {
	sqlite3 "$T/pilar.db" .dump >"$T/now.sql"
	for s in "$@"; do
		checks=$((checks + 1))
		! grep -qwF -- "$s" "$T/now.sql" ||
		    fail "after $last the database still holds '$s':" \
		    "$(grep -wF -- "$s" "$T/now.sql" | head -n 3)"
	done
}
# reports NAME: keep the counts of the reports by companion (without
# the names, which an erasure takes) and by region.
reports() {
	"$PILARCTL" -c "$CONF" report --all --csv --year "$YEAR" 2>/dev/null |
	    cut -d, -f1,3- >"$T/$1.rep"
	"$PILARCTL" -c "$CONF" report regions --all --csv --year "$YEAR" \
	    >>"$T/$1.rep" 2>/dev/null
}
same_reports() {
	checks=$((checks + 1))
	reports now
	cmp -s "$T/$1.rep" "$T/now.rep" ||
	    fail "$last changed the counts: $(diff "$T/$1.rep" "$T/now.rep")"
}

# --- a conversation, as test_conversation.sh has it: Sari (C001) makes
# seven records, one visit note with a family's name and NIK, another
# with a NIK typed in groups; a family says STOP; a stranger names a
# KPM and sends half a long SMS; Budi (C002) makes two.
LONG="Ini pesan panjang dari orang yang tidak terdaftar. Saya ingin \
bertanya tentang bantuan sosial PKH untuk keluarga saya di desa, \
karena kami belum pernah menerima bantuan apapun sejak tahun lalu."
cat >"$T/script" <<SCRIPT
wait_bind
mo 081200000001 GRAD 12345
expect_mt Ref G001
mo 081200000001 GRAD 12346 AL
expect_mt Ref G002
mo 081200000001 KUNJ 12347 ibu Dewi Lestari hamil, NIK 3527014501900082
expect_mt Ref K003
mo 081200000001 KUNJ 12345 posyandu
expect_mt Ref K004
mo 081200000001 GRAD 12348
expect_mt Ref G005
mo 081311110003 STOP
expect_mt pengingat
mo 081299999999 GRAD 12347
expect_mt belum terdaftar
mo 081299999999 INFO
expect_mt belum terdaftar
mo 081200000001 GRAD12347
expect_mt Ref G006
mo 081200000001 KUNJ 12349 cek 3527 0105 0190 0083 sehat
expect_mt Ref K007
mo 081200000002 GRAD 22345
expect_mt Ref G001
mo 081200000002 KUNJ 22346 bapak sakit
expect_mt Ref K002
mo_long 081299999999 parts=1 $LONG
enquire
SCRIPT

e2e_smsc "$T/script"
e2e_conf "$PORT"
"$PILARCTL" -c "$CONF" companion add --id C001 --phone 081200000001 \
    --name "Sari Wulandari" --region "Kab. Sumba Timur" >/dev/null ||
    e2e_fail "companion add C001"
"$PILARCTL" -c "$CONF" companion add --id C002 --phone 081200000002 \
    --name "Budi Santoso" --timezone Asia/Makassar \
    --region "Kota Makassar" >/dev/null || e2e_fail "companion add C002"
"$PILARCTL" -c "$CONF" companion add --id C003 --phone 081200000003 \
    --name "Rina Kartika" --region "kab. sumba timur" >"$T/out" ||
    e2e_fail "companion add C003"
grep -qF "taken as 'Kab. Sumba Timur'" "$T/out" ||
    e2e_fail "region not respelled: $(cat "$T/out")"
"$PILARCTL" -c "$CONF" kpm import "$PILAR_SRC/conf/sample/kpm.csv" \
    >/dev/null || e2e_fail "kpm import"
e2e_pilard
e2e_smsc_wait
sh "$PILAR_SRC/tests/e2e/pilard.sh" stop "$T"
cd /

# --- --help for every command, without a configuration.
CONF_SAVED=$CONF
CONF=$T/missing.conf
for cmd in "companion add" "companion update" "companion phone" \
    "companion deactivate" "companion reactivate" "companion list" \
    "companion show" "kpm import" "kpm export" "kpm reassign" \
    "kpm optout" "kpm optin" "records list" "records cancel" \
    "export graduations" "export visits" "report regions" "report" \
    "erase"; do
	# shellcheck disable=SC2086	# two words on purpose
	run 0 $cmd --help
	out "usage: pilarctl [-c FILE] $cmd"
done
CONF=$CONF_SAVED

# --- usage errors: exit 2, before the store is opened.
run 2 companion update
err "name one companion ID"
run 2 companion update C001
err "nothing to change"
run 2 companion phone C001
run 2 companion deactivate
run 2 companion show 'C 1'
err "'C 1' is no companion id"
run 2 companion list --bogus
run 2 kpm export --companion 'x y'
run 2 kpm reassign 12345
err "--to is required"
run 2 kpm reassign --to C002
err "give KPM ids, --file or --from"
run 2 kpm reassign 12345 --file x.csv --to C002
run 2 kpm reassign --from C002 --to C002
run 2 kpm optout
run 2 kpm optout 12a45
err "'12a45' is no KPM id"
run 2 records list --from 2026-02-30
err "--from '2026-02-30' is not a date"
run 2 records list --from 2026-05-01 --to 2026-04-01
err "is after --to"
run 2 records list --kind kunjungan
run 2 records list --kpm 12a
run 2 records cancel G001 --companion C001
err "--reason is required"
run 2 records cancel --companion C001 --reason x
err "name one record REF"
run 2 records cancel G001 --companion C001 --reason "   "
run 2 report regions --year 20x6
run 2 erase
err "whose data?"
run 2 erase --kpm 12345
err "erasing cannot be undone: add --yes"
run 2 erase --kpm 12345 --yes --dry-run
run 2 erase --nik 12345
err "--nik takes the 16 digits"
run 2 erase --nik 3527013201900082
err "--nik: no NIK"

# --- companions.
run 0 companion list
out "C001  6281200000001  Sari Wulandari  Asia/Jakarta   id        yes     Kab. Sumba Timur"
lines 4
run 0 companion list --region "KAB. SUMBA TIMUR" --csv
first_line "id,phone,name,timezone,language,active,region"
out "C003,6281200000003,Rina Kartika,Asia/Jakarta,id,yes,Kab. Sumba Timur"
lines 3
run 0 companion update C003 --name "Rina Kartika Sari" --language EN
out "companion C003 updated: name, language"
run 0 companion update C003 --language en
out "companion C003 unchanged"
run 1 companion update C003 --timezone Europe/Paris
err "unknown timezone 'Europe/Paris'"
run 1 companion update C009 --name X
err "no companion C009"
run 1 companion phone C003 081200000001
err "belongs to active companion C001"
run 1 companion phone C003 08abc
err "is not a valid phone number"
run 0 companion phone C003 081200000033
out "companion C003: phone changed to 62812****0033"
sql "SELECT phone FROM companions WHERE id = 'C003'" 6281200000033
run 0 companion deactivate C002
out "companion C002 deactivated"
out "4 KPM still assigned to C002"
sql "SELECT active FROM companions WHERE id = 'C002'" 0
run 0 companion deactivate C002
out "inactive already"
run 1 companion phone C003 081200000002
err "belongs to inactive companion C002"
run 0 companion reactivate C002
out "companion C002 reactivated"
run 0 companion show C001
out "name       Sari Wulandari"
out "region     Kab. Sumba Timur"
out "kpm        8 (1 opted out of reminders)"
out "counted    3/10, target not reached"
out "graduations SM 3, AL 1, PK 0"
out "visits     3"
out "7 records of $YEAR"
out "G002  C001       12346  graduation  AL"
run 1 companion show C009
run 0 companion show C001 --year 2020
out "0 records of 2020"

# --- records.
DAY=$(date -u -d "@$(( $(date +%s) + 7 * 3600 ))" +%Y-%m-%d)
DAY_BEFORE=$(date -u -d "@$(( $(date +%s) + 7 * 3600 - 86400 ))" +%Y-%m-%d)
run 0 records list --companion C001
lines 9
out "7 records"
out "K003  C001       12347  visit                 $DAY"
run 0 records list --kpm 12345
out "G001  C001"
out "K004  C001"
out "2 records"
run 0 records list --kind visit --csv
first_line "ref,companion_id,kpm_id,kind,category,event_date,year,recorded_at,status,cancelled_at,cancel_reason,note"
lines 5
out "K007,C001,12349,visit,,$DAY,$YEAR,"
run 0 records list --from "$DAY"
out "9 records"
run 0 records list --to "$DAY_BEFORE"
out "0 records"
run 0 records list --year 2020 --companion C002
out "0 records"
run 0 records cancel G005 --companion C001 --reason "salah input, belum lulus"
out "cancelled G005 of C001: graduation SM of KPM 12348"
out "count of $YEAR: 2/10"
run 1 records cancel G005 --companion C001 --reason again
err "record G005 of C001 was cancelled already"
run 1 records cancel G099 --companion C001 --reason x
err "companion C001 has no record G099"
run 1 records cancel G001 --companion C009 --reason x
err "no companion C009"
run 0 records cancel k2 --companion C002 --reason uji
out "cancelled K002 of C002: visit to KPM 22346"
out "visits of $YEAR: 0"
run 0 records list --companion C001 --csv --bom
out ",cancelled,"
out '"salah input, belum lulus"'
checks=$((checks + 1))
[ "$(head -c 3 "$T/out" | od -An -tx1 | tr -d ' ')" = efbbbf ] ||
    fail "records list --bom: no byte order mark"

# --- KPM: export, and the export imported back.
run 0 kpm export
first_line "kpm_id,name,phone,companion_id,opted_out"
lines 13
out "12347,Dewi Lestari,6281311110003,C001,yes"
out "12346,Ahmad Fauzi,,C001,no"
"$PILARCTL" -c "$CONF" kpm export --companion C002 --bom >"$T/c002.csv"
checks=$((checks + 1))
[ "$(head -c 3 "$T/c002.csv" | od -An -tx1 | tr -d ' ')" = efbbbf ] ||
    fail "kpm export --bom: no byte order mark"
run 1 kpm export --companion C009
err "no companion C009"
"$PILARCTL" -c "$CONF" kpm export >"$T/rt.csv"
run 0 kpm import "$T/rt.csv"
out "(0 new, 12 updated)"
sql "SELECT opted_out FROM kpm WHERE id = '12347'" 1

# A dry run: prints what would change, changes nothing.
sed -e 's/^12345,Siti Aminah,/12345,Siti Aminah Binti Umar,/' \
    -e 's/^12346,\(.*\),C001,no$/12346,\1,C003,no/' "$T/rt.csv" >"$T/dry.csv"
printf '40001,Keluarga Baru,,C003,no\n' >>"$T/dry.csv"
dump before
run 0 kpm import --dry-run "$T/dry.csv"
out "update 12345: name"
out "update 12346: companion C001 -> C003"
out "add 40001 (companion C003)"
out "dry run: 13 KPM in $T/dry.csv (1 new, 2 updated, 10 unchanged); nothing written"
no_out "Siti Aminah"
unchanged before
# ... and with a bad line, names it and changes nothing either.
printf '40002,Tanpa Pendamping,,C404,no\n' >>"$T/dry.csv"
run 1 kpm import --dry-run "$T/dry.csv"
err "dry.csv:15: unknown companion_id 'C404'"
err "1 error, nothing would be imported"
unchanged before
run 1 kpm import "$T/dry.csv"
err "dry.csv:15: unknown companion_id 'C404'"
unchanged before

# A name a spreadsheet would run as a formula is exported defused.
printf 'kpm_id,name,phone,companion_id\n40003,"=HYPERLINK(""x"")",,C003\n' \
    >"$T/formula.csv"
run 0 kpm import "$T/formula.csv"
run 0 kpm export --companion C003
out "40003,\"'=HYPERLINK(\"\"x\"\")\",,C003,no"

# Reassign: a file with bad lines changes nothing and names each line.
printf '%s\n' 'kpm_id,name' '12350,a' 'abc,b' '99999,c' '12350,d' \
    >"$T/move.csv"
dump before
run 1 kpm reassign --file "$T/move.csv" --to C003
err "move.csv:3: kpm_id 'abc' is not a KPM id"
err "move.csv:4: kpm_id '99999' is not in the roster"
err "move.csv:5: kpm_id 12350 is already on line 2"
err "move.csv: 3 errors, nothing reassigned"
unchanged before
printf '\357\273\277KPM_ID\r\n12350\r\n\r\n12351\r\n' >"$T/move.csv"
run 0 kpm reassign --file "$T/move.csv" --to C003
out "reassigned 2 KPM to C003 (0 already there)"
sql "SELECT group_concat(id) FROM kpm WHERE companion_id = 'C003'" \
    12350,12351,40003
run 0 kpm reassign 12352 12352 12350 --to C003
out "reassigned 1 KPM to C003 (1 already there)"
run 1 kpm reassign 12352 --to C009
err "no companion C009"
run 1 kpm reassign 12399 --to C001
err "kpm_id '12399' is not in the roster"
dump before
run 0 kpm reassign --from C003 --to C001 --dry-run
out "dry run: would reassign 4 KPM to C001 (0 already there); nothing written"
unchanged before
run 0 companion deactivate C003
run 1 kpm reassign 12345 --to C003
err "companion C003 is inactive"
run 0 companion reactivate C003

# Opt-out by the operator: all ids or none.
run 0 kpm optout 12345
out "KPM 12345: opted out"
sql "SELECT opted_out FROM kpm WHERE id = '12345'" 1
run 0 kpm optin 12345 12346
out "KPM 12345: opted in"
out "KPM 12346: opted in already"
run 1 kpm optout 12345 99999
err "KPM 99999 is not in the roster"
err "nothing changed"
sql "SELECT opted_out FROM kpm WHERE id = '12345'" 0

# --- reports: C001 has G001 (SM), G002 (AL), G006 (SM) and three
# visits; C002 G001 (SM), its visit cancelled; C003 nothing.
run 0 report --year "$YEAR" --csv
first_line "companion_id,name,year,counted,target,sm,al,pk,visits,reached,region"
out "C001,Sari Wulandari,$YEAR,2,10,2,1,0,3,no,Kab. Sumba Timur"
out "C002,Budi Santoso,$YEAR,1,10,1,0,0,0,no,Kota Makassar"
run 0 report --year "$YEAR" --region "kota makassar"
out "C002  Budi Santoso  $YEAR     1/10"
lines 3
run 0 report regions --year "$YEAR"
out "Kab. Sumba Timur           2  $YEAR     2/20"
out "Kota Makassar              1  $YEAR     1/10"
out "total: 2 regions, 3 companions, 3 graduations counted (SM), target reached by 0 regions and 0 companions"
run 0 report regions --year "$YEAR" --csv
first_line "region,companions,year,counted,target,sm,al,pk,visits,companions_reached,reached"
out "Kab. Sumba Timur,2,$YEAR,2,20,2,1,0,3,0,no"
err "total: 2 regions"

# --- erasure.  The counts before, to compare after each.
reports before
dump before
run 0 erase --kpm 12347 --dry-run
out "KPM 12347: roster row (name, phone) would be deleted"
out "dry run: nothing written"
unchanged before

# The family of KPM 12347 (Dewi Lestari, 081311110003, a NIK in a note):
# its row, its two records' link and note, Sari's two reports of it,
# its STOP, the stranger's message naming it, and the replies to all.
run 0 erase --kpm 12347 --yes
out "KPM 12347: roster row (name, phone) deleted"
out "records: 2 of the family kept for the counts"
out "records: 0 other notes naming the person erased"
out "SMS received: 4 erased"
out "SMS sent: 4 erased"
same_reports before
absent 12347 "Dewi Lestari" 6281311110003 081311110003 3527014501900082
sql "SELECT count(*) FROM records WHERE kpm_id LIKE 'erased-%'" 2
sql "SELECT count(*) FROM mo WHERE text = '[erased]' AND sender = ''" 4
checks=$((checks + 1))
[ ! -s "$T/pilar.db-wal" ] || fail "erase left a WAL of $(wc -c <"$T/pilar.db-wal") bytes"
run 1 erase --kpm 12347 --yes
err "no data of that person found"

# A NIK typed in groups in another visit's note.
run 0 erase --nik 3527010501900083 --yes
out "NIK 3527********0083"
out "1 other note naming the person erased"
same_reports before
absent "3527 0105 0190 0083" 3527010501900083
sql "SELECT count(*) FROM records WHERE kpm_id = '12349' AND note IS NULL" 1

# A companion's phone is erased with the companion, not alone.
run 1 erase --phone 081200000001 --yes
err "phone 6281200000001 is companion C001's: erase the companion"

# A stranger: the messages from the number, the half of a long one.
run 0 erase --phone 081299999999 --yes
out "SMS received: 1 erased"
out "unfinished long SMS: 1 part deleted"
same_reports before
absent 6281299999999 081299999999
sql "SELECT count(*) FROM mo_parts" 0

# A companion, the file rebuilt: name and phone gone from the file.
run 0 erase --companion C002 --yes --vacuum
out "companion C002: name and phone erased, now inactive"
out "the database file was rebuilt"
same_reports before
absent "Budi Santoso" 6281200000002
for f in "$T/pilar.db" "$T/pilar.db-wal"; do
	[ -f "$f" ] || continue
	checks=$((checks + 1))
	! grep -qaF -e "Budi Santoso" -e "Dewi Lestari" -e 3527014501900082 \
	    -e 6281311110003 "$f" || fail "$f still holds erased data"
done
run 0 companion show C002
out "name       (erased)"
out "phone      (none)"
out "active     no"
run 1 companion reactivate C002
err "companion C002 has no phone (it was erased)"
run 0 companion phone C002 081200000022
run 0 companion reactivate C002
same_reports before

if [ "$failures" -gt 0 ]; then
	printf '%d of %d checks failed; scratch kept in %s\n' "$failures" \
	    "$checks" "$T" >&2
	trap - EXIT
	e2e_cleanup
	exit 1
fi
printf 'test_pilarctl_admin: %d checks passed\n' "$checks"
e2e_pass
