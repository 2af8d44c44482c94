#!/bin/sh
# pilard.sh start|stop|kill DIR: start or end the pilard of an e2e test
# from inside a pilar-smsc script (its `sh` command), for restarts.
set -eu
cmd=$1
dir=$2
case $cmd in
start)
	"$PILARD" -c "$dir/pilar.conf" >>"$dir/pilard.stderr" 2>&1 \
	    </dev/null &
	echo $! >"$dir/pilard.pid"
	;;
stop|kill)
	pid=$(cat "$dir/pilard.pid")
	if [ "$cmd" = kill ]; then sig=KILL; else sig=TERM; fi
	kill -s "$sig" "$pid"
	i=0
	# Gone, or a zombie waiting for its reaper: it has exited.
	while kill -0 "$pid" 2>/dev/null &&
	    [ "$(cut -d' ' -f3 "/proc/$pid/stat" 2>/dev/null)" != Z ]; do
		i=$((i + 1))
		if [ $i -gt 1000 ]; then
			echo "pilard $pid did not exit" >&2
			exit 1
		fi
		sleep 0.02
	done
	rm -f "$dir/pilard.pid"
	;;
*)
	echo "usage: pilard.sh start|stop|kill DIR" >&2
	exit 2
	;;
esac
