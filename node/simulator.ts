// Runs Static TypeScript programs that use libs/tflite in the MakeCode micro:bit simulator,
// headless, inside this Node process: pxt compiles the program for the simulator (as the editor
// does), and pxt-microbit's simulator (the same code the editor runs in the browser) executes
// it. What the program writes to the serial port comes back; accelerometer samples can be fed
// in over time.
import * as childProcess from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as vm from "vm";

/** The repository root (this file runs from built/node/). */
export const ROOT = path.resolve(__dirname, "..", "..");
const PXT_CLI = path.join(ROOT, "tools", "pxt.js");
const MODULES = path.join(ROOT, "node_modules");
export const LIB_DIR = path.join(ROOT, "libs", "tflite");

/**
 * The extensions every project here depends on besides tflite: pxt-microbit ships the native
 * runtime prebuilt for exactly {core, radio, microphone}, so `pxt build` works offline.
 */
export const BASE_DEPENDENCIES: { [name: string]: string } = { core: "*", radio: "*", microphone: "*" };

export interface PxtResult { status: number; output: string }

/** Runs the pxt command line (tools/pxt.js) in `dir`. */
export function pxt(dir: string, args: string[], env?: { [name: string]: string }): PxtResult {
    const res = childProcess.spawnSync(process.execPath, [PXT_CLI, ...args], {
        cwd: dir, encoding: "utf8", env: { ...process.env, ...(env || {}) }, maxBuffer: 256 << 20,
    });
    if (res.error) throw res.error;
    return { status: res.status === null ? -1 : res.status, output: (res.stdout || "") + (res.stderr || "") };
}

/** The "file(line,col): error TS...: message" lines of pxt's output. */
export function compileErrors(output: string): string[] {
    return output.split(/\r?\n/).map((l) => l.trim()).filter((l) => /^.+\(\d+,\d+\): error TS\d+: /.test(l));
}

/**
 * Writes a MakeCode project in `dir` that depends on libs/tflite (by relative path, as pxt
 * requires), with `files` (name -> text, main.ts first), and installs its dependencies once.
 */
export function writeProject(dir: string, name: string, files: { [name: string]: string }): void {
    fs.mkdirSync(dir, { recursive: true });
    const config = {
        name,
        dependencies: { ...BASE_DEPENDENCIES, tflite: "file:" + path.relative(dir, LIB_DIR).split(path.sep).join("/") },
        files: Object.keys(files),
    };
    const configText = JSON.stringify(config, null, 4) + "\n";
    const configFile = path.join(dir, "pxt.json");
    if (!fs.existsSync(configFile) || fs.readFileSync(configFile, "utf8") !== configText) fs.writeFileSync(configFile, configText);
    for (const f of Object.keys(files)) {
        const file = path.join(dir, f);
        if (!fs.existsSync(file) || fs.readFileSync(file, "utf8") !== files[f]) fs.writeFileSync(file, files[f]);
    }
    if (!fs.existsSync(path.join(dir, "pxt_modules", "microphone", "pxt.json"))) {
        const res = pxt(dir, ["install"]);
        if (res.status !== 0) throw new Error("pxt install failed in " + dir + ":\n" + res.output);
    }
}

/** Compiles the project in `dir` for the simulator; returns the program (built/debug/binary.js). */
export function compileForSimulator(dir: string): string {
    const out = path.join(dir, "built", "debug", "binary.js");
    if (fs.existsSync(out)) fs.unlinkSync(out);
    const res = pxt(dir, ["compilesim"]);
    const errors = compileErrors(res.output);
    if (res.status !== 0 || errors.length || !fs.existsSync(out))
        throw new Error("pxt could not compile " + dir + " for the simulator:\n" + (errors.length ? errors.join("\n") : res.output));
    return fs.readFileSync(out, "utf8");
}

let simulatorLoaded = false;

