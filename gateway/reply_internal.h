/*
 * reply_internal.h: what the two halves of the replies share.
 *
 * reply.c holds the compiled-in texts, the catalog in use and the
 * filling of templates; reply_catalog.c reads and checks catalog files
 * and hands a complete one over.  Nothing outside these two files
 * includes this header.
 */
#ifndef PILAR_REPLY_INTERNAL_H
#define PILAR_REPLY_INTERNAL_H

#include <stddef.h>

#include "ini.h"
#include "reply.h"

enum reply_lang {
	REPLY_LANG_ID,
	REPLY_LANG_EN,
	REPLY_LANG_COUNT
};

/* A loaded catalog: every text of both languages.  Never changed. */
struct reply_catalog {
	char	text[REPLY_LANG_COUNT][REPLY_COUNT][INI_LINE_MAX];
};

/* "id", "en": the section names of a catalog, indexed by reply_lang. */
extern const char *const reply_langs[REPLY_LANG_COUNT];

/*
 * Fill template t into out (outsz > 0 bytes).  An unknown {name} is
 * copied as it stands.  Returns the length, or -1 when cut short.
 */
int	reply_fill(const char *t, const struct reply_vars *, char *out,
	    size_t outsz);

/*
 * Use cat (From calloc(); NULL for the compiled-in texts) from now on,
 * and free the one it replaces once no rendering holds it.
 */
void	reply_catalog_install(struct reply_catalog *cat);

#endif
