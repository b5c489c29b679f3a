// Real micro:bit v2 firmware from a MakeCode project, its C/C++ compiled on this machine, offline:
// pxt (pxt-core, pxt-microbit from node_modules) with PXT_FORCE_LOCAL=1 PXT_NODOCKER=1 builds the
// CODAL runtime plus every package's .c/.cpp with arm-none-eabi-gcc (CODAL's build.py: CMake, then
// Make on Linux) from the CODAL tree in ../shared/codal/microbit-v2-codal.tar.xz, and appends the
// compiled STS program.
//
// The project is copied to built/firmware/<name>/, and the packages it uses through `file:` paths
// to built/firmware/<name>/file-deps/ (links followed, paths rewritten), so the project's own built/
// and pxt_modules/ and the packages' pxt.json files (pxt install rewrites them) are left alone. pxt runs
// against a copy of pxt-microbit (built/firmware/target/: links to node_modules/pxt-microbit's
// files) whose built/target.json builds only the "mbcodal" variant and which has no hex cache, so
// the C++ is always compiled here rather than taken from the compile service's prebuilt hexes.
// Without ../shared/codal, pxt clones CODAL itself (online).
import * as childProcess from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { SHARED } from "./conformance";
import { decodeIntelHex } from "./intel-hex";
import { PxtResult, ROOT, compileErrors } from "./simulator";

const MODULES = path.join(ROOT, "node_modules");
const PXT_JS = path.join(MODULES, "pxt-core", "built", "pxt.js");
const TARGET_SOURCE = path.join(MODULES, "pxt-microbit");
/** Where the firmware builds live: a target copy and one folder per project. */
export const FIRMWARE_DIR = path.join(ROOT, "built", "firmware");
const TARGET_COPY = path.join(FIRMWARE_DIR, "target");
/** The CODAL tree pxt-microbit 9.1.1 builds v2 firmware from (../shared/codal/README.md). */
export const CODAL_ARCHIVE = path.join(SHARED, "codal", "microbit-v2-codal.tar.xz");

/** micro:bit v2 (pxt-microbit's mbcodal variant): usable flash ends here; the rest is reserved. */
export const FLASH_USABLE_END = 471040;

export interface FirmwareOptions {
    /** Build folder (default built/firmware/<name>). */
    buildDir?: string;
    /** Folder name under built/firmware/ (default: the project folder's name). */
    name?: string;
    /** Delete the build folder first: a first build from scratch (unpacks CODAL again). */
    clean?: boolean;
    /** Throw on a failed build instead of returning its status (default false). */
    throwOnError?: boolean;
}

export interface ElfSymbol { address: number; size: number; type: string; name: string }

export interface FirmwareResult {
    project: string;
    buildDir: string;
    /** pxt's exit status (0 ok; 20 a C/C++ error) and output. */
    status: number;
    output: string;
    ok: boolean;
    /** Wall-clock milliseconds of the pxt build (not the copy, install or unpacking). */
    ms: number;
    /** Whether CODAL came from ../shared/codal (unpacked now or earlier) or is left to pxt to clone. */
    codal: "unpacked" | "present" | "online";
    /** The micro:bit v2 hex (built/binary.hex: only the mbcodal variant is built). */
    hex: string;
    /** pxt's listing of the compiled STS program (built/binary.asm). */
    asm: string;
    /** The linked C++ runtime (ELF) and its map. */
    elf: string;
    map: string;
    /** End of the whole program in flash: one past the highest hex byte below FLASH_USABLE_END. */
    flashEnd: number;
    /** FLASH_USABLE_END - flashEnd. */
    bytesLeft: number;
    /** pxt's own figure for the end of the STS image ("; total bytes: N" in built/binary.asm), if it wrote one. */
    pxtTotalBytes: number | null;
    /** Flash end of the C++ runtime image (ELF load segments from 0x1C000 on, .data's initial values included). */
    runtimeEnd: number;
    /** flashEnd - runtimeEnd: the compiled STS program, with the padding (< 4 KB) to its page-aligned start. */
    stsBytes: number;
    /** arm-none-eabi-size -A of the ELF: the runtime's .text (code and read-only data), .data, .bss + .noinit. */
    runtimeText: number;
    data: number;
    bss: number;
    /** RAM the runtime takes statically: .data + .bss + .noinit (the heap gets the rest). */
    ram: number;
    /** The ELF's symbols (arm-none-eabi-nm -S -C, demangled), read once on first call. */
    symbols(): ElfSymbol[];
    /** Sum of sizes of the symbols whose (demangled) name matches. */
    symbolBytes(pattern: RegExp): number;
    /** The packages the project reaches through `file:` dependencies (their C/C++ is built under pxtapp/<name>/). */
    localPackages: string[];
    /** Bytes the link kept (flash and RAM sections, from the map) of the objects whose path matches, e.g. /pxtapp\/tinyml\/kernels\//. */
    objectBytes(pattern: RegExp): number;
    /** objectBytes of every .c/.cpp of the localPackages: the project's own packages' share of the runtime. */
    localPackageBytes(): number;
}

