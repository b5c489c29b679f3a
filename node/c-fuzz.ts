// The fuzzer's C path: every mutant the STS interpreter saw (node/fuzz.ts) is loaded by the C
// loader too (kernels/host/loader_tool.c built with ASan and UBSan) and, when the STS invoked it,
// invoked through the C kernels with the same inputs. The C must reach the same verdict (both
// refuse, or both load with the same plan, parameter blocks, inputs and outputs: the dumps
// test/loader.test.ts compares), give byte-identical outputs, and never crash, hang or trip a
// sanitizer. Mutants go to one loader_tool process per batch (its "runs" command), since starting
// a sanitized process costs more than loading a small model.
import * as childProcess from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { LOADER_TOOL } from "./c-loader";
import { FuzzFailure, MutantCheck, StsMutant } from "./fuzz";

/** How to make a mutant again, as a failure message ends. */
export function replayCommand(m: StsMutant): string {
    return `node built/tools/fuzz.js --replay ${m.seed} ${m.index}`;
}

export interface CFuzzCounts {
    /** Mutants the C loader saw, those both loaders loaded, and those invoked through the C kernels. */
    checked: number;
    loaded: number;
    invoked: number;
    /** Mutants both loaders refused, and those of them refused with other words (only reported: the verdict is the same). */
    rejected: number;
    otherMessages: number;
}

/** Runs the C loader and kernels on the fuzzer's mutants in batches: see the top of this file. */
export class CFuzzCheck implements MutantCheck {
    counts: CFuzzCounts = { checked: 0, loaded: 0, invoked: 0, rejected: 0, otherMessages: 0 };
    private pending: StsMutant[] = [];
    private pendingBytes = 0;
    private dir: string;
    private tool: string;
    private batch: number;
    private batchBytes: number;
    private msPerMutant: number;
    private only?: number;
    private failures?: string[];

