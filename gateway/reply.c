/*
 * reply.c: reply templates and their filling.
 *
 * Texts follow domain.md.  They use the GSM 03.38 alphabet only, so every
 * reply goes out as one GSM-7 segment.  The tables below are the texts
 * built in, used when no catalog is configured; conf/catalog/ repeats
 * them for operators to edit (reply_catalog.c reads and checks it), and
 * tests/unit/test_reply.c keeps the two equal.
 *
 * The catalog in use is read by mo_handle() on the store worker thread
 * and replaced on the loop thread (SIGHUP), hence the lock around each
 * rendering; an installed catalog is never changed, only replaced.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reply.h"
#include "reply_internal.h"

static const char *const reply_id_texts[REPLY_COUNT] = {
	[REPLY_GRAD_OK] = "OK. Graduasi {cat} KPM {kpm} tercatat (Ref {ref}). "
	    "Capaian {year}: {count}/{target}. Salah? BATAL {ref}",
	[REPLY_GRAD_OK_OTHER] = "OK. Graduasi {cat} KPM {kpm} tercatat (Ref "
	    "{ref}), tidak dihitung ke target. Capaian {year}: "
	    "{count}/{target}. Salah? BATAL {ref}",
	[REPLY_GRAD_DUP] = "KPM {kpm} sudah tercatat graduasi {date} (Ref "
	    "{ref}). Tidak dihitung ulang. Capaian {year}: {count}/{target}",
	[REPLY_GRAD_DUP_OTHER] = "KPM {kpm} sudah tercatat graduasi {date} "
	    "oleh pendamping lain. Tidak dihitung. Capaian {year}: "
	    "{count}/{target}",
	[REPLY_GRAD_MULTI] = "{list}. Capaian {year}: {count}/{target}",
	[REPLY_VISIT_OK] = "OK. Kunjungan KPM {kpm} tgl {date} tercatat (Ref "
	    "{ref}). Kunjungan {year}: {visits}. Salah? BATAL {ref}",
	[REPLY_VISIT_DUP] = "Kunjungan KPM {kpm} tgl {date} sudah tercatat "
	    "(Ref {ref}). Tidak dihitung ulang. Kunjungan {year}: {visits}",
	[REPLY_STATUS] = "Capaian {year}: {count}/{target} graduasi, {visits} "
	    "kunjungan. Lapor: GRAD <ID> atau KUNJ <ID>",
	[REPLY_STATUS_DONE] = "Capaian {year}: {count}/{target} graduasi, "
	    "{visits} kunjungan. Target tercapai, terima kasih!",
	[REPLY_UNDO_GRAD] = "Dibatalkan: graduasi KPM {kpm} (Ref {ref}). "
	    "Capaian {year}: {count}/{target}",
	[REPLY_UNDO_VISIT] = "Dibatalkan: kunjungan KPM {kpm} tgl {date} (Ref "
	    "{ref}). Kunjungan {year}: {visits}",
	[REPLY_UNDO_NONE] = "Tidak ada laporan 24 jam terakhir untuk "
	    "dibatalkan. Laporan lama: BATAL <ref>, contoh BATAL G001",
	[REPLY_UNDO_NOREF] = "Ref {ref} tidak ditemukan atau sudah dibatalkan. "
	    "Periksa Ref pada SMS konfirmasi.",
	[REPLY_STRANGER] = "Nomor ini belum terdaftar sebagai pendamping. "
	    "Hubungi koordinator Anda.",
	[REPLY_NOT_THEIRS] = "KPM {kpm} bukan dampingan Anda. Periksa ID atau "
	    "hubungi koordinator.",
	[REPLY_UNKNOWN_KPM] = "KPM {kpm} tidak terdaftar. Periksa ID atau "
	    "hubungi koordinator.",
	[REPLY_FORMAT] = "Format tidak dikenal. Contoh: GRAD 12345 atau KUNJ "
	    "12345. Ketik BANTUAN.",
	[REPLY_DID_YOU_MEAN] = "Kata kunci tidak dikenal. Maksud Anda {token}? "
	    "Kirim ulang SMS dengan {token} di awal. Ketik BANTUAN.",
	[REPLY_NO_ID] = "ID KPM belum ada. Contoh: GRAD 12345 atau KUNJ 12345.",
	[REPLY_BAD_ID] = "ID KPM {token} tidak valid: harus angka. Contoh: "
	    "GRAD 12345",
	[REPLY_BAD_CATEGORY] = "Kategori {token} tidak dikenal. Pakai SM, AL "
	    "atau PK. Contoh: GRAD 12345 AL",
	[REPLY_BAD_REF] = "Ref {token} tidak valid. Contoh: BATAL G001",
	[REPLY_BAD_DATE] = "Tanggal {token} tidak valid. Tulis tgl/bln/thn, "
	    "contoh 12/05/2026.",
	[REPLY_FUTURE_DATE] = "Tanggal {date} belum terjadi. Laporkan hanya "
	    "hari ini atau tanggal sebelumnya.",
	[REPLY_BAD_NIK] = "NIK tidak valid: {token} salah. NIK 16 angka sesuai "
	    "KTP/KK, periksa lagi.",
	[REPLY_VISIT_MULTI] = "Satu kunjungan per SMS. Contoh: KUNJ 12345 "
	    "catatan",
	[REPLY_TWO_COMMANDS] = "Satu perintah per SMS: {token} tidak diproses, "
	    "tidak ada yang dicatat. Kirim tiap perintah dalam SMS terpisah.",
	[REPLY_HELP] = "Format: GRAD <ID> [SM/AL/PK], KUNJ <ID> [catatan], "
	    "STATUS, BATAL [ref]. Contoh: GRAD 12345",
	[REPLY_STOP] = "Anda tidak akan menerima pengingat lagi. Ketik MULAI "
	    "untuk berlangganan kembali.",
	[REPLY_MULAI] = "Pengingat diaktifkan kembali. Ketik STOP untuk "
	    "berhenti.",
	[REPLY_FLOOD] = "Terlalu banyak SMS dari nomor ini. Laporan tetap "
	    "tercatat, tetapi balasan dijeda {token} menit.",
	[REPLY_LABEL_RECORDED] = "OK. Graduasi {cat} tercatat",
	[REPLY_LABEL_DUP] = "sudah tercatat",
	[REPLY_LABEL_REJECTED] = "ditolak (ketik STATUS/cek ID)",
	[REPLY_NIK_PROVINCE] = "kode provinsi (angka 1-2)",
	[REPLY_NIK_REGENCY] = "kode kabupaten/kota (angka 3-4)",
	[REPLY_NIK_DISTRICT] = "kode kecamatan (angka 5-6)",
	[REPLY_NIK_DAY] = "tanggal lahir (angka 7-8, perempuan +40)",
	[REPLY_NIK_MONTH] = "bulan lahir (angka 9-10)",
	[REPLY_NIK_BIRTH_DATE] = "tanggal/bulan lahir (angka 7-10)",
	[REPLY_NIK_SERIAL] = "nomor urut (angka 13-16)",
	[REPLY_USSD_MENU] = "Pilar\\n1 Lapor graduasi\\n2 Lapor kunjungan\\n"
	    "3 Capaian saya tahun ini\\n4 Batalkan laporan terakhir\\n5 Bantuan",
	[REPLY_USSD_GRAD_ID] = "Lapor graduasi\\nMasukkan ID KPM:\\n0 Menu utama",
	[REPLY_USSD_GRAD_CAT] = "KPM {kpm}\\nKategori graduasi:\\n"
	    "1 SM Sejahtera Mandiri\\n2 AL Alamiah\\n3 PK Paksa\\n0 Menu utama",
	[REPLY_USSD_GRAD_CONFIRM] = "Graduasi {cat} KPM {kpm}?\\n1 Ya, simpan\\n"
	    "0 Menu utama",
	[REPLY_USSD_VISIT_ID] = "Lapor kunjungan hari ini\\nMasukkan ID KPM:\\n"
	    "0 Menu utama",
	[REPLY_USSD_VISIT_CONFIRM] = "Kunjungan KPM {kpm} hari ini?\\n"
	    "1 Ya, simpan\\n0 Menu utama",
	[REPLY_USSD_UNDO_CONFIRM] = "Batalkan laporan terakhir Anda (24 jam)?"
	    "\\n1 Ya, batalkan\\n0 Menu utama",
	[REPLY_USSD_HELP] = "Pilih angka menu lalu Kirim; 0 kembali ke menu "
	    "utama. Lapor cepat: {token} Lewat SMS: GRAD <ID>, KUNJ <ID>, "
	    "STATUS, BATAL.",
	[REPLY_USSD_INVALID] = "Pilihan tidak dikenal.",
	[REPLY_USSD_BAD_ID] = "ID KPM {token} tidak valid.",
	[REPLY_USSD_EXPIRED] = "Sesi sudah berakhir. Silakan mulai lagi.",
	[REPLY_USSD_ERROR] = "Maaf, sistem sedang sibuk. Laporan belum "
	    "tersimpan. Coba lagi nanti.",
	[REPLY_P2K2_OK] = "OK. P2K2 {token} tercatat. {count} keluarga akan "
	    "diingatkan {date}.",
	[REPLY_P2K2_PAST] = "P2K2 {date} sudah lewat. Kirim jadwal yang akan "
	    "datang, contoh: P2K2 12/12 09:00 Balai Desa",
	[REPLY_P2K2_FORMAT] = "Format P2K2: P2K2 TGL JAM TEMPAT. Contoh: "
	    "P2K2 12/12 09:00 Balai Desa",
	[REPLY_P2K2_REMIND] = "Pengingat: pertemuan P2K2 {date} pukul "
	    "{token} di {list}. Mohon hadir.",
	[REPLY_NUDGE_PROGRESS] = "Capaian {year}: {count}/{target} graduasi, "
	    "{visits} kunjungan. {token} bulan lagi.",
	[REPLY_NUDGE_CONGRATS] = "Selamat! Target {year} tercapai: "
	    "{count}/{target} graduasi. Terima kasih atas kerja Anda.",
};

static const char *const reply_en_texts[REPLY_COUNT] = {
	[REPLY_GRAD_OK] = "OK. Graduation {cat} KPM {kpm} recorded (Ref {ref})."
	    " Progress {year}: {count}/{target}. Wrong? BATAL {ref}",
	[REPLY_GRAD_OK_OTHER] = "OK. Graduation {cat} KPM {kpm} recorded (Ref "
	    "{ref}), not counted toward the target. Progress {year}: "
	    "{count}/{target}. Wrong? BATAL {ref}",
	[REPLY_GRAD_DUP] = "KPM {kpm} graduation already recorded {date} (Ref "
	    "{ref}). Not counted again. Progress {year}: {count}/{target}",
	[REPLY_GRAD_DUP_OTHER] = "KPM {kpm} graduation already recorded {date}"
	    " by another companion. Not counted. Progress {year}: "
	    "{count}/{target}",
	[REPLY_GRAD_MULTI] = "{list}. Progress {year}: {count}/{target}",
	[REPLY_VISIT_OK] = "OK. Visit KPM {kpm} on {date} recorded (Ref {ref})."
	    " Visits {year}: {visits}. Wrong? BATAL {ref}",
	[REPLY_VISIT_DUP] = "Visit KPM {kpm} on {date} already recorded (Ref "
	    "{ref}). Not counted again. Visits {year}: {visits}",
	[REPLY_STATUS] = "Progress {year}: {count}/{target} graduations, "
	    "{visits} visits. Report: GRAD <ID> or KUNJ <ID>",
	[REPLY_STATUS_DONE] = "Progress {year}: {count}/{target} graduations, "
	    "{visits} visits. Target reached, thank you!",
	[REPLY_UNDO_GRAD] = "Cancelled: graduation KPM {kpm} (Ref {ref}). "
	    "Progress {year}: {count}/{target}",
	[REPLY_UNDO_VISIT] = "Cancelled: visit KPM {kpm} on {date} (Ref {ref})."
	    " Visits {year}: {visits}",
	[REPLY_UNDO_NONE] = "No report in the last 24 hours to cancel. Older "
	    "ones: BATAL <ref>, e.g. BATAL G001",
	[REPLY_UNDO_NOREF] = "Ref {ref} not found or already cancelled. Check "
	    "the Ref in the confirmation SMS.",
	[REPLY_STRANGER] = "This number is not registered as a companion. "
	    "Contact your coordinator.",
	[REPLY_NOT_THEIRS] = "KPM {kpm} is not in your roster. Check the ID or "
	    "contact your coordinator.",
	[REPLY_UNKNOWN_KPM] = "KPM {kpm} is not registered. Check the ID or "
	    "contact your coordinator.",
	[REPLY_FORMAT] = "Unknown format. Example: GRAD 12345 or KUNJ 12345. "
	    "Send BANTUAN for help.",
	[REPLY_DID_YOU_MEAN] = "Unknown keyword. Did you mean {token}? Send "
	    "the SMS again starting with {token}. Send BANTUAN for help.",
	[REPLY_NO_ID] = "KPM ID missing. Example: GRAD 12345 or KUNJ 12345.",
	[REPLY_BAD_ID] = "KPM ID {token} is not valid: digits only. Example: "
	    "GRAD 12345",
	[REPLY_BAD_CATEGORY] = "Category {token} unknown. Use SM, AL or PK. "
	    "Example: GRAD 12345 AL",
	[REPLY_BAD_REF] = "Ref {token} is not valid. Example: BATAL G001",
	[REPLY_BAD_DATE] = "Date {token} is not valid. Write day/month/year, "
	    "e.g. 12/05/2026.",
	[REPLY_FUTURE_DATE] = "Date {date} is in the future. Report only "
	    "today or an earlier date.",
	[REPLY_BAD_NIK] = "NIK is not valid: the {token} is wrong. A NIK has "
	    "16 digits as on the KTP/KK, please check it.",
	[REPLY_VISIT_MULTI] = "One visit per SMS. Example: KUNJ 12345 note",
	[REPLY_TWO_COMMANDS] = "One command per SMS: {token} not processed, "
	    "nothing was recorded. Send each command in an SMS of its own.",
	[REPLY_HELP] = "Format: GRAD <ID> [SM/AL/PK], KUNJ <ID> [note], STATUS,"
	    " BATAL [ref]. Example: GRAD 12345",
	[REPLY_STOP] = "You will get no more reminders. Send MULAI to "
	    "subscribe again.",
	[REPLY_MULAI] = "Reminders are on again. Send STOP to end them.",
	[REPLY_FLOOD] = "Too many SMS from this number. Reports are still "
	    "recorded, but replies pause for {token} minutes.",
	[REPLY_LABEL_RECORDED] = "OK. Graduation {cat} recorded",
	[REPLY_LABEL_DUP] = "already recorded",
	[REPLY_LABEL_REJECTED] = "rejected (check the IDs)",
	[REPLY_NIK_PROVINCE] = "province code (digits 1-2)",
	[REPLY_NIK_REGENCY] = "regency/city code (digits 3-4)",
	[REPLY_NIK_DISTRICT] = "district code (digits 5-6)",
	[REPLY_NIK_DAY] = "birth day (digits 7-8, women +40)",
	[REPLY_NIK_MONTH] = "birth month (digits 9-10)",
	[REPLY_NIK_BIRTH_DATE] = "birth date (digits 7-10)",
	[REPLY_NIK_SERIAL] = "serial number (digits 13-16)",
	[REPLY_USSD_MENU] = "Pilar\\n1 Report graduation\\n2 Report visit\\n"
	    "3 My progress this year\\n4 Undo my last report\\n5 Help",
	[REPLY_USSD_GRAD_ID] = "Report graduation\\nEnter KPM ID:\\n0 Main menu",
	[REPLY_USSD_GRAD_CAT] = "KPM {kpm}\\nGraduation category:\\n"
	    "1 SM Self-reliant\\n2 AL Natural\\n3 PK Forced\\n0 Main menu",
	[REPLY_USSD_GRAD_CONFIRM] = "Graduation {cat} KPM {kpm}?\\n1 Yes, save"
	    "\\n0 Main menu",
	[REPLY_USSD_VISIT_ID] = "Report a visit today\\nEnter KPM ID:\\n"
	    "0 Main menu",
	[REPLY_USSD_VISIT_CONFIRM] = "Visit KPM {kpm} today?\\n1 Yes, save\\n"
	    "0 Main menu",
	[REPLY_USSD_UNDO_CONFIRM] = "Undo your last report (24 hours)?\\n"
	    "1 Yes, undo\\n0 Main menu",
	[REPLY_USSD_HELP] = "Pick a number and Send; 0 goes back to the main "
	    "menu. Quick report: {token} By SMS: GRAD <ID>, KUNJ <ID>, "
	    "STATUS, BATAL.",
	[REPLY_USSD_INVALID] = "Unknown choice.",
	[REPLY_USSD_BAD_ID] = "KPM ID {token} is not valid.",
	[REPLY_USSD_EXPIRED] = "The session has ended. Please start again.",
	[REPLY_USSD_ERROR] = "Sorry, the system is busy. Nothing was saved. "
	    "Try again later.",
	[REPLY_P2K2_OK] = "OK. P2K2 {token} recorded. {count} families will be "
	    "reminded on {date}.",
	[REPLY_P2K2_PAST] = "P2K2 {date} is past. Send a session still to "
	    "come, e.g. P2K2 12/12 09:00 Balai Desa",
	[REPLY_P2K2_FORMAT] = "P2K2 format: P2K2 DATE TIME PLACE. Example: "
	    "P2K2 12/12 09:00 Balai Desa",
	[REPLY_P2K2_REMIND] = "Reminder: P2K2 session {date} at {token}, "
	    "{list}. Please come.",
	[REPLY_NUDGE_PROGRESS] = "Progress {year}: {count}/{target} "
	    "graduations, {visits} visits. {token} months to go.",
	[REPLY_NUDGE_CONGRATS] = "Congratulations! Target {year} reached: "
	    "{count}/{target} graduations. Thank you for your work.",
};

const char *const reply_langs[REPLY_LANG_COUNT] = { "id", "en" };

static const char *const *const reply_defaults[REPLY_LANG_COUNT] = {
	reply_id_texts, reply_en_texts
};

static pthread_mutex_t		 reply_lock = PTHREAD_MUTEX_INITIALIZER;
static struct reply_catalog	*reply_active;	/* NULL: compiled in */

