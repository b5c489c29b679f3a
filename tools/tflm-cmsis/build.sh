#!/bin/bash
# Builds TFLM, with CMSIS-NN and with its reference kernels, into two programs for QEMU's
# mps2-an386 (Cortex-M4F) that tools/native-bench.ts runs beside our kernels (npm run bench).
# Everything is built OUTSIDE this project, in $WORK; the project holds no TFLM or CMSIS code,
# only the benchmark program (tflm_bench.cc, startup.c, mps2.ld next to this script).
#
#   tools/tflm-cmsis/build.sh
#
# Environment (defaults are this machine's):
#   TFLM_SRC        an unpacked TFLM source tree with its third-party downloads (flatbuffers,
#                   gemmlowp, ruy, kissfft) in tensorflow/lite/micro/tools/make/downloads
#                   (default ../tflm/src); hard-linked into $WORK/tflm, never written to
#   CMSIS_NN_GIT, CMSIS_6_GIT, CORTEX_DFP_GIT
#                   git directories of ARM-software/CMSIS-NN, CMSIS_6 and Cortex_DFP holding the
#                   commits TFLM's ext_libs/cmsis_nn_download.sh and cmsis_download.sh pin; those
#                   commits are unpacked where those scripts would have put their zip files, so
#                   TFLM's makefile finds them and downloads nothing
#   WORK            where it all goes (default ../tflm-cmsis); the programs land in $WORK/out
#                   (tools/native-bench.ts's default TFLM_CMSIS_ELF_DIR)
#
# The build uses TFLM's own makefile and flags (TARGET=cortex_m_generic TARGET_ARCH=cortex-m4+fp,
# its default BUILD_TYPE: kernels and CMSIS-NN at -O2, the framework at -Os, hard float) with
# Debian's arm-none-eabi-gcc in /usr/bin instead of the toolchain it would download. It asks the
# makefile for only the objects these two models need (the framework, the CONV_2D,
# DEPTHWISE_CONV_2D, FULLY_CONNECTED, AVERAGE_POOL_2D, RESHAPE and SOFTMAX kernels, all of
# CMSIS-NN), not the whole 295-object library: the same compile commands, a quarter of the time.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
TFLM_SRC=${TFLM_SRC:-$REPO/../tflm/src}
WORK=${WORK:-$REPO/../tflm-cmsis}
CMSIS_NN_GIT=${CMSIS_NN_GIT:-/work/.mirror/ARM-software+CMSIS-NN/repo}
CMSIS_6_GIT=${CMSIS_6_GIT:-/work/.mirror/ARM-software+CMSIS_6/repo}
CORTEX_DFP_GIT=${CORTEX_DFP_GIT:-/work/.mirror/ARM-software+Cortex_DFP/repo}
# TFLM's makefile runs Python generators that need Debian's python3 (PIL, numpy).
export PATH=/usr/bin:$PATH

mkdir -p "$WORK/out" "$WORK/logs"
T=$WORK/tflm
if [ ! -d "$T" ]; then
    cp -al "$TFLM_SRC" "$T"
    rm -rf "$T/gen"
fi
MK=$T/tensorflow/lite/micro/tools/make
DL=$MK/downloads
# The commits TFLM's download scripts pin (cmsis_download.sh: CMSIS_6's, then Cortex_DFP's).
CMSIS_NN_COMMIT=$(grep -o '[0-9a-f]\{40\}' "$MK/ext_libs/cmsis_nn_download.sh" | sed -n 1p)
CMSIS_6_COMMIT=$(grep -o '[0-9a-f]\{40\}' "$MK/ext_libs/cmsis_download.sh" | sed -n 1p)
CORTEX_DFP_COMMIT=$(grep -o '[0-9a-f]\{40\}' "$MK/ext_libs/cmsis_download.sh" | sed -n 2p)
unpack() { # git dir, commit, destination
    if [ ! -d "$3" ]; then
        mkdir -p "$3"
        git --git-dir="$1" archive "$2" | tar -x -C "$3"
    fi
}
unpack "$CMSIS_NN_GIT" "$CMSIS_NN_COMMIT" "$DL/cmsis_nn"
unpack "$CMSIS_6_GIT" "$CMSIS_6_COMMIT" "$DL/cmsis"
unpack "$CORTEX_DFP_GIT" "$CORTEX_DFP_COMMIT" "$DL/cmsis/Cortex_DFP"

