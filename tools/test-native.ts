// npm run test:native: the C kernels proven against the STS ones without hardware, by replay.
//
// Records every kernel call of the conformance cases (golden-verified) and of generated single-op
// models (node/replay.ts), builds the C harness (kernels/Makefile), and replays both recordings on
// the host (gcc with AddressSanitizer and UBSan), on QEMU's Cortex-M4 board (mps2-an386) and on
// QEMU's micro:bit (Cortex-M0, 16 KB of RAM), both with semihosting. The micro:bit skips the
// cases whose model, arena or parameter block it has no room for, and says which and why. Prints
// each run's result and ends with one line "N passed, M failed", counting cases over all runs.
import { execFileSync } from "child_process";
import * as path from "path";
import { GENERATED_RECORDING, KERNELS, NATIVE_BUILT, RECORDING, recordConformance, recordGenerated } from "../node/replay";

export interface ReplayRun {
    platform: string; recording: string; passed: number; failed: number; output: string;
    /** Cases skipped because the board has no room for them, with the harness's reason. */
    skipped: Map<string, string>;
}

/** The harness's last "N passed, M failed" line (cases), or a failed run when there is none. */
function parseCases(output: string): { passed: number; failed: number; skipped: Map<string, string> } {
    const skipped = new Map<string, string>();
    for (const m of output.matchAll(/^skip (\S+): does not fit this board: (.*)$/gm)) skipped.set(m[1], m[2]);
    const lines = output.trim().split("\n").filter((l) => /^\d+ passed, \d+ failed$/.test(l.trim()));
    if (!lines.length) return { passed: 0, failed: 1, skipped };
    const m = lines[lines.length - 1].trim().match(/^(\d+) passed, (\d+) failed$/)!;
    return { passed: +m[1], failed: +m[2], skipped };
}

function run(command: string, args: string[]): string {
    try {
        return execFileSync(command, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 << 20 });
    } catch (e: any) {
        // A harness that finds a difference exits non-zero: its output still says which.
        return String(e.stdout || "") + String(e.stderr || "") + "\n(exit " + e.status + ")";
    }
}

export function runNativeReplay(): ReplayRun[] {
    recordConformance(RECORDING);
    recordGenerated(GENERATED_RECORDING);
    execFileSync("make", ["-s", "-C", KERNELS, "host", "m4", "m0"], { stdio: ["ignore", "ignore", "inherit"] });
    const runs: ReplayRun[] = [];
    for (const recording of [RECORDING, GENERATED_RECORDING]) {
        const host = run(path.join(NATIVE_BUILT, "harness-host"), [recording]);
        runs.push({ platform: "host (ASan, UBSan)", recording, ...parseCases(host), output: host });
        const m4 = run("make", ["-s", "-C", KERNELS, "replay-m4", "RECORDING=" + recording]);
        runs.push({ platform: "Cortex-M4 (QEMU mps2-an386)", recording, ...parseCases(m4), output: m4 });
        const m0 = run("make", ["-s", "-C", KERNELS, "replay-m0", "RECORDING=" + recording]);
        runs.push({ platform: "Cortex-M0 (QEMU microbit)", recording, ...parseCases(m0), output: m0 });
    }
    return runs;
}

if (require.main === module) {
    const runs = runNativeReplay();
    let passed = 0, failed = 0;
    for (const r of runs) {
        console.log(`${r.platform}, ${path.basename(r.recording)}: ${r.passed} passed, ${r.failed} failed` +
            (r.skipped.size ? `, ${r.skipped.size} skipped (no room on the board)` : ""));
        // One line per model and reason: "skipped 5 person_detect cases: model of 300568 bytes (room for 131072)".
        const byReason = new Map<string, number>();
        for (const [name, why] of r.skipped) {
            const key = `${name.split("/")[0]} cases: ${why}`;
            byReason.set(key, (byReason.get(key) || 0) + 1);
        }
        for (const [why, n] of byReason) console.log(`  skipped ${n} ${why}`);
        if (r.failed) console.log(r.output.split("\n").filter((l) => /FAIL|differ|error/i.test(l)).slice(0, 20).join("\n"));
        passed += r.passed;
        failed += r.failed;
    }
    console.log(`${passed} passed, ${failed} failed`);
    process.exit(failed ? 1 : 0);
}