static enum reply_lang	reply_lang_index(const char *);
static const char	*reply_pick(const struct reply_catalog *,
			    enum reply_lang, enum reply_id);
static const char	*reply_var(const struct reply_vars *, const char *,
			    size_t, char *, size_t);

/* "en" is English; anything else, including NULL, Bahasa Indonesia. */
static enum reply_lang
reply_lang_index(const char *lang)
{
	if (lang != NULL && strcmp(lang, "en") == 0)
		return REPLY_LANG_EN;
	return REPLY_LANG_ID;
}

/* The template of id in catalog cat, or the compiled-in one if NULL. */
static const char *
reply_pick(const struct reply_catalog *cat, enum reply_lang l,
    enum reply_id id)
{
	if ((unsigned)id >= REPLY_COUNT)
		return "";
	if (cat != NULL)
		return cat->text[l][id];
	return reply_defaults[l][id];
}

int
reply_is_ussd(enum reply_id id)
{
	return id >= REPLY_USSD_MENU && id <= REPLY_USSD_ERROR;
}

const char *
reply_template(const char *lang, enum reply_id id)
{
	return reply_pick(reply_active, reply_lang_index(lang), id);
}

const char *
reply_default_template(const char *lang, enum reply_id id)
{
	return reply_pick(NULL, reply_lang_index(lang), id);
}