COMMON="TARGET=cortex_m_generic TARGET_ARCH=cortex-m4+fp TOOLCHAIN=gcc TARGET_TOOLCHAIN_ROOT=/usr/bin/"
INFO=$WORK/out/BUILD_INFO
{
    echo "built $(date -u +%Y-%m-%dT%H:%M:%SZ) by tools/tflm-cmsis/build.sh"
    echo "TFLM $(cat "$TFLM_SRC/../TFLM_COMMIT" 2>/dev/null || echo '(commit unknown: no TFLM_COMMIT beside TFLM_SRC)')"
    echo "CMSIS-NN $CMSIS_NN_COMMIT"
    echo "CMSIS_6 $CMSIS_6_COMMIT"
    echo "Cortex_DFP $CORTEX_DFP_COMMIT"
    echo "$(arm-none-eabi-gcc --version | head -1)"
    echo "make $COMMON [OPTIMIZED_KERNEL_DIR=cmsis_nn]"
} > "$INFO"

cd "$T"
for V in cmsis_nn ref; do
    FLAGS=$COMMON
    [ $V = cmsis_nn ] && FLAGS="$FLAGS OPTIMIZED_KERNEL_DIR=cmsis_nn"
    # The makefile's own compile commands, from a dry run of the whole library (-B: every
    # command, also for objects already built).
    make -n -B -f tensorflow/lite/micro/tools/make/Makefile $FLAGS microlite > "$WORK/logs/$V-dry.txt" 2>/dev/null
    grep " -c " "$WORK/logs/$V-dry.txt" | sed 's/.* -o //' | awk '
        /obj\/third_party_kernels\// { print; next }
        /obj\/core\// { if ($0 !~ /test_helper/) print; next }
        /obj\/kernels\// { n = split($0, p, "/"); if (p[n] ~ /^(conv|conv_common|depthwise_conv|depthwise_conv_common|fully_connected|fully_connected_common|pooling|pooling_common|reshape|reshape_common|softmax|softmax_common|kernel_util)\.o$/) print }' \
        > "$WORK/logs/$V-objs.txt"
    nice -n 15 make -f tensorflow/lite/micro/tools/make/Makefile $FLAGS -j2 $(cat "$WORK/logs/$V-objs.txt") > "$WORK/logs/$V-objs.log" 2>&1
    # The benchmark program: compiled with the command the makefile compiles its interpreter with.
    O=$WORK/obj-$V
    mkdir -p "$O"
    CXX=$(grep " -c tensorflow/lite/micro/micro_interpreter.cc " "$WORK/logs/$V-dry.txt" | sed 's/ -c .*//; s/ -MD / /')
    eval "$CXX -c $HERE/tflm_bench.cc -o $O/tflm_bench.o"
    arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16 -O2 -c "$HERE/startup.c" -o "$O/startup.o"
    arm-none-eabi-g++ -mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16 --specs=rdimon.specs -nostartfiles \
        -T "$HERE/mps2.ld" -Wl,--gc-sections -Wl,-Map="$WORK/out/tflm-$V-m4.map" -o "$WORK/out/tflm-$V-m4.elf" \
        "$O/tflm_bench.o" "$O/startup.o" $(cat "$WORK/logs/$V-objs.txt") -lm
    echo "$V kernel compile: $(grep " -c tensorflow/lite/micro/kernels/.*conv.cc " "$WORK/logs/$V-dry.txt" | head -1 | sed 's/ -I.*//')" >> "$INFO"
    echo "built $WORK/out/tflm-$V-m4.elf"
done