/** Runs pxt-core's CLI with the mbcodal-only target copy, in `dir`. */
export function pxtFirmware(dir: string, args: string[], env?: { [name: string]: string }): PxtResult {
    prepareTarget();
    const script = "require(" + JSON.stringify(PXT_JS) + ").mainCli(" + JSON.stringify(TARGET_COPY) + ", process.argv.slice(1))";
    const res = childProcess.spawnSync(process.execPath, ["-e", script, ...args], {
        cwd: dir, encoding: "utf8", env: { ...process.env, ...(env || {}) }, maxBuffer: 256 << 20,
    });
    if (res.error) throw res.error;
    return { status: res.status === null ? -1 : res.status, output: (res.stdout || "") + (res.stderr || "") };
}

/**
 * built/firmware/target/: pxt-microbit with built/target.json's "multiVariants" cut to ["mbcodal"]
 * and no built/hexcache; everything else a link to node_modules/pxt-microbit.
 */
function prepareTarget(): void {
    const link = (from: string, to: string) => {
        try {
            if (fs.readlinkSync(to) === from) return;
            fs.unlinkSync(to);
        } catch (e) {
            // not there yet
        }
        fs.symlinkSync(from, to);
    };
    fs.mkdirSync(path.join(TARGET_COPY, "built"), { recursive: true });
    for (const f of fs.readdirSync(TARGET_SOURCE))
        if (f !== "built") link(path.join(TARGET_SOURCE, f), path.join(TARGET_COPY, f));
    for (const f of fs.readdirSync(path.join(TARGET_SOURCE, "built")))
        if (f !== "target.json" && f !== "hexcache") link(path.join(TARGET_SOURCE, "built", f), path.join(TARGET_COPY, "built", f));
    const target = JSON.parse(fs.readFileSync(path.join(TARGET_SOURCE, "built", "target.json"), "utf8"));
    if (!target.multiVariants || target.multiVariants.indexOf("mbcodal") < 0)
        throw new Error("pxt-microbit's target.json has no mbcodal variant; node/firmware.ts needs updating");
    target.multiVariants = ["mbcodal"];
    const text = JSON.stringify(target);
    const file = path.join(TARGET_COPY, "built", "target.json");
    if (!fs.existsSync(file) || fs.readFileSync(file, "utf8") !== text) fs.writeFileSync(file, text);
}

/** The folder a `file:` dependency names: where its pxt.json really is (links followed). */
function realPackageDir(fromDir: string, spec: string): string {
    const dir = path.resolve(fromDir, spec.slice("file:".length));
    return path.dirname(fs.realpathSync(path.join(dir, "pxt.json")));
}

function writeIfChanged(file: string, text: string): void {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    if (!fs.existsSync(file) || fs.readFileSync(file, "utf8") !== text) fs.writeFileSync(file, text);
}

/**
 * Copies the project (pxt.json and the files it lists) into `dst`, and every package it reaches
 * through `file:` dependencies into `dst`/file-deps/<name>/, their `file:` paths rewritten to those
 * copies. pxt resolves `file:` paths relative to the package that names them, and `pxt install`
 * rewrites each dependency's pxt.json in place: copies keep it away from the repository's.
 */