void
reply_catalog_install(struct reply_catalog *cat)
{
	struct reply_catalog	*old;

	pthread_mutex_lock(&reply_lock);
	old = reply_active;
	reply_active = cat;
	pthread_mutex_unlock(&reply_lock);
	free(old);
}

/*
 * i in decimal, in buf (at least 12 bytes): snprintf's "%d" without its
 * cost, which was a third of a reply's rendering.
 */
static const char *
reply_int(int i, char *buf, size_t bufsz)
{
	char		*p = buf + bufsz - 1;
	unsigned	 u = i < 0 ? 0u - (unsigned)i : (unsigned)i;

	*p = '\0';
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u > 0);
	if (i < 0)
		*--p = '-';
	return p;
}

/* The value of placeholder name (n bytes) as text in buf, or NULL. */
static const char *
reply_var(const struct reply_vars *v, const char *name, size_t n,
    char *buf, size_t bufsz)
{
#define IS(s)	(n == sizeof(s) - 1 && memcmp(name, s, n) == 0)
#define STRV(f)	((f) != NULL ? (f) : "")
	if (IS("kpm"))
		return STRV(v->kpm);
	if (IS("ref"))
		return STRV(v->ref);
	if (IS("cat"))
		return STRV(v->cat);
	if (IS("date"))
		return STRV(v->date);
	if (IS("token"))
		return STRV(v->token);
	if (IS("list"))
		return STRV(v->list);
	if (IS("year"))
		return reply_int(v->year, buf, bufsz);
	if (IS("count"))
		return reply_int(v->count, buf, bufsz);
	if (IS("target"))
		return reply_int(v->target, buf, bufsz);
	if (IS("visits"))
		return reply_int(v->visits, buf, bufsz);
	return NULL;
#undef IS
#undef STRV
}

