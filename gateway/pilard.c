/*
 * pilard.c: the daemon.  main() only wires: configuration, log, store,
 * event loop, signals, the SMPP session, the HTTP server.
 *
 *	pilard -c FILE		run in the foreground
 *	pilard -n -c FILE	check FILE and its reply catalog, print
 *				"configuration OK"
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "config.h"
#include "http.h"
#include "log.h"
#include "reply.h"
#include "smpp_session.h"
#include "ussd.h"
#include "store.h"

#define PILARD_DEFAULT_CONF	"/etc/pilar/pilar.conf"
#define PILARD_STOP_GRACE_S	15	/* hard stop if the unbind hangs */

struct pilard {
	struct event_base	*base;
	struct config		 cfg;
	struct store		*st;
	struct smpp_session	*smpp;
	struct http		*http;
	struct ussd		*ussd;
	int			 stopping;
};

static void	usage(void) __attribute__((noreturn));
static void	pilard_stopped(void *);
static void	pilard_signal_cb(evutil_socket_t, short, void *);
static void	pilard_reload(struct pilard *);

static void
usage(void)
{
	fprintf(stderr, "usage: pilard [-n] [-c file]\n");
	exit(2);
}

static void
pilard_stopped(void *arg)
{
	struct pilard	*p = arg;

	event_base_loopexit(p->base, NULL);
}

/*
 * SIGHUP: keep the running configuration unless the new one is valid,
 * its reply catalog included (which is then already in use).
 */
static void
pilard_reload(struct pilard *p)
{
	struct config	next;
	char		err[CONFIG_ERR_MAX];
	int		link_changed, http_changed;

	if (config_load(p->cfg.path, &next, err, sizeof(err)) == -1 ||
	    reply_catalog_load(next.program_catalog, next.program_id_max_len,
	    err, sizeof(err)) == -1) {
		log_error("config_reload_failed kept=old err=\"%s\"", err);
		return;
	}
	if (strcmp(next.store_path, p->cfg.store_path) != 0) {
		log_warnx("config_reload store_path_change_ignored "
		    "hint=\"restart pilard to change [store] path\"");
		snprintf(next.store_path, sizeof(next.store_path), "%s",
		    p->cfg.store_path);
	}
	link_changed = config_link_changed(&p->cfg, &next);
	http_changed = config_http_changed(&p->cfg, &next);
	p->cfg = next;
	log_set_level(p->cfg.log_level);
	log_set_mask(p->cfg.log_mask);
	if (log_init(p->cfg.log_level, p->cfg.log_file) == -1)
		log_warn("log_open_failed file=%s", p->cfg.log_file);
	log_info("config_reloaded file=%s link_changed=%d http_changed=%d "
	    "catalog=%s mask=%s", p->cfg.path, link_changed, http_changed,
	    p->cfg.program_catalog[0] != '\0' ? p->cfg.program_catalog :
	    "builtin", p->cfg.log_mask ? "yes" : "no");
	smpp_session_reconfigured(p->smpp, link_changed);
	http_reconfigured(p->http);
}

static void
pilard_signal_cb(evutil_socket_t sig, short what, void *arg)
{
	struct pilard	*p = arg;
	struct timeval	 grace = { PILARD_STOP_GRACE_S, 0 };

	(void)what;
	switch (sig) {
	case SIGTERM:
	case SIGINT:
		if (p->stopping) {
			log_warnx("stop_forced signal=%d", (int)sig);
			event_base_loopbreak(p->base);
			return;
		}
		p->stopping = 1;
		log_info("stopping signal=%d", (int)sig);
		event_base_loopexit(p->base, &grace);
		smpp_session_stop(p->smpp, pilard_stopped, p);
		break;
	case SIGHUP:
		pilard_reload(p);
		break;
	case SIGUSR1:
		if (log_reopen() == -1)
			log_warn("log_reopen_failed");
		else
			log_info("log_reopened");
		break;
	}
}

int
main(int argc, char *argv[])
{
	static const int	 sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGUSR1 };
	struct event		*ev_sig[sizeof(sigs) / sizeof(*sigs)];
	struct store_options	 sopt;
	struct pilard		 p;
	const char		*conf = PILARD_DEFAULT_CONF;
	char			 err[CONFIG_ERR_MAX];
	int			 ch, check_only = 0;
	size_t			 i;

	while ((ch = getopt(argc, argv, "c:n")) != -1) {
		switch (ch) {
		case 'c':
			conf = optarg;
			break;
		case 'n':
			check_only = 1;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();

	memset(&p, 0, sizeof(p));
	if (config_load(conf, &p.cfg, err, sizeof(err)) == -1 ||
	    reply_catalog_load(p.cfg.program_catalog, p.cfg.program_id_max_len,
	    err, sizeof(err)) == -1) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	if (check_only) {
		printf("configuration OK\n");
		return 0;
	}
	if (log_init(p.cfg.log_level, p.cfg.log_file) == -1) {
		fprintf(stderr, "pilard: cannot open log file %s\n",
		    p.cfg.log_file);
		return 1;
	}
	log_set_mask(p.cfg.log_mask);
	signal(SIGPIPE, SIG_IGN);
	srandom((unsigned)time(NULL) ^ (unsigned)getpid());

	memset(&sopt, 0, sizeof(sopt));
	sopt.sync = (enum store_sync)p.cfg.store_sync;
	sopt.busy_timeout_ms = 5000;
	/* The worker is the one thread every MO waits for: not its job. */
	sopt.background_checkpoint = STORE_CHECKPOINT_PAGES;
	if (store_open(p.cfg.store_path, &sopt, &p.st, err, sizeof(err)) !=
	    STORE_OK)
		fatalx("store_open_failed path=%s err=\"%s\"",
		    p.cfg.store_path, err);
	if ((p.base = event_base_new()) == NULL)
		fatalx("event_base_new failed");
	for (i = 0; i < sizeof(sigs) / sizeof(*sigs); i++) {
		ev_sig[i] = evsignal_new(p.base, sigs[i], pilard_signal_cb, &p);
		if (ev_sig[i] == NULL || evsignal_add(ev_sig[i], NULL) == -1)
			fatalx("evsignal_new failed");
	}
	p.smpp = smpp_session_new(p.base, &p.cfg, p.st);
	p.http = http_new(p.base, &p.cfg, p.smpp, p.st);
	p.ussd = ussd_new(p.base, &p.cfg, p.smpp);
	http_set_ussd(p.http, p.ussd);
	log_info("started version=%s pid=%d conf=%s store=%s catalog=%s "
	    "mask=%s", "0.1.0", (int)getpid(), p.cfg.path, p.cfg.store_path,
	    p.cfg.program_catalog[0] != '\0' ? p.cfg.program_catalog :
	    "builtin", p.cfg.log_mask ? "yes" : "no");
	smpp_session_start(p.smpp);

	event_base_dispatch(p.base);

	http_free(p.http);
	smpp_session_free(p.smpp);
	ussd_free(p.ussd);
	for (i = 0; i < sizeof(sigs) / sizeof(*sigs); i++)
		event_free(ev_sig[i]);
	event_base_free(p.base);
	store_close(p.st);
	log_info("stopped");
	log_close();
	return 0;
}
