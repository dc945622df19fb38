#!/usr/bin/env bash
# machine.sh: the facts a benchmark figure needs next to it.
echo "nproc: $(nproc)"
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
echo "memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
echo "load average (1/5/15 min): $(cut -d' ' -f1-3 /proc/loadavg)"
echo "java: $(java -version 2>&1 | head -1)"
echo "      $(java -version 2>&1 | sed -n 3p)"
echo "hyperfine: $(hyperfine --version)"