/** Loads pxt's simulator runtime and pxt-microbit's board into this process, once. */
function loadSimulator(): any {
    if (!simulatorLoaded) {
        for (const file of ["pxt-core/built/pxtsim.js", "pxt-microbit/built/common-sim.js", "pxt-microbit/built/sim.js"]) {
            const full = path.join(MODULES, file);
            vm.runInThisContext(fs.readFileSync(full, "utf8"), { filename: full });
        }
        simulatorLoaded = true;
    }
    return (globalThis as any).pxsim;
}

/** One accelerometer reading, `atMs` after the program starts, in milli-g as input.acceleration gives. */
export interface AccelerometerSample { atMs: number; x: number; y: number; z: number }

export interface SimulatorOptions {
    /** Readings to feed in, each at its time (wall clock: the simulator runs in real time). */
    accelerometer?: AccelerometerSample[];
    /** Stop once this holds for the serial lines so far (for programs that never end). */
    until?: (lines: string[]) => boolean;
    /** Fail after this long (default 10 minutes). */
    timeoutMs?: number;
}

export interface SimulatorRun {
    /** Serial output, each line without its line ending or the padding serial.writeLine adds. */
    lines: string[];
    /** Wall-clock milliseconds from start to end. */
    ms: number;
}

let running = false;

/**
 * Runs a compiled program (binary.js) in the micro:bit simulator until its main code returns (or
 * `until` holds); resolves with its serial output, rejects on a runtime error or timeout.
 */
export function runInSimulator(code: string, options: SimulatorOptions = {}): Promise<SimulatorRun> {
    const pxsim = loadSimulator();
    if (running) return Promise.reject(new Error("the simulator runs one program at a time"));
    running = true;
    return new Promise<SimulatorRun>((resolve, reject) => {
        let text = "";
        const lines: string[] = [];
        const timers: NodeJS.Timeout[] = [];
        let runtime: any = null;
        let finished = false;
        const start = Date.now();

        const finish = (error: Error | null) => {
            if (finished) return;
            finished = true;
            running = false;
            timers.forEach((t) => clearTimeout(t));
            pxsim.Runtime.messagePosted = undefined;
            try {
                if (runtime && !runtime.dead) runtime.kill();
            } catch (e) {
                // A runtime that already stopped itself has nothing left to kill.
            }
            if (error) reject(error);
            else resolve({ lines, ms: Date.now() - start });
        };
        const addSerial = (data: string) => {
            text += data;
            let nl: number;
            while ((nl = text.indexOf("\n")) >= 0) {
                lines.push(text.slice(0, nl).replace(/\r$/, "").replace(/ +$/, ""));
                text = text.slice(nl + 1);
            }
            if (options.until && options.until(lines)) finish(null);
        };

        pxsim.Runtime.messagePosted = (msg: any) => {
            if (msg.type === "debugger" && msg.subtype === "breakpoint" && msg.exceptionMessage)
                finish(new Error("the program failed in the simulator: " + msg.exceptionMessage + serialTail(lines)));
            else if (msg.type === "status" && msg.state === "killed" && !finished)
                finish(new Error("the simulator stopped the program" + serialTail(lines)));
        };
        timers.push(setTimeout(() => finish(new Error("the program did not finish within " + (options.timeoutMs || 600000) +
            " ms in the simulator" + serialTail(lines))), options.timeoutMs || 600000));
        try {
            runtime = new pxsim.Runtime({ type: "run", code });
            runtime.errorHandler = (e: any) => finish(new Error("the program failed in the simulator: " + (e && e.message || e) + serialTail(lines)));
            const board = runtime.board;
            // Serial output straight from the board, not through its batched, debounced messages.
            board.writeSerial = (data: string) => addSerial(String(data));
            for (const s of options.accelerometer || []) {
                // The board keeps raw sensor axes; input.acceleration reports x and y negated.
                const apply = () => board.accelerometerState.accelerometer.update(-s.x, -s.y, s.z);
                if (s.atMs <= 0) apply();
                else timers.push(setTimeout(apply, s.atMs));
            }
            runtime.run(() => {
                if (!options.until) finish(null);
            });
        } catch (e: any) {
            finish(new Error("the simulator could not start the program: " + (e && e.stack || e)));
        }
    });
}

