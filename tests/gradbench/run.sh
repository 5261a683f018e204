#!/usr/bin/env bash
# Runs GradBench's evals against Adjoint and against GradBench's hand-written C++ tool in one
# run, and prints the table of ratios (see README.md here).
# Usage: tests/gradbench/run.sh GRADBENCH_CHECKOUT [EVAL...] [--args-EVAL "eval options"]
# after `mvn -q install -DskipTests` at the root. Default evals: those Adjoint implements.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
[ $# -ge 1 ] || { echo "usage: $0 GRADBENCH_CHECKOUT [EVAL...]"; exit 2; }
gb=$(cd "$1" && pwd)
shift
evals=()
while [ $# -gt 0 ] && [[ $1 != --* ]]; do evals+=("$1"); shift; done
[ ${#evals[@]} -gt 0 ] || mapfile -t evals < "$here/tools/adjoint/evals.txt"

# what the evals (Python) and the C++ tool need, from Debian
need=""
/usr/bin/python3 -c 'import numpy' 2>/dev/null || need="$need python3-numpy"
/usr/bin/python3 -c 'import scipy' 2>/dev/null || need="$need python3-scipy"
/usr/bin/python3 -c 'import dataclasses_json' 2>/dev/null || need="$need python3-dataclasses-json"
[ -f /usr/include/nlohmann/json.hpp ] || need="$need nlohmann-json3-dev"
command -v g++ >/dev/null || need="$need g++ make"
if [ -n "$need" ]; then apt-get update -qq && apt-get install -y -qq $need >/dev/null; fi

# lstm reads a text file that some snapshots of GradBench lack (it is large); any ASCII text
# serves, since the eval draws the parameters at random: this project's docs, then
lstm_text="$gb/evals/lstm/data/lstm_full.txt"
if [[ " ${evals[*]} " == *" lstm "* && ! -s $lstm_text ]]; then
  mkdir -p "$(dirname "$lstm_text")"
  cat "$root"/README.md "$root"/docs/*.md | LC_ALL=C tr -cd '\11\12\15\40-\176' > "$lstm_text"
  echo "note: $lstm_text was missing; wrote this project's docs there as the text" >&2
fi

# the manual tool, single-threaded, for this CPU (json.hpp from Debian instead of a download)
export CXXFLAGS="-std=c++17 -O3 -Wall -I../../cpp -I/usr/include/nlohmann"
for e in "${evals[@]}"; do
  [ ! -f "$gb/tools/manual/$e.cpp" ] || make -s -C "$gb/tools/manual" "bin/$e" MULTITHREADED=no >/dev/null
done

# the Adjoint tool: the tests module's classes and their class path
(cd "$root" && mvn -q -pl tests test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/gradbench.classpath -Dmdep.includeScope=test)
cp="$root/tests/target/test-classes:$(cat "$root/tests/target/gradbench.classpath")"
tool="java --add-modules jdk.incubator.vector -cp '$cp' dev.adjoint.tests.gradbench.GradBenchTool"
tool="$tool 2>>$root/tests/target/gradbench-tool.err" # the JVM notes there that it uses incubator modules
exec /usr/bin/python3 "$here/relay.py" --gradbench "$gb" --adjoint "$tool" \
  --log "$root/tests/target/gradbench.log" --evals "${evals[@]}" "$@"
