// Reading the .hex files pxt builds: enough of Intel HEX to find where a model landed in flash.

/** The bytes of an Intel HEX file, by address (data records only; every record's checksum checked). */
export function decodeIntelHex(text: string): Map<number, number> {
    const bytes = new Map<number, number>();
    let base = 0;
    text.split(/\r?\n/).forEach((line, n) => {
        if (!line) return;
        if (line[0] !== ":") throw new Error("line " + (n + 1) + " is not an Intel HEX record: " + line);
        const rec = Buffer.from(line.slice(1), "hex");
        if (rec.reduce((a, b) => (a + b) & 0xff, 0) !== 0) throw new Error("bad checksum on line " + (n + 1) + ": " + line);
        const address = (rec[1] << 8) | rec[2];
        const type = rec[3];
        const data = rec.subarray(4, 4 + rec[0]);
        if (type === 0) data.forEach((b, i) => bytes.set(base + address + i, b));
        else if (type === 2) base = data.readUInt16BE(0) << 4; // extended segment address
        else if (type === 4) base = data.readUInt16BE(0) * 65536; // extended linear address
    });
    return bytes;
}

/** The address where `needle` lies in the image, or -1. */
export function findInImage(image: Map<number, number>, needle: Buffer): number {
    for (const [address, b] of image) {
        if (b !== needle[0]) continue;
        let i = 1;
        while (i < needle.length && image.get(address + i) === needle[i]) i++;
        if (i === needle.length) return address;
    }
    return -1;
}
