import * as fs from "fs";

/**
 * The bytes of a file the user named, or an error that names it and says what is wrong: Node's
 * own message for a directory ("EISDIR: illegal operation on a directory, read") has no path.
 * `what` says what the file was meant to be ("the model", "input 0").
 */
export function readNamedFile(file: string, what: string): Buffer {
    let stat: fs.Stats;
    try {
        stat = fs.statSync(file);
    } catch (e: any) {
        if (e.code === "ENOENT") throw new Error(`${what} ${file}: no such file`);
        throw new Error(`${what} ${file}: ${e.message}`);
    }
    if (stat.isDirectory()) throw new Error(`${what} ${file} is a directory, not a file`);
    return fs.readFileSync(file);
}
