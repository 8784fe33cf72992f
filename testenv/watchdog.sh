#!/bin/sh
# Kills a testenv control plane's servers when the process that started them goes away without stopping
# them (crash, SIGKILL, Ctrl-C of the test runner). testenv/processes.ts starts it in its own session with
# a pipe on stdin and writes lines to it: "watch PID", "forget PID", and "release" when the servers are
# stopped or handed over (`cluster up`). End of input without "release" means the starter is gone: the
# watched servers get SIGTERM, then SIGKILL after 5 s, and DATA_DIR is removed.
# Usage: watchdog.sh DATA_DIR
dir=$1
pids=" "
while read -r cmd pid; do
    case $cmd in
    watch) pids="$pids$pid " ;;
    forget) pids=$(echo "$pids" | sed "s/ $pid / /") ;;
    release) exit 0 ;;
    esac
done
for p in $pids; do kill -TERM "$p" 2>/dev/null; done
i=0
while [ $i -lt 50 ]; do
    alive=""
    for p in $pids; do kill -0 "$p" 2>/dev/null && alive="$alive $p"; done
    [ -z "$alive" ] && break
    sleep 0.1
    i=$((i + 1))
done
for p in $pids; do kill -KILL "$p" 2>/dev/null; done
[ -n "$dir" ] && rm -rf -- "$dir"