function copyProject(src: string, dst: string): string[] {
    const copies = new Map<string, string>(); // real package dir -> folder name under file-deps/
    const copyConfig = (dir: string, config: any, rel: string): void => {
        const deps = config.dependencies || {};
        for (const name of Object.keys(deps)) {
            if (!/^file:/.test(deps[name])) continue;
            const real = realPackageDir(dir, deps[name]);
            let folder = copies.get(real);
            if (!folder) {
                folder = name;
                for (let i = 2; [...copies.values()].indexOf(folder) >= 0; i++) folder = name + "-" + i;
                copies.set(real, folder);
                copyConfig(real, JSON.parse(fs.readFileSync(path.join(real, "pxt.json"), "utf8")), "file-deps/" + folder);
            }
            deps[name] = "file:" + path.posix.relative(rel, "file-deps/" + folder);
        }
        writeIfChanged(path.join(dst, rel, "pxt.json"), JSON.stringify(config, null, 4) + "\n");
        for (const f of config.files || []) writeIfChanged(path.join(dst, rel, f), fs.readFileSync(path.join(dir, f), "utf8"));
    };
    const config = JSON.parse(fs.readFileSync(path.join(src, "pxt.json"), "utf8"));
    for (const f of config.testFiles || []) writeIfChanged(path.join(dst, f), fs.readFileSync(path.join(src, f), "utf8"));
    copyConfig(src, config, ".");
    return [...copies.values()];
}

/**
 * CODAL's Makefiles record no header dependencies: a changed .h of ours would leave objects
 * compiled against the old one (and a link that fails, or worse, works). So when the headers of
 * the project and its file: packages differ from the last build's, their objects are deleted.
 */
function forgetObjectsOnHeaderChange(buildDir: string, elfName = "MICROBIT"): void {
    const hash = crypto.createHash("sha256");
    const walk = (dir: string): void => {
        for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name < b.name ? -1 : 1)) {
            if (e.name === "built" || e.name === "pxt_modules" || e.name === "node_modules") continue;
            const f = path.join(dir, e.name);
            if (e.isDirectory()) walk(f);
            else if (/\.h$/.test(e.name)) hash.update(path.relative(buildDir, f) + "\0" + fs.readFileSync(f, "utf8") + "\0");
        }
    };
    walk(buildDir);
    const digest = hash.digest("hex");
    const stamp = path.join(buildDir, "built", "headers.sha256");
    if (fs.existsSync(stamp) && fs.readFileSync(stamp, "utf8") === digest) return;
    fs.rmSync(path.join(buildDir, "built", "codal", "build", "CMakeFiles", elfName + ".dir", "pxtapp"), { recursive: true, force: true });
    fs.mkdirSync(path.dirname(stamp), { recursive: true });
    fs.writeFileSync(stamp, digest);
}

function run(cmd: string, args: string[]): string {
    return childProcess.execFileSync(cmd, args, { encoding: "utf8", maxBuffer: 256 << 20 });
}

/** One past the highest byte the hex writes below FLASH_USABLE_END (UICR etc. lie above). */
export function programEnd(hexFile: string): number {
    let end = 0;
    for (const address of decodeIntelHex(fs.readFileSync(hexFile, "utf8")).keys())
        if (address < FLASH_USABLE_END && address >= end) end = address + 1;
    return end;
}

/** Sizes of the ELF's sections (arm-none-eabi-size -A). */
export function elfSections(elf: string): { [name: string]: number } {
    const out: { [name: string]: number } = {};
    for (const line of run("arm-none-eabi-size", ["-A", elf]).split("\n")) {
        const m = line.match(/^(\.\S+)\s+(\d+)\s+(\d+)/);
        if (m) out[m[1]] = parseInt(m[2], 10);
    }
    return out;
}

/** One past the last flash byte the runtime's ELF loads at or above `from` (and below FLASH_USABLE_END). */
export function elfFlashEnd(elf: string, from = 0x1c000): number {
    let end = 0;
    for (const line of run("arm-none-eabi-readelf", ["-lW", elf]).split("\n")) {
        const m = line.match(/^\s*LOAD\s+0x[0-9a-f]+\s+0x[0-9a-f]+\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)/);
        if (!m) continue;
        const phys = parseInt(m[1], 16), size = parseInt(m[2], 16);
        if (phys >= from && phys < FLASH_USABLE_END && size > 0) end = Math.max(end, phys + size);
    }
    return end;
}

/** The directory of a `python` for CODAL's build.py (pxt runs "python build.py"): python3 under that name when only python3 exists. */
function pythonPath(): string {
    const has = (cmd: string) => childProcess.spawnSync(cmd, ["--version"]).status === 0;
    if (has("python") || !has("python3")) return process.env.PATH || "";
    const dir = path.join(FIRMWARE_DIR, "bin");
    fs.mkdirSync(dir, { recursive: true });
    const link = path.join(dir, "python");
    if (!fs.existsSync(link)) fs.symlinkSync(run("sh", ["-c", "command -v python3"]).trim(), link);
    return dir + path.delimiter + (process.env.PATH || "");
}