    /**
     * `batch` mutants (or `batchBytes` of them) per process; `msPerMutant`: how long a batch may
     * take per mutant before it counts as a hang; `only`: check only the mutant of that index
     * (replaying one); `dir`: where the batch's files go (kept), else a temporary directory;
     * `failures`: each failure's message goes there and checking goes on (a long run counts
     * them), instead of the first one being thrown.
     */
    constructor(opts: { tool?: string; batch?: number; batchBytes?: number; msPerMutant?: number; only?: number; dir?: string; failures?: string[] } = {}) {
        this.tool = opts.tool ?? LOADER_TOOL;
        this.batch = opts.batch ?? 250;
        this.batchBytes = opts.batchBytes ?? 16 << 20;
        this.msPerMutant = opts.msPerMutant ?? 200;
        this.only = opts.only;
        this.failures = opts.failures;
        this.dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), "c-fuzz-"));
        fs.mkdirSync(this.dir, { recursive: true });
    }

    add(mutant: StsMutant): void {
        if (this.only !== undefined && mutant.index !== this.only) return;
        this.pending.push(mutant);
        this.pendingBytes += mutant.model.length;
        if (this.pending.length >= this.batch || this.pendingBytes >= this.batchBytes) this.flush();
    }

    /** Removes the batch files (not a directory given to the constructor). */
    close(): void {
        fs.rmSync(this.dir, { recursive: true, force: true });
    }

    flush(): void {
        let batch = this.pending;
        this.pending = [];
        this.pendingBytes = 0;
        // After a crash (when failures are collected), the mutants after the one that crashed go to a new process.
        while (batch.length) batch = this.runBatch(batch);
    }

    private failure(message: string): void {
        if (!this.failures) throw new FuzzFailure(message);
        this.failures.push(message);
    }

    /** Runs a batch of mutants in one process and checks them; returns those left unchecked by a crash. */
    private runBatch(batch: StsMutant[]): StsMutant[] {
        const files = batch.map((m, slot) => this.writeMutant(m, slot));
        const list = path.join(this.dir, "list");
        fs.writeFileSync(list, files.map((f) => (f.inputs ? `${f.model} ${f.inputs} ${f.outputs}` : f.model)).join("\n") + "\n");
        const timeout = 30000 + batch.length * this.msPerMutant;
        // UBSan's reports name the function only with a stack trace.
        const env = { ...process.env, UBSAN_OPTIONS: "print_stacktrace=1" + (process.env.UBSAN_OPTIONS ? ":" + process.env.UBSAN_OPTIONS : "") };
        const run = childProcess.spawnSync(this.tool, ["runs", list], { encoding: "utf8", maxBuffer: 256 << 20, timeout, env });
        const stdout = run.stdout ?? "", stderr = run.stderr ?? "";
        // Each mutant's part starts with its "model PATH" line, flushed before it is loaded.
        const parts = stdout.split(/^model \S+\n/m).slice(1);
        const crashed = run.status !== 0 || run.signal !== null || stderr.trim() !== "" || !/^done$/m.test(stdout);
        if (crashed) {
            if (run.error && (run.error as any).code === "ENOENT") throw new Error(`no ${this.tool}: buildLoaderTool() (node/c-loader.ts) builds it`);
            const at = Math.max(0, parts.length - 1);
            const how = run.error && (run.error as any).code === "ETIMEDOUT" ? `did not finish within ${timeout} ms (a hang?)`
                : run.error ? `could not be run (${run.error.message})`
                : `crashed (exit status ${run.status}, signal ${run.signal})`;
            // The mutants before it finished: check them first, a difference there is the earlier failure.
            this.compare(batch.slice(0, at), parts, files);
            const report = stderr.length > 6000 ? stderr.slice(0, 6000) + "\n..." : stderr;
            this.counts.checked++;
            this.failure(`${batch[at].replay}: the C loader_tool ${how} on it (${files[at].model}):\n` +
                `${report}\nreplay: ${replayCommand(batch[at])}`);
            return batch.slice(at + 1);
        }
        this.compare(batch, parts, files);
        return [];
    }

    private writeMutant(m: StsMutant, slot: number): { model: string; inputs?: string; outputs?: string } {
        const model = path.join(this.dir, `m${slot}.tflite`);
        fs.writeFileSync(model, m.model);
        if (!m.inputs) return { model };
        const inputs = path.join(this.dir, `m${slot}.in`), outputs = path.join(this.dir, `m${slot}.out`);
        fs.writeFileSync(inputs, Buffer.concat(m.inputs));
        fs.rmSync(outputs, { force: true }); // a stale file must not pass for this run's outputs
        return { model, inputs, outputs };
    }

    private compare(batch: StsMutant[], parts: string[], files: { outputs?: string }[]): void {
        batch.forEach((m, slot) => {
            try {
                this.compareOne(m, parts[slot], files[slot]);
            } catch (e) {
                if (!(e instanceof FuzzFailure)) throw e;
                this.failure(e.message);
            }
        });
    }

    private compareOne(m: StsMutant, part: string, files: { outputs?: string }): void {
        const lines = part.trimEnd().split("\n").filter((l) => l !== "done");
        const invoked = lines[lines.length - 1] === "invoked";
        if (invoked) lines.pop();
        const c = { ok: !lines[0].startsWith("error "), text: lines.join("\n") };
        this.counts.checked++;
        const fail = (what: string) => { throw new FuzzFailure(`${m.replay}: ${what}\nreplay: ${replayCommand(m)}`); };
        if (c.ok !== m.sts.ok || (c.ok && c.text !== m.sts.text))
            fail(`the C and the STS loaders differ on it:\n  C:   ${c.text.slice(0, 1500)}\n  STS: ${m.sts.text.slice(0, 1500)}`);
        if (!c.ok) {
            this.counts.rejected++;
            if (c.text !== m.sts.text) this.counts.otherMessages++;
            return;
        }
        this.counts.loaded++;
        if (!m.outputs) return;
        if (!invoked) fail("the C did not invoke it");
        const got = fs.readFileSync(files.outputs!);
        const want = Buffer.concat(m.outputs);
        if (got.length !== want.length) fail(`the C kernels wrote ${got.length} bytes of outputs, the STS ${want.length}`);
        // The outputs' types, from the dump's "output I TENSOR TYPE ..." lines.
        const types = c.text.split("\n").filter((l) => l.startsWith("output ")).map((l) => Number(l.split(" ")[3]));
        let start = 0;
        m.outputs.forEach((sts, i) => {
            const at = firstDifference(types[i], got.subarray(start, start + sts.length), sts);
            if (at >= 0)
                fail(`the C kernels' output ${i} differs from the STS's at byte ${at} of ${sts.length}` +
                    ` (C ${got.subarray(start + at, start + at + 8).toString("hex")}, STS ${sts.subarray(at, at + 8).toString("hex")})`);
            start += sts.length;
        });
        this.counts.invoked++;
    }
}

const FLOAT32 = 0;

/**
 * The first byte where an output of the C and the STS differ, or -1. Every byte counts, except
 * that any two float32 NaNs are alike: a NaN's sign and payload are the FPU's (x86's default NaN
 * is negative, Arm's positive; C passes an input NaN's payload on, the STS's arithmetic may not),
 * and TFLite promises neither.
 */
export function firstDifference(type: number, c: Buffer, sts: Buffer): number {
    for (let at = 0; at < c.length; at++) {
        if (c[at] === sts[at]) continue;
        if (type === FLOAT32) {
            const element = at & ~3;
            if (element + 4 <= c.length && Number.isNaN(c.readFloatLE(element)) && Number.isNaN(sts.readFloatLE(element))) {
                at = element + 3;
                continue;
            }
        }
        return at;
    }
    return -1;
}
