#!/usr/bin/env bash
# Builds the CPU emulator of the kernels (target/emulator/adjoint-emulator): the .cu sources of
# src/main/cuda compiled as host C++ against emu.h. Needs g++ (C++17).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
module=$(cd "$here/../../.." && pwd)
out=$module/target/emulator
mkdir -p "$out"
objs=()
for cu in "$module"/src/main/cuda/*.cu; do
  o=$out/$(basename "$cu" .cu).o
  g++ -std=c++17 -O2 -g -DADJOINT_EMULATE -I"$here" -I"$module/src/main/cuda" -x c++ -c "$cu" -o "$o"
  objs+=("$o")
done
g++ -std=c++17 -O2 -g -I"$here" -c "$here/emulator.cpp" -o "$out/emulator.o"
g++ -o "$out/adjoint-emulator" "$out/emulator.o" "${objs[@]}"
echo "built $out/adjoint-emulator"
