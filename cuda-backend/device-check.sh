#!/usr/bin/env bash
# The GPU check of the CUDA backend, in one run, from the bundle that make-bundle.sh prepares
# (a jlinked JRE and the jars: no Java, Maven or network needed; PyTorch for the peer).
#   1. every op and every derivative rule on CUDA against the CPU backend (fresh random inputs,
#      outputs poisoned, relative tolerance per dtype), gradients of an MLP and a CNN;
#   2. float32 matmul 4096² (exact and TF32), an MLP 784-256-256-10 step at batch 128 and a CNN
#      step, against PyTorch eager on the same GPU; one table.
# Options go to dev.adjoint.cuda.check.DeviceCheck: --seed N, --size N, --parity-only, --matmul N.
# Exit status: 0 all checks passed, 1 a check failed, 2 CUDA is not available.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
java=$here/jre/bin/java
[ -x "$java" ] || java=java
python=${PYTHON:-python3}
peer=()
if "$python" -c 'import torch' 2>/dev/null; then
  peer=(--peer "$python $here/torch_peer.py")
else
  echo "no PyTorch for $python: the benchmarks run without their peer"
fi
exec "$java" --add-modules jdk.incubator.vector -Xss8m -cp "$here/lib/*" \
  dev.adjoint.cuda.check.DeviceCheck "${peer[@]}" "$@"
