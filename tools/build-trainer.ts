// Bundles the trainer page (sim/trainer, compiled by `tsc -p sim/trainer/tsconfig.json` into
// built/trainer-js/) with browserify into built/trainer/trainer.js, which the page loads after
// tfjs's own browser build (node_modules/@tensorflow/tfjs/dist/tf.min.js, its script tag).
// The Node training code (node/gesture-model.ts, gesture-data.ts, converter.ts, model-writer.ts)
// goes in as it is, with two swaps made by a transform on the compiled files:
// - require("@tensorflow/tfjs") becomes the page's global `tf` (one copy of tfjs, already loaded);
// - require("./sts-runtime") becomes sim/trainer/sts-runtime-browser.ts, which evaluates the
//   compiled libs/tflite (built/sts/tflite.js, put into the bundle as text) without fs or vm.
// npm start (tools/serve-editor.ts) and test/trainer.test.ts call buildTrainerBundle; it rebuilds
// only when an input is newer than the bundle.
import * as childProcess from "child_process";
import * as fs from "fs";
import * as path from "path";
import { Transform } from "stream";

const ROOT = path.resolve(__dirname, "..", "..");
/** Where tsc puts the page's compiled TypeScript (sim/trainer/tsconfig.json's outDir). */
const COMPILED = path.join(ROOT, "built", "trainer-js");
const ENTRY = path.join(COMPILED, "sim", "trainer", "trainer.js");
const BROWSER_STS_RUNTIME = path.join(COMPILED, "sim", "trainer", "sts-runtime-browser.js");
const STS_LIBRARIES_MODULE = path.join(COMPILED, "sim", "trainer", "sts-libraries.js");
const TFLITE_STS = path.join(ROOT, "built", "sts", "tflite.js");

/** The page's own files (HTML, CSS, the recorder program) are served from here. */
export const TRAINER_SOURCE_DIR = path.join(ROOT, "sim", "trainer");
/** The bundle and the recorder's hex (when built) are served from here. */
export const TRAINER_BUILT_DIR = path.join(ROOT, "built", "trainer");
export const TRAINER_BUNDLE = path.join(TRAINER_BUILT_DIR, "trainer.js");
/** tfjs's browser build, loaded by the page's first script tag. */
export const TFJS_BROWSER = path.join(ROOT, "node_modules", "@tensorflow", "tfjs", "dist", "tf.min.js");

function newestMtime(dir: string): number {
    let newest = 0;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, entry.name);
        newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
    }
    return newest;
}

