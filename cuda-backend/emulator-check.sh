#!/usr/bin/env bash
# Runs the device check's parity suite on the CPU emulator of the kernels, without a GPU:
# the .cu sources compiled for the host (src/test/emulator, needs g++), driven by the real
# Java backend through dev.adjoint.cuda.EmulatedDevice. Checks kernel logic, launch geometry,
# parameter layouts and the Java dispatch; not speed, nor what only hardware shows
# (docs/cuda.md, "What the emulator cannot check"). About a minute.
# Maven runs as $MVN (default: mvn -q). Options go to DeviceCheck (--seed N, --size N).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
mvn=${MVN:-mvn -q}
"$here/src/test/emulator/build.sh"
(cd "$root" && $mvn -B -pl cuda-backend -am test-compile -DskipTests)
cp=$(mktemp)
(cd "$root" && $mvn -B -pl cuda-backend dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$cp" >/dev/null)
java --add-modules jdk.incubator.vector -Dadjoint.cuda.api=dev.adjoint.cuda.EmulatedDevice \
  -Dadjoint.cuda.emulator="$here/target/emulator/adjoint-emulator" \
  -cp "$here/target/test-classes:$here/target/classes:$(cat "$cp")" \
  dev.adjoint.cuda.check.DeviceCheck --parity-only --size 1 "$@"
status=$?
rm -f "$cp"
exit $status