function serialTail(lines: string[]): string {
    return lines.length ? "\nlast serial output:\n" + lines.slice(-5).join("\n") : "";
}

/** Hex text of a Buffer for a `hex` template literal in STS source. */
export function hexLiteral(bytes: Buffer): string {
    return "hex`" + bytes.toString("hex") + "`";
}

/**
 * Compiles and runs a one-file program (main.ts) that uses libs/tflite. `workDir` keeps the
 * project (pxt_modules, built/) between runs; by default one per `name` under built/sim/.
 */
export function runStsProgram(name: string, mainTs: string, options: SimulatorOptions = {}, workDir?: string): Promise<SimulatorRun> {
    const dir = workDir || path.join(ROOT, "built", "sim", name);
    writeProject(dir, name, { "main.ts": mainTs });
    const code = compileForSimulator(dir);
    return runInSimulator(code, options);
}

/** One golden case for conformanceProgram: raw input bytes, and a stride for streamed cases. */
export interface ProgramCase { name: string; inputs: Buffer[]; strideBytes?: number | null }

/**
 * An STS program that runs `cases` through `model` (all as hex literals), each on a freshly
 * loaded interpreter as TFLM's goldens were made, and prints every output of every invoke as
 * "out <case> <hex>". With `benchMs`, it then invokes the model on the last case's input again
 * and again for about that long (at least once) and prints "ms-per-invoke <mean ms>".
 */
export function conformanceProgram(model: Buffer, cases: ProgramCase[], benchMs = 0): string {
    const lines: string[] = [];
    lines.push("// Generated by node/simulator.ts: golden cases run in the simulator.");
    lines.push("const model = " + hexLiteral(model));
    lines.push(`
function report(name: string, interpreter: tflite.Interpreter) {
    for (let i = 0; i < interpreter.outputCount(); i++)
        serial.writeString("out " + name + " " + interpreter.outputBytes(i).toHex() + "\\n")
}

function runCase(name: string, inputs: Buffer[], stride: number): tflite.Interpreter {
    const interpreter = tflite.loadModel(model)
    if (stride > 0) {
        const window = interpreter.input(0).bytes
        for (let offset = 0; offset + window <= inputs[0].length; offset += stride) {
            interpreter.setInputBytes(0, inputs[0], offset)
            for (let i = 1; i < inputs.length; i++) interpreter.setInputBytes(i, inputs[i])
            interpreter.invoke()
            report(name, interpreter)
        }
    } else {
        for (let i = 0; i < inputs.length; i++) interpreter.setInputBytes(i, inputs[i])
        interpreter.invoke()
        report(name, interpreter)
    }
    return interpreter
}

let last: tflite.Interpreter = null`);
    for (const c of cases)
        lines.push(`last = runCase(${JSON.stringify(c.name)}, [${c.inputs.map(hexLiteral).join(", ")}], ${c.strideBytes || 0})`);
    if (benchMs > 0) {
        lines.push(`
let invokes = 0
const start = control.millis()
while (invokes < 1 || control.millis() - start < ${benchMs}) {
    last.invoke()
    invokes++
}
serial.writeString("ms-per-invoke " + ((control.millis() - start) / invokes) + "\\n")`);
    }
    lines.push(`serial.writeString("done\\n")`);
    return lines.join("\n") + "\n";
}

/** The outputs conformanceProgram printed, per case, every invoke's bytes appended in order. */
export function conformanceOutputs(lines: string[]): Map<string, Buffer> {
    const res = new Map<string, Buffer>();
    for (const line of lines) {
        const m = /^out (\S+) ([0-9a-f]*)$/.exec(line);
        if (!m) continue;
        res.set(m[1], Buffer.concat([res.get(m[1]) || Buffer.alloc(0), Buffer.from(m[2], "hex")]));
    }
    return res;
}