/** Rewrites the two requires in the compiled files (see the top of this file). */
function swapRequires(file: string): Transform {
    let text = "";
    const relative = (to: string) => JSON.stringify("./" + path.relative(path.dirname(file), to).split(path.sep).join("/"));
    return new Transform({
        transform(chunk, _encoding, done) { text += chunk.toString("utf8"); done(); },
        flush(done) {
            let out = text.replace(/require\((["'])@tensorflow\/tfjs\1\)/g, "globalThis.tf");
            if (path.resolve(file) !== BROWSER_STS_RUNTIME)
                out = out.replace(/require\((["'])\.\/sts-runtime\1\)/g, "require(" + relative(BROWSER_STS_RUNTIME) + ")");
            this.push(out);
            done();
        },
    });
}

/** Builds built/trainer/trainer.js if any input is newer; resolves to its path. */
export async function buildTrainerBundle(options: { force?: boolean; log?: (line: string) => void } = {}): Promise<string> {
    if (!fs.existsSync(ENTRY)) throw new Error(`${path.relative(ROOT, ENTRY)} is missing: npm run build compiles the trainer page (tsc -p sim/trainer/tsconfig.json)`);
    if (!fs.existsSync(TFLITE_STS)) throw new Error(`${path.relative(ROOT, TFLITE_STS)} is missing: npm run build compiles libs/tflite`);
    const inputsMtime = Math.max(newestMtime(COMPILED), fs.statSync(TFLITE_STS).mtimeMs);
    if (!options.force && fs.existsSync(TRAINER_BUNDLE) && fs.statSync(TRAINER_BUNDLE).mtimeMs >= inputsMtime) return TRAINER_BUNDLE;
    const started = Date.now();
    fs.writeFileSync(STS_LIBRARIES_MODULE, "module.exports = " + JSON.stringify({ tflite: fs.readFileSync(TFLITE_STS, "utf8") }) + ";\n");
    // browserify is pxt-core's dependency, and this project's devDependency at the same version.
    const browserify = require("browserify");
    const bundler = browserify(ENTRY, { transform: [swapRequires] });
    const code: Buffer = await new Promise((resolve, reject) => bundler.bundle((e: any, b: Buffer) => (e ? reject(e) : resolve(b))));
    fs.mkdirSync(TRAINER_BUILT_DIR, { recursive: true });
    fs.writeFileSync(TRAINER_BUNDLE + ".tmp", code);
    fs.renameSync(TRAINER_BUNDLE + ".tmp", TRAINER_BUNDLE);
    if (options.log) options.log(`trainer page bundled: ${path.relative(ROOT, TRAINER_BUNDLE)}, ${code.length} bytes, ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return TRAINER_BUNDLE;
}

/** The recorder program (a MakeCode project), as the page gives it to put on a micro:bit. */
export const RECORDER_SOURCE_DIR = path.join(TRAINER_SOURCE_DIR, "recorder");
export const RECORDER_HEX = path.join(TRAINER_BUILT_DIR, "recorder.hex");
/** Where `pxt build` runs on a copy of the recorder project (pxt writes pxt_modules/ and built/ beside it). */
const RECORDER_BUILD_DIR = path.join(TRAINER_BUILT_DIR, "recorder-project");

/**
 * Builds built/trainer/recorder.hex (the universal hex, micro:bit V1 and V2) from
 * sim/trainer/recorder with MakeCode's pxt (tools/pxt.js), offline: the project uses only the
 * packages of a new MakeCode project (core, radio, microphone), whose C++ runtimes pxt-microbit
 * ships in its hex cache. Rebuilt when the recorder's files are newer than the hex.
 */
export function buildRecorderHex(options: { force?: boolean; log?: (line: string) => void } = {}): string {
    if (!options.force && fs.existsSync(RECORDER_HEX) && fs.statSync(RECORDER_HEX).mtimeMs >= newestMtime(RECORDER_SOURCE_DIR)) return RECORDER_HEX;
    const started = Date.now();
    fs.rmSync(RECORDER_BUILD_DIR, { recursive: true, force: true });
    fs.mkdirSync(RECORDER_BUILD_DIR, { recursive: true });
    for (const f of fs.readdirSync(RECORDER_SOURCE_DIR)) fs.copyFileSync(path.join(RECORDER_SOURCE_DIR, f), path.join(RECORDER_BUILD_DIR, f));
    const pxt = (args: string[]) => {
        const res = childProcess.spawnSync(process.execPath, [path.join(ROOT, "tools", "pxt.js"), ...args], { cwd: RECORDER_BUILD_DIR, encoding: "utf8", maxBuffer: 64 << 20 });
        const output = (res.stdout || "") + (res.stderr || "");
        if (res.status !== 0) throw new Error(`pxt ${args.join(" ")} of the recorder program failed (status ${res.status}):\n${output.split("\n").slice(-20).join("\n")}`);
    };
    pxt(["install"]);
    pxt(["build"]);
    const hex = path.join(RECORDER_BUILD_DIR, "built", "binary.hex");
    if (!fs.existsSync(hex)) throw new Error("pxt build of the recorder program wrote no built/binary.hex");
    fs.copyFileSync(hex, RECORDER_HEX + ".tmp");
    fs.renameSync(RECORDER_HEX + ".tmp", RECORDER_HEX);
    if (options.log) options.log(`recorder program built: ${path.relative(ROOT, RECORDER_HEX)}, ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return RECORDER_HEX;
}

if (require.main === module) {
    const force = process.argv.includes("--force");
    buildRecorderHex({ force, log: console.log });
    buildTrainerBundle({ force, log: console.log }).catch((e) => {
        console.error(e.message || e);
        process.exit(1);
    });
}