/** Input sections the link kept in flash and RAM (not debug info), from the map: address, size and the object they come from. */
export function mapSections(mapFile: string): { section: string; address: number; size: number; object: string }[] {
    const text = fs.readFileSync(mapFile, "utf8");
    const lines = text.slice(text.indexOf("Linker script and memory map")).split("\n");
    const out: { section: string; address: number; size: number; object: string }[] = [];
    for (let i = 0; i < lines.length; i++) {
        let m = lines[i].match(/^ (\.\S+)\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S.*)$/);
        if (!m) {
            const name = lines[i].match(/^ (\.\S+)$/);
            const next = name && lines[i + 1] ? lines[i + 1].match(/^\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S.*)$/) : null;
            if (next) m = [lines[i], name![1], next[1], next[2], next[3]] as any;
        }
        if (!m) continue;
        const address = parseInt(m[2], 16), size = parseInt(m[3], 16);
        if (address !== 0 && size > 0 && !/^\.(debug|comment|ARM\.attributes|stab)/.test(m[1])) out.push({ section: m[1], address, size, object: m[4].trim() });
    }
    return out;
}

/** The ELF's symbols with a size, demangled. */
export function elfSymbols(elf: string): ElfSymbol[] {
    const out: ElfSymbol[] = [];
    for (const line of run("arm-none-eabi-nm", ["-S", "-C", elf]).split("\n")) {
        const m = line.match(/^([0-9a-f]+) ([0-9a-f]+) (\w) (.+)$/);
        if (m) out.push({ address: parseInt(m[1], 16), size: parseInt(m[2], 16), type: m[3], name: m[4] });
    }
    return out;
}

/**
 * Builds the MakeCode project in `projectDir` into micro:bit v2 firmware (C/C++ compiled locally).
 * A failed build returns ok=false with pxt's status and output (or throws with throwOnError).
 */
/** What differs between the boards a firmware is built for. */
interface BoardTarget {
    /** Runs the target's pxt command line in `dir`. */
    pxt: (dir: string, args: string[], env?: { [name: string]: string }) => PxtResult;
    /** The CODAL tree to unpack into built/ (offline), and the ELF it builds. */
    archive: string;
    elfName: string;
    /** The program pxt writes into built/, and other outputs of an earlier build to remove first. */
    output: string;
    staleOutputs: string[];
    /** A package `pxt install` puts into pxt_modules (its pxt.json says the install is done). */
    installedPackage: string;
    buildArgs: string[];
}

/**
 * Copies the project into `buildDir`, unpacks the target's CODAL tree there unless one is there
 * (with no archive, pxt fetches the sources itself: "online"), installs its packages once, and
 * builds. `ok`: exit status 0, no compile errors, the program and the ELF written.
 */
function pxtBuild(projectDir: string, buildDir: string, target: BoardTarget) {
    fs.mkdirSync(buildDir, { recursive: true });
    const localPackages = copyProject(projectDir, buildDir);
    forgetObjectsOnHeaderChange(buildDir, target.elfName);
    let codal: "present" | "unpacked" | "online" = "present";
    if (!fs.existsSync(path.join(buildDir, "built", "codal", ".git", "config"))) {
        if (fs.existsSync(target.archive)) {
            fs.mkdirSync(path.join(buildDir, "built"), { recursive: true });
            run("tar", ["-xJf", target.archive, "-C", path.join(buildDir, "built")]);
            codal = "unpacked";
        } else codal = "online";
    }
    if (!fs.existsSync(path.join(buildDir, "pxt_modules", target.installedPackage, "pxt.json"))) {
        const res = target.pxt(buildDir, ["install"]);
        if (res.status !== 0) throw new Error("pxt install failed in " + buildDir + ":\n" + res.output);
    }
    const output = path.join(buildDir, "built", target.output);
    const asm = path.join(buildDir, "built", "binary.asm");
    const elf = path.join(buildDir, "built", "codal", "build", target.elfName);
    for (const f of [output, asm, ...target.staleOutputs.map((o) => path.join(buildDir, "built", o))]) fs.rmSync(f, { force: true });
    const start = Date.now();
    const res = target.pxt(buildDir, target.buildArgs, { PXT_FORCE_LOCAL: "1", PXT_NODOCKER: "1", PATH: pythonPath() });
    const ms = Date.now() - start;
    const ok = res.status === 0 && compileErrors(res.output).length === 0 && fs.existsSync(output) && fs.existsSync(elf);
    return { status: res.status, output: res.output, ok, ms, codal, localPackages, program: output, asm, elf };
}

