#!/usr/bin/env bash
# Regenerates the kernels' PTX (src/main/resources/dev/adjoint/cuda/ptx/*.ptx) from the CUDA C
# sources in src/main/cuda. Only needed after changing a .cu file; the build itself never runs
# nvcc. Needs nvcc and ptxas (CUDA 12 or 13); g++ as well for the emulator check at the end.
#
# nvcc 13 writes PTX ISA 9.0, which only r580+ drivers load. The kernels use nothing newer
# than ISA 8.0 (CUDA 12.0, r525+ drivers), so the header is pinned to ".version 8.0" and the
# "used_bytes_mask" pragmas nvcc 13 adds (hints of ISA 8.3) are dropped; ptxas then checks that
# every module is valid ISA 8.0 for sm_80 and sm_90 (CudaKernelsTest repeats that check).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$here/src/main/cuda
out=$here/src/main/resources/dev/adjoint/cuda/ptx
isa=8.0
mkdir -p "$out"
for cu in "$src"/*.cu; do
  name=$(basename "$cu" .cu)
  nvcc -ptx -arch=compute_80 -O3 -std=c++17 "$cu" -o "$out/$name.ptx.tmp"
  sed -e "s/^\.version [0-9.]*$/.version $isa/" -e '/\.pragma "used_bytes_mask/d' \
      -e '/^\/\/ Compiler Build ID/d' -e '/^\/\/ Cuda compilation tools/d' \
      -e '/^\/\/ Based on NVVM/d' "$out/$name.ptx.tmp" > "$out/$name.ptx"
  rm "$out/$name.ptx.tmp"
  for arch in sm_80 sm_90; do
    ptxas -arch=$arch "$out/$name.ptx" -o /dev/null
  done
  echo "$name.ptx: $(grep -c '^\.visible \.entry' "$out/$name.ptx") kernels, ISA $isa, ptxas sm_80 and sm_90 ok"
done
if command -v g++ >/dev/null; then
  "$here/src/test/emulator/build.sh" && echo "emulator rebuilt: run emulator-check.sh"
else
  echo "g++ not found: the emulator (src/test/emulator) was not rebuilt"
fi
