// npm run gen:abi: writes the C side of the kernel ABI from the STS sources, so that the two can
// never disagree.
//
//   kernels/tflite_abi.h   every exported `const enum` of libs/tflite/kernel_*.ts (the parameter
//                          block layouts), Where and TensorType, as C enums; the prototype of
//                          every body registered with registerBody("name", ...), and the list
//                          of body names as an X-macro (TFLITE_BODIES).
//
// The board runs the C kernels through the C loader (kernels/loader.c): the extension's pxt.json
// lists kernels/ directly (tools/sync-pxt-json.js), so nothing else is generated or copied.
//
// With --check it writes nothing and exits 1 when a committed file differs from what it would
// write (test/native.test.ts checks the same). The enums are read with the TypeScript compiler,
// and their values are the compiler's constant values, so `Size = Table + 128` works as in STS.
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { loadTflite } from "../node/sts-runtime";

const ROOT = path.resolve(__dirname, "..", "..");
const LIB = path.join(ROOT, "libs", "tflite");
export const ABI_HEADER = path.join(ROOT, "kernels", "tflite_abi.h");

interface EnumMember { name: string; value: number; doc: string }
interface CEnum { name: string; file: string; doc: string; members: EnumMember[] }
interface CConst { name: string; file: string; value: number; doc: string }

/** "ConcatenationInput" -> "CONCATENATION_INPUT", "OnePlusXLut" -> "ONE_PLUS_X_LUT", "UInt8" -> "UINT8". */
function upperSnake(name: string): string {
    return name.replace(/UInt/g, "Uint").replace(/([a-z0-9])([A-Z])/g, "$1_$2").replace(/([A-Z])([A-Z][a-z])/g, "$1_$2").toUpperCase();
}

function enumPrefix(name: string): string {
    return "TFL_" + upperSnake(name.replace(/Params$/, ""));
}

function docOf(node: ts.Node): string {
    const docs = ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc);
    return docs.map((d) => (typeof d.comment === "string" ? d.comment : ts.getTextOfJSDocComment(d.comment) || "")).join(" ").replace(/\s+/g, " ").trim();
}

/** Parses libs/tflite and returns the enums and body names the C side needs. */
export function readAbi(): { enums: CEnum[]; consts: CConst[]; bodies: string[] } {
    const files = fs.readdirSync(LIB).filter((f) => f.endsWith(".ts")).sort().map((f) => path.join(LIB, f));
    const program = ts.createProgram(files.concat([path.join(ROOT, "node", "sts-globals.d.ts")]),
        { target: ts.ScriptTarget.ES2019, noEmit: true, types: [] });
    const checker = program.getTypeChecker();
    const enums: CEnum[] = [];
    const bodies: string[] = [];
    const consts: CConst[] = [];
    for (const file of files) {
        const sf = program.getSourceFile(file)!;
        const base = path.basename(file);
        const wantEnums = base.startsWith("kernel_") || base === "schema.ts";
        const visit = (node: ts.Node) => {
            if (ts.isEnumDeclaration(node) && wantEnums) {
                const exported = (ts.getCombinedModifierFlags(node) & ts.ModifierFlags.Export) !== 0;
                const name = node.name.text;
                const wanted = base === "schema.ts" ? name === "TensorType" :
                    base === "kernel_api.ts" ? name === "Where" : exported;
                if (wanted) {
                    const members = node.members.map((m) => {
                        const v = checker.getConstantValue(m);
                        if (typeof v !== "number") throw new Error(`${base}: ${name}.${m.name.getText(sf)} is not a constant number`);
                        return { name: m.name.getText(sf), value: v, doc: docOf(m) };
                    });
                    enums.push({ name, file: base, doc: docOf(node), members });
                }
            }
            // Integer constants of the kernels (TFLM's fixed limits such as PAD_DIMS size some blocks).
            if (ts.isVariableStatement(node) && base.startsWith("kernel_") && ts.isModuleBlock(node.parent) &&
                (node.declarationList.flags & ts.NodeFlags.Const)) {
                for (const d of node.declarationList.declarations) {
                    const name = d.name.getText(sf);
                    if (!/^[A-Z][A-Z0-9_]*$/.test(name) || !d.initializer || !ts.isNumericLiteral(d.initializer)) continue;
                    const value = Number(d.initializer.text);
                    if (Number.isInteger(value) && Math.abs(value) < 2 ** 31) consts.push({ name, file: base, value, doc: docOf(node) });
                }
            }
            if (ts.isCallExpression(node) && node.expression.getText(sf) === "registerBody" &&
                node.arguments.length === 2 && ts.isStringLiteral(node.arguments[0]))
                bodies.push(node.arguments[0].text);
            ts.forEachChild(node, visit);
        };
        visit(sf);
    }
    return { enums, consts, bodies };
}

