#!/usr/bin/env bash
# README's plain-javac setup ("Use it in your project"), run as written on each JDK given:
# the jars as a user downloads them, javac, then java, on the program of ../maven-user. Fails on
# any javac output (a warning).
# Usage: run.sh REPOSITORY VERSION WORKDIR JAVA_HOME [JAVA_HOME...]   (empty homes are skipped)
set -euo pipefail
repo=$1; version=$2; work=$3; shift 3
here=$(cd "$(dirname "$0")" && pwd)
javac() { command javac "$@" 2>&1 | tee -a javac.log; }   # keeps what javac prints
for jdk in "$@"; do
  [ -n "$jdk" ] || continue
  dir=$work/$(basename "$jdk")
  rm -rf "$dir" && mkdir -p "$dir" && cp -r "$here/../maven-user/src/main/java" "$dir/src" \
    && cd "$dir"
  for a in annotations processor runtime; do
    cp "$repo/dev/adjoint/adjoint-$a/$version/adjoint-$a-$version.jar" .
  done
  export PATH="$jdk/bin:$PATH"
  echo "== plain javac on $(command javac -version 2>&1)"
  # README begins
  javac -cp adjoint-runtime-0.1.0-SNAPSHOT.jar:adjoint-annotations-0.1.0-SNAPSHOT.jar \
      -processorpath adjoint-processor-0.1.0-SNAPSHOT.jar -d classes src/com/example/Fit.java
  java --add-modules jdk.incubator.vector \
      -cp classes:adjoint-runtime-0.1.0-SNAPSHOT.jar com.example.Fit
  # README ends
  if [ -s javac.log ]; then echo "javac printed the above: expected nothing"; exit 1; fi
done