const MICROBIT_V2: BoardTarget = {
    pxt: pxtFirmware, archive: CODAL_ARCHIVE, elfName: "MICROBIT",
    // The universal hex, and its v2 part alone.
    output: "binary.hex", staleOutputs: ["mbcodal-binary.hex"],
    installedPackage: "core", buildArgs: ["build"],
};

export function buildFirmware(projectDir: string, opts: FirmwareOptions = {}): FirmwareResult {
    projectDir = path.resolve(projectDir);
    const buildDir = opts.buildDir || path.join(FIRMWARE_DIR, opts.name || path.basename(projectDir));
    if (opts.clean) fs.rmSync(buildDir, { recursive: true, force: true });
    const { status, output, ok, ms, codal, localPackages, program: hex, asm, elf } = pxtBuild(projectDir, buildDir, MICROBIT_V2);
    if (!ok && opts.throwOnError) throw new Error("firmware build failed in " + buildDir + " (status " + status + "):\n" + output);

    let flashEnd = 0, runtimeEnd = 0, pxtTotalBytes: number | null = null, text = 0, data = 0, bss = 0;
    if (ok) {
        flashEnd = programEnd(hex);
        runtimeEnd = elfFlashEnd(elf);
        const m = fs.existsSync(asm) ? fs.readFileSync(asm, "utf8").match(/; total bytes: (\d+)/) : null;
        if (m) pxtTotalBytes = parseInt(m[1], 10);
        const sections = elfSections(elf);
        text = sections[".text"] || 0;
        data = sections[".data"] || 0;
        bss = (sections[".bss"] || 0) + (sections[".noinit"] || 0);
    }
    let symbols: ElfSymbol[] | null = null;
    let sections: ReturnType<typeof mapSections> | null = null;
    const escape = (x: string) => x.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const result: FirmwareResult = {
        project: projectDir, buildDir, status, output, ok, ms, codal,
        hex, asm, elf, map: elf + ".map",
        flashEnd, bytesLeft: FLASH_USABLE_END - flashEnd, pxtTotalBytes, runtimeEnd, stsBytes: flashEnd - runtimeEnd,
        runtimeText: text, data, bss, ram: data + bss,
        symbols: () => symbols || (symbols = elfSymbols(elf)),
        symbolBytes: (pattern) => result.symbols().filter((s) => pattern.test(s.name)).reduce((a, s) => a + s.size, 0),
        localPackages,
        objectBytes: (pattern) => (sections || (sections = mapSections(result.map))).filter((s) => pattern.test(s.object)).reduce((a, s) => a + s.size, 0),
        localPackageBytes: () => localPackages.length ? result.objectBytes(new RegExp("/pxtapp/(" + localPackages.map(escape).join("|") + ")/")) : 0,
    };
    return result;
}

/** Writes a generated program (pxt.json and `files`) to built/firmware/projects/<name>/ and returns its folder. */
export function writeFirmwareProject(name: string, dependencies: { [name: string]: string }, files: { [name: string]: string }): string {
    const dir = path.join(FIRMWARE_DIR, "projects", name);
    writeIfChanged(path.join(dir, "pxt.json"), JSON.stringify({ name, dependencies, files: Object.keys(files) }, null, 4) + "\n");
    for (const f of Object.keys(files)) writeIfChanged(path.join(dir, f), files[f]);
    return dir;
}

/** The folder every program of the tinyml extension is built in: the C++ (the same for all) is compiled once. */
export const TINYML_BUILD_DIR = path.join(FIRMWARE_DIR, "tinyml");
/** The same for programs that also add tinyml-all-ops (libs/all-ops): another C build, every kernel in. */
export const TINYML_ALL_OPS_BUILD_DIR = path.join(FIRMWARE_DIR, "tinyml-all-ops");
/** The extension that puts every op's kernel into the board's build (kernels/loader.h, TINYML_ALL_OPS). */
export const ALL_OPS_PACKAGE = path.join(ROOT, "libs", "all-ops");

