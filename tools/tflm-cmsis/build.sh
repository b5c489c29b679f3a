#!/bin/bash
# Builds TFLM, with CMSIS-NN and with its reference kernels, into programs for QEMU's mps2-an386
# (Cortex-M4F) and for QEMU's microbit (Cortex-M0, the micro:bit v1's nRF51822, 16 KB
# of RAM) that tools/native-bench.ts runs beside our kernels (npm run bench).
# Everything is built OUTSIDE this project, in $WORK; the project holds no TFLM or CMSIS code,
# only the benchmark program (tflm_bench.cc, startup.c, mps2.ld next to this script).
#
#   tools/tflm-cmsis/build.sh                 # all: cmsis_nn-m4 ref-m4 cmsis_nn-m0 ref-m0
#   BUILDS="cmsis_nn-m0" tools/tflm-cmsis/build.sh   # only those (KERNELS-CORE, CORE m4 or m0)
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
# The build uses TFLM's own makefile and flags (TARGET=cortex_m_generic, TARGET_ARCH=cortex-m4+fp
# or cortex-m0, its default BUILD_TYPE: kernels and CMSIS-NN at -O2, the framework at -Os; hard
# float on the M4, soft on the M0, which has no FPU and no DSP instructions, so CMSIS-NN takes its
# portable C paths) with Debian's arm-none-eabi-gcc in /usr/bin instead of the toolchain it would
# download. It asks the makefile for only the objects these two models need (the framework, the CONV_2D,
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

BUILDS=${BUILDS:-cmsis_nn-m4 ref-m4 cmsis_nn-m0 ref-m0}
COMMON="TARGET=cortex_m_generic TOOLCHAIN=gcc TARGET_TOOLCHAIN_ROOT=/usr/bin/"
INFO=$WORK/out/BUILD_INFO
{
    echo "built $(date -u +%Y-%m-%dT%H:%M:%SZ) by tools/tflm-cmsis/build.sh"
    echo "TFLM $(cat "$TFLM_SRC/../TFLM_COMMIT" 2>/dev/null || echo '(commit unknown: no TFLM_COMMIT beside TFLM_SRC)')"
    echo "CMSIS-NN $CMSIS_NN_COMMIT"
    echo "CMSIS_6 $CMSIS_6_COMMIT"
    echo "Cortex_DFP $CORTEX_DFP_COMMIT"
    echo "$(arm-none-eabi-gcc --version | head -1)"
    echo "make $COMMON TARGET_ARCH=<cortex-m4+fp|cortex-m0> [OPTIMIZED_KERNEL_DIR=cmsis_nn]"
} > "$INFO"

cd "$T"
for B in $BUILDS; do
    V=${B%-*}
    case $B in
    *-m4) # mps2-an386: everything in RAM (mps2.ld), newlib
        ARCH=cortex-m4+fp
        CPU="-mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16"
        DEFS=""
        BOARD="-T $HERE/mps2.ld --specs=rdimon.specs" ;;
    *-m0) # microbit: code in flash, 16 KB of RAM (microbit.ld), newlib-nano as our M0 harness
        ARCH=cortex-m0
        CPU="-mcpu=cortex-m0 -mthumb"
        DEFS="-DTFLM_BENCH_MICROBIT"
        BOARD="-T $HERE/microbit.ld --specs=nano.specs --specs=rdimon.specs" ;;
    *) echo "unknown build $B (KERNELS-CORE: cmsis_nn or ref, m4 or m0)" >&2; exit 2 ;;
    esac
    FLAGS="$COMMON TARGET_ARCH=$ARCH"
    case $V in
    cmsis_nn) FLAGS="$FLAGS OPTIMIZED_KERNEL_DIR=cmsis_nn" ;;
    ref) ;;
    *) echo "unknown kernels $V in $B (cmsis_nn or ref)" >&2; exit 2 ;;
    esac
    # The makefile's own compile commands, from a dry run of the whole library (-B: every
    # command, also for objects already built).
    make -n -B -f tensorflow/lite/micro/tools/make/Makefile $FLAGS microlite > "$WORK/logs/$B-dry.txt" 2>/dev/null
    grep " -c " "$WORK/logs/$B-dry.txt" | sed 's/.* -o //' | awk '
        /obj\/third_party_kernels\// { print; next }
        /obj\/core\// { if ($0 !~ /test_helper/) print; next }
        /obj\/kernels\// { n = split($0, p, "/"); if (p[n] ~ /^(conv|conv_common|depthwise_conv|depthwise_conv_common|fully_connected|fully_connected_common|pooling|pooling_common|reshape|reshape_common|softmax|softmax_common|kernel_util)\.o$/) print }' \
        > "$WORK/logs/$B-objs.txt"
    nice -n 15 make -f tensorflow/lite/micro/tools/make/Makefile $FLAGS -j2 $(cat "$WORK/logs/$B-objs.txt") > "$WORK/logs/$B-objs.log" 2>&1
    # The benchmark program: compiled with the command the makefile compiles its interpreter with.
    O=$WORK/obj-$B
    mkdir -p "$O"
    CXX=$(grep " -c tensorflow/lite/micro/micro_interpreter.cc " "$WORK/logs/$B-dry.txt" | sed 's/ -c .*//; s/ -MD / /')
    eval "$CXX $DEFS -c $HERE/tflm_bench.cc -o $O/tflm_bench.o"
    arm-none-eabi-gcc $CPU $DEFS -O2 -c "$HERE/startup.c" -o "$O/startup.o"
    arm-none-eabi-g++ $CPU $BOARD -nostartfiles -Wl,--gc-sections -Wl,-Map="$WORK/out/tflm-$B.map" -o "$WORK/out/tflm-$B.elf" \
        "$O/tflm_bench.o" "$O/startup.o" $(cat "$WORK/logs/$B-objs.txt") -lm
    # Beside the program, not in BUILD_INFO: a run for some BUILDS leaves the others' as they were.
    {
        echo "$B kernel compile: $(grep " -c tensorflow/lite/micro/kernels/.*conv.cc " "$WORK/logs/$B-dry.txt" | head -1 | sed 's/ -I.*//')"
        echo "$B: $(arm-none-eabi-size "$WORK/out/tflm-$B.elf" | tail -1 | awk '{ print $1 " bytes text, " $2 " data, " $3 " bss" }')"
    } > "$WORK/out/tflm-$B.info"
    echo "built $WORK/out/tflm-$B.elf"
done
