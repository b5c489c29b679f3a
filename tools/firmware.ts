// npm run firmware [-- name ...]: builds each program below into real micro:bit v2 firmware, its
// C/C++ compiled here, offline (node/firmware.ts), and prints a markdown table of what it takes:
// where the whole program ends in flash, the bytes left before the usable end, the bytes of the
// library's own C functions in the linked runtime, and the runtime's static RAM.
import * as path from "path";
import * as fs from "fs";
import { ALL_OPS_PACKAGE, FLASH_USABLE_END, SAMD51_FLASH_END, buildArcadeFirmware, buildFirmware, writeFirmwareProject } from "../node/firmware";
import { ARCADE_GESTURES_DEPENDENCIES, HELLO_PROJECT, arcadeGesturesFiles, arcadeHelloFiles, writeHelloModel } from "../node/sample-project";
import { ROOT } from "../node/simulator";

/** The C symbols that are the library's (its C kernels and their C++ glue), demangled names. */
const LIBRARY_SYMBOLS = /^(tfl_|tflite_|tflite::|speech::|gestures::)/;

interface Program {
    name: string;
    /** A project folder, or the pxt.json and files of one to generate under built/firmware/projects/. */
    dir?: string;
    generate?: { dependencies: { [name: string]: string }; files: { [name: string]: string } };
    /** Runs before the build (e.g. writes a generated file the project needs). */
    prepare?: () => void;
}

const PROGRAMS: Program[] = [
    { name: "empty (core)", generate: { dependencies: { core: "*" }, files: { "main.ts": "" } } },
    { name: "empty (core, radio, microphone)", generate: { dependencies: { core: "*", radio: "*", microphone: "*" }, files: { "main.ts": "" } } },
    { name: "gestures-demo", dir: path.join(ROOT, "projects", "gestures-demo") },
    { name: "gestures-speech-demo", dir: path.join(ROOT, "projects", "gestures-speech-demo") },
    { name: "hello-tflite", dir: HELLO_PROJECT, prepare: () => { writeHelloModel(); } },
    {
        name: "hello-tflite + tinyml-all-ops",
        generate: {
            dependencies: { core: "*", radio: "*", microphone: "*", tinyml: "file:" + ROOT, "tinyml-all-ops": "file:" + ALL_OPS_PACKAGE },
            files: {},
        },
        prepare: helloWithAllOps,
    },
];

/** The hello-tflite program with tinyml-all-ops added: what tflite.loadModel costs with every op on the board. */
function helloWithAllOps(this: Program): void {
    writeHelloModel();
    for (const f of ["main.ts", "model.ts"]) this.generate!.files[f] = fs.readFileSync(path.join(HELLO_PROJECT, f), "utf8");
}

/** The folder name of a program's build (and generated project). */
function slug(name: string): string {
    return name.replace(/[^\w-]+/g, "-").replace(/-+$/, "");
}

function main(): void {
    const only = process.argv.slice(2);
    const programs = only.length ? PROGRAMS.filter((p) => only.some((o) => p.name.indexOf(o) >= 0)) : PROGRAMS;
    const n = (x: number) => x.toLocaleString("en-US");
    const rows: string[] = [];
    let failed = 0;
    for (const p of programs) {
        if (p.prepare) p.prepare.call(p);
        const dir = p.dir || writeFirmwareProject(slug(p.name), p.generate!.dependencies, p.generate!.files);
        process.stderr.write("building " + p.name + " ... ");
        const r = buildFirmware(dir, { name: slug(p.name) });
        process.stderr.write((r.ok ? "ok" : "FAILED (status " + r.status + ")") + " in " + (r.ms / 1000).toFixed(1) + " s\n");
        if (!r.ok) {
            failed++;
            process.stderr.write(r.output.split("\n").slice(-40).join("\n") + "\n");
            rows.push(`| ${p.name} | build failed (status ${r.status}) | | | | | |`);
            continue;
        }
        rows.push(`| ${p.name} | ${n(r.flashEnd)} | ${n(r.bytesLeft)} | ${n(r.stsBytes)} | ${n(r.localPackageBytes())} | ${n(r.symbolBytes(LIBRARY_SYMBOLS))} | ${n(r.ram)} |`);
    }
    console.log(`micro:bit v2 firmware, C/C++ built locally (usable flash ends at ${n(FLASH_USABLE_END)}; RAM 131,072 of which the SoftDevice takes 8,240):\n`);
    console.log("| program | flash end | bytes left | STS program | library's C/C++ | tfl_/tflite_ symbols | runtime RAM (.data+.bss) |");
    console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    rows.forEach((r) => console.log(r));
    console.log("\nSTS program: flash end minus the end of the C++ runtime image (with < 4 KB of page padding). " +
        "library's C/C++: bytes the link kept (map file) from the .c/.cpp files of the packages the program uses through file: paths. " +
        "tfl_/tflite_ symbols: sizes of the ELF's symbols matching " + LIBRARY_SYMBOLS + ".");
    if (!only.length || only.some((o) => "arcade".indexOf(o) >= 0)) {
        const arcade = [
            { name: "arcade-hello", what: "`tflite.loadModel`, hello_world int8", files: arcadeHelloFiles() },
            { name: "arcade-gestures", what: "the gesture blocks, with the controller extension", files: arcadeGesturesFiles(), dependencies: ARCADE_GESTURES_DEPENDENCIES },
        ];
        const arcadeRows: string[] = [];
        for (const p of arcade) {
            process.stderr.write(`building ${p.name} (MakeCode Arcade, SAMD51) ... `);
            const a = buildArcadeFirmware(p);
            process.stderr.write((a.ok ? "ok" : "FAILED (status " + a.status + ")") + "\n");
            if (!a.ok) failed++;
            arcadeRows.push(a.ok ? `| ${p.name} (${p.what}) | ${n(a.flashEnd)} | ${n(a.bytesLeft)} | ${n(a.runtimeText)} | ${n(a.symbols().filter((s) => LIBRARY_SYMBOLS.test(s.name)).reduce((x, s) => x + s.size, 0))} |`
                : `| ${p.name} | build failed (status ${a.status}) | | | |`);
        }
        console.log(`\nMakeCode Arcade (pxt-arcade 4.1.2), SAMD51 (hw---samd51), C/C++ built locally (flash ends at ${n(SAMD51_FLASH_END)}):\n`);
        console.log("| program | flash end | bytes left | runtime text | tfl_/tflite_ symbols |");
        console.log("| --- | ---: | ---: | ---: | ---: |");
        arcadeRows.forEach((r) => console.log(r));
    }
    if (failed) process.exitCode = 1;
}

main();