int
reply_fill(const char *t, const struct reply_vars *v, char *out,
    size_t outsz)
{
	const char	*end, *val;
	char		 num[24];
	size_t		 o = 0, n;
	int		 truncated = 0;

	if (outsz == 0)
		return -1;
	while (*t != '\0') {
		val = NULL;
		if (*t == '{' && (end = strchr(t, '}')) != NULL &&
		    (val = reply_var(v, t + 1, (size_t)(end - t - 1), num,
		    sizeof(num))) != NULL) {
			n = strlen(val);
			t = end + 1;
		} else {
			/* Up to the next placeholder, at least this byte. */
			val = t;
			n = 1 + strcspn(t + 1, "{");
			t += n;
		}
		if (o + n >= outsz) {
			n = outsz - 1 - o;
			truncated = 1;
		}
		memcpy(out + o, val, n);
		o += n;
		if (truncated)
			break;
	}
	out[o] = '\0';
	return truncated ? -1 : (int)o;
}

int
reply_render(const char *lang, enum reply_id id, const struct reply_vars *v,
    char *out, size_t outsz)
{
	int	n;

	pthread_mutex_lock(&reply_lock);
	n = reply_fill(reply_pick(reply_active, reply_lang_index(lang), id), v,
	    out, outsz);
	pthread_mutex_unlock(&reply_lock);
	return n;
}
