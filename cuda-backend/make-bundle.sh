#!/usr/bin/env bash
# Prepares the GPU check bundle: target/device-check/ and target/device-check.tar.gz, for a
# machine with an NVIDIA GPU, its driver and PyTorch, but no Java and no network.
#   jre/   a jlinked runtime (java.base, java.logging, jdk.incubator.vector)
#   lib/   the Adjoint jars, the check (adjoint-cuda tests jar), JCuda, and JCuda's natives
#          reduced to the driver library (the runtime, NVRTC and nvPTX bindings are not used)
#   device-check.sh, torch_peer.py
# Usage (from the repository root or anywhere): cuda-backend/make-bundle.sh
# Maven runs as $MVN (default: mvn -q); pass -Dmaven.repo.local=... there if you need to.
# Fails if the bundle is over 64 MiB.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
mvn=${MVN:-mvn -q}
version=0.1.0-SNAPSHOT
jcuda=12.6.0
(cd "$root" && $mvn -B -pl cuda-backend -am package -DskipTests)
cpfile=$(mktemp)
(cd "$root" && $mvn -B -pl cuda-backend dependency:build-classpath -Dmdep.includeScope=runtime \
  -Dmdep.outputFile="$cpfile" >/dev/null)
classpath=$(tr ':' '\n' < "$cpfile")
rm -f "$cpfile"
jar_of() { echo "$classpath" | grep "/$1" | head -1; }
out=$here/target/device-check
rm -rf "$out" "$out.tar.gz"
mkdir -p "$out/lib"
cp "$root/annotations/target/adjoint-annotations-$version.jar" \
   "$root/runtime/target/adjoint-runtime-$version.jar" \
   "$here/target/adjoint-cuda-$version.jar" \
   "$here/target/adjoint-cuda-$version-tests.jar" \
   "$(jar_of "jcuda-$jcuda.jar")" "$out/lib/"
natives=$(jar_of "jcuda-natives-$jcuda-linux-x86_64.jar")
slim=$(mktemp -d)
(cd "$slim" && unzip -q "$natives" "lib/libJCudaDriver-$jcuda-linux-x86_64.so" \
  && jar --create --file "$out/lib/jcuda-natives-driver-$jcuda-linux-x86_64.jar" lib)
rm -rf "$slim"
jlink --add-modules java.base,java.logging,jdk.incubator.vector --strip-debug \
  --no-header-files --no-man-pages --compress=2 --output "$out/jre"
cp "$here/device-check.sh" "$out/"
cp "$here/src/test/python/torch_peer.py" "$out/"
(cd "$here/target" && tar czf device-check.tar.gz device-check)
bytes=$(du -sb "$out" | cut -f1)
packed=$(stat -c %s "$out.tar.gz")
echo "bundle: $out ($((bytes / 1048576)) MiB unpacked, $((packed / 1048576)) MiB as device-check.tar.gz)"
du -sh "$out/jre" "$out/lib"/* | sed 's/^/  /'
if [ "$bytes" -gt $((64 * 1048576)) ]; then
  echo "the bundle is over 64 MiB" >&2
  exit 1
fi
