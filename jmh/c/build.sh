#!/usr/bin/env bash
# Builds the C floor programs (stream, pingpong, datapath) with the machine's cc -O2 into jmh/target/c/, or into
# the directory given. They include examples/c/mmapring.h by relative path.
#
#   jmh/c/build.sh [--broken] [DIR]
#
# --broken builds a deliberately wrong variant (the producer or the echo sends one wrong id), to show
# that the programs' own checks catch it: both must then exit with status 1.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
defines=()
if [[ "${1:-}" == "--broken" ]]; then
    defines=(-DCFLOOR_BROKEN)
    shift
fi
out="${1:-$here/../target/c}"
mkdir -p "$out"
cc="${CC:-cc}"
for program in stream pingpong datapath; do
    "$cc" -O2 -std=c11 -Wall -Wextra -Werror ${defines[@]+"${defines[@]}"} -o "$out/$program" "$here/$program.c"
done
echo "built stream, pingpong and datapath in $(cd "$out" && pwd) with $("$cc" --version | head -1)${defines[*]:+ (${defines[*]})}"
