#!/usr/bin/env bash
# The peers that Adjoint's figures are compared with, set up at their best on this CPU.
# Usage: tests/src/test/resources/peers/run.sh matmul THREADS [--sizes 1024] [--lib numpy|torch|both]
# (TensorBenchmarkReport runs it; the other peer scripts here are run the same way.)
# Debian's OpenBLAS 0.3.21 detects this Sapphire Rapids CPU as Prescott (SSE3) and runs 3-5x
# slower; OPENBLAS_CORETYPE=SkylakeX selects its AVX-512 kernels (results checked identical).
# python3-numpy and python3-torch pull in the slow reference BLAS; the OpenBLAS library is
# pinned with LD_LIBRARY_PATH. Use /usr/bin/python3 (the pyenv python3 cannot see Debian's).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
ob=/usr/lib/x86_64-linux-gnu/openblas-pthread
need=""
/usr/bin/python3 -c 'import numpy' 2>/dev/null || need="$need python3-numpy"
/usr/bin/python3 -c 'import torch' 2>/dev/null || need="$need python3-torch"
[ -d "$ob" ] || need="$need libopenblas0-pthread"
if [ -n "$need" ]; then apt-get update -qq && apt-get install -y -qq $need >/dev/null; fi
what=${1:-}; threads=${2:-1}; shift 2 || true
export OPENBLAS_CORETYPE=SkylakeX OPENBLAS_NUM_THREADS=$threads LD_LIBRARY_PATH=$ob
case "$what" in
  matmul) exec /usr/bin/python3 "$here/matmul_bench.py" --torch-threads "$threads" "$@" ;;
  *) echo "usage: run.sh matmul [THREADS] [options]"; exit 2 ;;
esac