/**
 * Builds a program that uses the tinyml extension (the repository's root pxt.json, as a user adds
 * it) into micro:bit v2 firmware: a project folder of ours, or `files` (main.ts first) written to
 * built/firmware/projects/<name>/ with the dependencies of the sample projects. Every such program
 * has the same packages, so they share one build folder and the C++ is compiled once.
 */
export function buildTinymlFirmware(program: { dir?: string; name?: string; files?: { [name: string]: string }; allOps?: boolean }): FirmwareResult {
    let dir = program.dir;
    if (!dir) {
        const from = path.join(FIRMWARE_DIR, "projects", program.name!);
        const fileDep = (to: string) => "file:" + path.relative(from, to).split(path.sep).join("/");
        const dependencies: { [name: string]: string } = { core: "*", radio: "*", microphone: "*", tinyml: fileDep(ROOT) };
        if (program.allOps) dependencies["tinyml-all-ops"] = fileDep(ALL_OPS_PACKAGE);
        dir = writeFirmwareProject(program.name!, dependencies, program.files!);
    }
    const deps = JSON.parse(fs.readFileSync(path.join(dir, "pxt.json"), "utf8")).dependencies || {};
    const r = buildFirmware(dir, { buildDir: deps["tinyml-all-ops"] ? TINYML_ALL_OPS_BUILD_DIR : TINYML_BUILD_DIR });
    // The next build in the shared folder replaces its outputs: keep this program's.
    const name = program.name || path.basename(dir);
    const kept = path.join(FIRMWARE_DIR, "outputs", name);
    fs.mkdirSync(kept, { recursive: true });
    for (const f of ["binary.hex", "binary.asm"]) {
        fs.rmSync(path.join(kept, f), { force: true });
        if (fs.existsSync(path.join(r.buildDir, "built", f))) fs.copyFileSync(path.join(r.buildDir, "built", f), path.join(kept, f));
    }
    if (r.ok) r.hex = path.join(kept, "binary.hex");
    r.asm = path.join(kept, "binary.asm");
    return r;
}

// ---- MakeCode Arcade's SAMD51 hardware (hw---samd51: a Cortex-M4F at 120 MHz, 512 KB of flash) ----

export const SAMD51_ARCHIVE = path.join(SHARED, "codal", "samd51-codal.tar.xz");
/** Where the SAMD51's flash ends (pxt-arcade's samd51 variant: flashEnd). */
export const SAMD51_FLASH_END = 524288;
/** The folder every Arcade program of the tinyml extension is built in. */
export const ARCADE_BUILD_DIR = path.join(FIRMWARE_DIR, "arcade-samd51");

export interface ArcadeFirmwareResult {
    status: number;
    output: string;
    ok: boolean;
    uf2: string;
    elf: string;
    asm: string;
    /** Where the program ends in flash (the UF2's highest address), and the bytes left before the flash's end. */
    flashEnd: number;
    bytesLeft: number;
    runtimeText: number;
    symbols: () => ElfSymbol[];
}

/** The payload of a UF2 file's blocks, in order (the flash image from its first address). */
export function uf2Payload(file: string): Buffer {
    const data = fs.readFileSync(file);
    const parts: Buffer[] = [];
    for (let at = 0; at + 512 <= data.length; at += 512) parts.push(data.subarray(at + 32, at + 32 + data.readUInt32LE(at + 16)));
    return Buffer.concat(parts);
}

/** The end of what a UF2 file writes (its 512-byte blocks: target address at 12, payload size at 16). */
export function uf2End(file: string): number {
    const data = fs.readFileSync(file);
    let end = 0;
    for (let at = 0; at + 512 <= data.length; at += 512) {
        if (data.readUInt32LE(at) !== 0x0a324655 || data.readUInt32LE(at + 4) !== 0x9e5d5157) throw new Error(`${file}: block ${at / 512} is not UF2`);
        end = Math.max(end, data.readUInt32LE(at + 12) + data.readUInt32LE(at + 16));
    }
    return end;
}

/**
 * Builds a program that uses the tinyml extension into firmware for MakeCode Arcade's SAMD51
 * boards, offline: pxt-arcade (tools/pxt-arcade.js) with the CODAL tree of ../shared/codal
 * (samd51-codal.tar.xz) unpacked into the build folder. `files` (main.ts first) are written to
 * built/firmware/projects/<name>/; the C++ is compiled once in built/firmware/arcade-samd51/.
 */
