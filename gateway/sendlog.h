/*
 * sendlog.h: which MTs were handed to the SMSC, remembered across a
 * crash so that none is sent twice (see sendlog.c).
 */
#ifndef PILAR_SENDLOG_H
#define PILAR_SENDLOG_H

#include <stdint.h>
#include <stddef.h>

struct sendlog;

long		 sendlog_recover(const char *base, int (*)(void *, int64_t),
		    void *, char *err, size_t errsz);
struct sendlog	*sendlog_open(const char *base, int64_t now_ms, char *err,
		    size_t errsz);
void		 sendlog_close(struct sendlog *);
int		 sendlog_add(struct sendlog *, int64_t id);
int		 sendlog_flush(struct sendlog *);
int		 sendlog_rotate(struct sendlog *, int64_t now_ms,
		    int64_t oldest_inflight_ms, char *err, size_t errsz);

#endif