function comment(text: string, indent: string): string {
    if (!text) return "";
    const words = text.replace(/\*\//g, "* /").split(" ");
    const lines: string[] = [];
    let line = "";
    for (const w of words) {
        if (line && (indent + "/* " + line + " " + w).length > 100) {
            lines.push(line);
            line = w;
        } else line = line ? line + " " + w : w;
    }
    lines.push(line);
    if (lines.length === 1) return `${indent}/* ${lines[0]} */\n`;
    return `${indent}/* ${lines.join(`\n${indent} * `)} */\n`;
}

/** The character set of the packed op names (every builtin op name is upper case, digits and '_'). */
const OP_NAME_ALPHABET = " ABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789";

/**
 * schema.ts's builtin op names by code, ' '-separated, packed 6 bits per character (its index in
 * OP_NAME_ALPHABET, least significant bits first) with a zero byte after: the C loader names ops
 * in its errors from these, in 3/4 of the text's flash.
 */
export function packedOpNames(): { length: number; bytes: number[] } {
    const tflite = loadTflite();
    const names: string[] = [];
    for (let code = 0; !tflite.opName(code).startsWith("BUILTIN_"); code++) names.push(tflite.opName(code));
    const text = names.join(" ");
    const bytes = new Array(Math.ceil(text.length * 6 / 8) + 1).fill(0);
    for (let i = 0; i < text.length; i++) {
        const v = OP_NAME_ALPHABET.indexOf(text[i]);
        if (v < 0) throw new Error(`op name character '${text[i]}' is not in the packed alphabet`);
        const bit = 6 * i;
        bytes[bit >> 3] |= (v << (bit & 7)) & 0xff;
        bytes[(bit >> 3) + 1] |= v >> (8 - (bit & 7));
    }
    return { length: text.length, bytes };
}

export function generateHeader(): string {
    const { enums, consts, bodies } = readAbi();
    const seen = new Map<string, string>();
    let out = "";
    out += "/* The kernel ABI, generated by tools/gen-abi.ts from the libs/tflite sources: do not edit.\n";
    out += " * Regenerate with `npm run gen:abi` after changing a parameter block or a body name.\n";
    out += " *\n";
    out += " * A body is called as body(params, model, arena): params is the op's parameter block (32-bit\n";
    out += " * little-endian words laid out as below; the state of a few ops lives at its end, so it is not\n";
    out += " * const), model the .tflite file, arena every other tensor. A tensor takes two words: where its\n";
    out += " * bytes are (enum tfl_where) and the byte offset there. */\n";
    out += "#ifndef TFLITE_ABI_H\n#define TFLITE_ABI_H\n\n#include <stdint.h>\n\n";
    out += "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n";
    for (const e of enums) {
        const prefix = e.name === "Where" ? "TFL_WHERE" : e.name === "TensorType" ? "TFL_TYPE" : enumPrefix(e.name);
        out += comment(`${e.file} ${e.name}${e.doc ? ": " + e.doc : ""}`, "");
        out += `enum tfl_${prefix.slice(4).toLowerCase()} {\n`;
        for (const m of e.members) {
            const cname = `${prefix}_${upperSnake(m.name)}`;
            const where = `${e.name}.${m.name}`;
            if (seen.has(cname)) throw new Error(`C name ${cname} of ${where} clashes with ${seen.get(cname)}`);
            seen.set(cname, where);
            out += comment(m.doc, "    ");
            out += `    ${cname} = ${m.value},\n`;
        }
        out += "};\n\n";
    }
    out += "/* Integer constants of the kernel sources (fixed limits that size some parameter blocks). */\n";
    for (const c of consts) {
        const cname = "TFL_CONST_" + c.name;
        if (seen.has(cname)) throw new Error(`C name ${cname} of ${c.file} ${c.name} clashes with ${seen.get(cname)}`);
        seen.set(cname, c.file + " " + c.name);
        out += comment(c.doc ? `${c.file}: ${c.doc}` : c.file, "");
        out += `#define ${cname} ${c.value}\n`;
    }
    out += "\n";
    const unique = Array.from(new Set(bodies));
    out += "/* Every kernel body registered in libs/tflite, by name. */\n";
    out += "#define TFLITE_BODIES(X) \\\n";
    out += unique.map((b) => `    X(${b})`).join(" \\\n") + "\n\n";
    for (const b of unique) out += `void tflite_${b}(int32_t *params, const uint8_t *model, uint8_t *arena);\n`;
    const ops = packedOpNames();
    out += "\n/* schema.ts's builtin op names by code, ' '-separated, each character packed in 6 bits (its index in\n";
    out += " * TFL_OP_NAME_ALPHABET, least significant bits first; a zero byte after): the loader's errors name\n";
    out += " * ops from these, in 3/4 of the text's flash. */\n";
    out += `#define TFL_OP_NAME_ALPHABET "${OP_NAME_ALPHABET}"\n`;
    out += `#define TFL_OP_NAMES_LENGTH ${ops.length}\n`;
    out += "#define TFL_OP_NAMES_PACKED \\\n";
    const rows: string[] = [];
    for (let i = 0; i < ops.bytes.length; i += 16) rows.push("    " + ops.bytes.slice(i, i + 16).map((b) => "0x" + b.toString(16).padStart(2, "0")).join(", "));
    out += rows.join(", \\\n") + "\n";
    out += "\n#ifdef __cplusplus\n}\n#endif\n\n#endif\n";
    return out;
}

/** The kernel sources the MakeCode extension compiles: everything in kernels/ but the harness's. */
export function kernelSources(): string[] {
    return fs.readdirSync(path.join(ROOT, "kernels"))
        .filter((f) => /\.(c|h)$/.test(f) && !/^(harness|board_bench|startup_|platform)/.test(f)).sort();
}




/** Every generated or copied file, by path, with its content. */
export function generatedFiles(): Map<string, string> {
    const files = new Map<string, string>();
    const header = generateHeader();
    files.set(ABI_HEADER, header);
    return files;
}

/** The generated files that differ from what is on disk (relative paths), and stale copies in the library. */
export function outOfDate(): string[] {
    const files = generatedFiles();
    const res: string[] = [];
    for (const [file, text] of files)
        if (!fs.existsSync(file) || fs.readFileSync(file, "utf8") !== text) res.push(path.relative(ROOT, file));
    return res;
}

function main(): void {
    if (process.argv.includes("--check")) {
        const stale = outOfDate();
        if (stale.length) {
            console.error(`out of date with libs/tflite and kernels/ (run npm run gen:abi): ${stale.join(", ")}`);
            process.exit(1);
        }
        console.log("kernels/tflite_abi.h is up to date");
        return;
    }
    for (const [file, text] of generatedFiles())
        if (!fs.existsSync(file) || fs.readFileSync(file, "utf8") !== text) {
            fs.writeFileSync(file, text);
            console.log(`wrote ${path.relative(ROOT, file)}`);
        }
}

if (require.main === module) main();