export function buildArcadeFirmware(program: { name: string; files: { [name: string]: string }; dependencies?: { [name: string]: string } }): ArcadeFirmwareResult {
    if (!fs.existsSync(SAMD51_ARCHIVE)) throw new Error("SAMD51 firmware needs " + SAMD51_ARCHIVE);
    // MakeCode Arcade itself (tools/arcade), installed once from the npm registry.
    run("bash", [path.join(ROOT, "tools", "setup-arcade.sh")]);
    const from = path.join(FIRMWARE_DIR, "projects", program.name);
    const tinyml = "file:" + path.relative(from, ROOT).split(path.sep).join("/");
    const extra = program.dependencies || {};
    const dir = writeFirmwareProject(program.name, { device: "*", "hw---samd51": "*", ...extra, tinyml }, program.files);
    // One C++ build per set of packages (the C++ is compiled once per set).
    const names = Object.keys(extra).sort();
    const r = pxtBuild(dir, names.length ? ARCADE_BUILD_DIR + "-" + names.join("-") : ARCADE_BUILD_DIR, ARCADE_SAMD51);
    // The next build in the shared folder replaces its program: keep this one's (the ELF, the C++
    // runtime alone, is the same for every program of the folder).
    const kept = path.join(FIRMWARE_DIR, "outputs", program.name);
    fs.mkdirSync(kept, { recursive: true });
    for (const [from, to] of [[r.program, "binary.uf2"], [r.asm, "binary.asm"]]) {
        fs.rmSync(path.join(kept, to), { force: true });
        if (fs.existsSync(from)) fs.copyFileSync(from, path.join(kept, to));
    }
    if (r.ok) r.program = path.join(kept, "binary.uf2");
    r.asm = path.join(kept, "binary.asm");
    const flashEnd = r.ok ? uf2End(r.program) : 0;
    let symbols: ElfSymbol[] | null = null;
    return {
        status: r.status, output: r.output, ok: r.ok, uf2: r.program, elf: r.elf, asm: r.asm,
        flashEnd, bytesLeft: SAMD51_FLASH_END - flashEnd,
        runtimeText: r.ok ? elfSections(r.elf)[".text"] || 0 : 0,
        symbols: () => symbols || (symbols = elfSymbols(r.elf)),
    };
}

/**
 * A program built for MakeCode Arcade's simulator (pxt-arcade's `pxt build`, no hardware variant):
 * the STS compiled to JavaScript, built/debug/binary.js, with the shims' STS bodies.
 */
export function buildArcadeSimulator(program: { name: string; files: { [name: string]: string }; dependencies?: { [name: string]: string } }):
    { ok: boolean; status: number; output: string; js: string } {
    run("bash", [path.join(ROOT, "tools", "setup-arcade.sh")]);
    const from = path.join(FIRMWARE_DIR, "projects", program.name);
    const tinyml = "file:" + path.relative(from, ROOT).split(path.sep).join("/");
    const dir = writeFirmwareProject(program.name, { device: "*", ...(program.dependencies || {}), tinyml }, program.files);
    if (!fs.existsSync(path.join(dir, "pxt_modules", "device", "pxt.json"))) {
        const res = pxtArcade(dir, ["install"]);
        if (res.status !== 0) throw new Error("pxt install failed in " + dir + ":\n" + res.output);
    }
    const js = path.join(dir, "built", "debug", "binary.js");
    fs.rmSync(js, { force: true });
    const r = pxtArcade(dir, ["build"]);
    return { ok: r.status === 0 && fs.existsSync(js), status: r.status, output: r.output, js };
}

/** Runs pxt-arcade's command line (tools/pxt-arcade.js) in `dir`. */
function pxtArcade(dir: string, args: string[], env: { [name: string]: string } = {}): PxtResult {
    const res = childProcess.spawnSync(process.execPath, [path.join(ROOT, "tools", "pxt-arcade.js"), ...args], {
        cwd: dir, encoding: "utf8", env: { ...process.env, ...env }, maxBuffer: 256 << 20,
    });
    if (res.error) throw res.error;
    return { status: res.status === null ? -1 : res.status, output: (res.stdout || "") + (res.stderr || "") };
}

const ARCADE_SAMD51: BoardTarget = {
    pxt: pxtArcade, archive: SAMD51_ARCHIVE, elfName: "ITSYBITSY_M4",
    output: "binary.uf2", staleOutputs: [],
    installedPackage: "device", buildArgs: ["build", "--localbuild"],
};
