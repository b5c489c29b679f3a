// npm run size: flash bytes of the C kernels, as arm-none-eabi-size counts text, built -Os for the
// Cortex-M4F (micro:bit v2, SAMD51) and the Cortex-M0 (micro:bit v1).
//
// Each figure links a table of pointers to the bodies in question with --gc-sections, so it counts
// exactly the code those bodies reach: the kernels, their shared helpers, and what they take from
// the toolchain (memcpy/memset, libgcc's 64-bit and division helpers). Nothing else is linked.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const KERNELS = path.resolve(__dirname, "..", "..", "kernels");

/** The bodies micro_speech_quantized.tflite runs. */
export const MICRO_SPEECH_BODIES = ["reshape_bytes", "depthwise_conv_2d_int8", "fully_connected_int8", "softmax_int8"];

export const CPUS: { [name: string]: string[] } = {
    "Cortex-M4F": ["-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv4-sp-d16"],
    "Cortex-M0": ["-mcpu=cortex-m0", "-mthumb"],
};

/** Every body the C header lists (TFLITE_BODIES), in its order. */
export function allBodies(): string[] {
    const header = fs.readFileSync(path.join(KERNELS, "tflite_abi.h"), "utf8");
    const list = header.slice(header.indexOf("#define TFLITE_BODIES(X)"));
    const bodies: string[] = [];
    for (const line of list.split("\n").slice(1)) {
        const m = line.match(/^\s*X\((\w+)\)/);
        if (!m) break;
        bodies.push(m[1]);
    }
    return bodies;
}

/** Text bytes of the given bodies and all they reach, built -Os for `cpu`. */
export function textBytes(bodies: string[], cpu: string): number {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tflite-size-"));
    try {
        const root = path.join(dir, "root.c");
        fs.writeFileSync(root, `#include "tflite_abi.h"\n` +
            `typedef void (*tfl_body)(int32_t *, const uint8_t *, uint8_t *);\n` +
            `const tfl_body tfl_size_root[] = { ${bodies.map((b) => "tflite_" + b).join(", ")} };\n`);
        const sources = fs.readdirSync(KERNELS).filter((f) => f.endsWith(".c") && !/^(harness|board_bench|startup)/.test(f))
            .map((f) => path.join(KERNELS, f));
        const elf = path.join(dir, "kernels.elf");
        execFileSync("arm-none-eabi-gcc", [...CPUS[cpu], "-std=c99", "-Os", "-DNDEBUG", "-ffp-contract=off",
            "-ffunction-sections", "-fdata-sections", "-I" + KERNELS, "-nostartfiles", "-Wl,--gc-sections",
            "-Wl,-e,tfl_size_root", "-Wl,--undefined=tfl_size_root", "-o", elf, root, ...sources, "-lgcc", "-lc"]);
        // Berkeley format: text data bss dec hex filename. The pointer table itself is rodata, in text.
        const line = execFileSync("arm-none-eabi-size", [elf], { encoding: "utf8" }).trim().split("\n")[1];
        return parseInt(line.trim().split(/\s+/)[0], 10) - 4 * bodies.length;
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

export function sizeTable(): string {
    const all = allBodies();
    const rows = [["micro_speech (" + MICRO_SPEECH_BODIES.length + " bodies)", MICRO_SPEECH_BODIES], ["all kernels (" + all.length + " bodies)", all]] as [string, string[]][];
    const lines = ["| C kernels, -Os | " + Object.keys(CPUS).join(" text bytes | ") + " text bytes |", "|---|---:|---:|"];
    for (const [name, bodies] of rows) lines.push(`| ${name} | ${Object.keys(CPUS).map((cpu) => textBytes(bodies, cpu)).join(" | ")} |`);
    return lines.join("\n");
}

if (require.main === module) console.log(sizeTable());
