// The STS runtime pieces that libs/tflite uses (sts-globals.d.ts) which need no host facilities:
// pxt's Buffer methods and the `control`, `serial`, Math.idiv and hex`` globals. Shared by Node's
// runtime (node/sts-runtime.ts) and the trainer page's (sim/trainer/sts-runtime-browser.ts), whose
// Buffer is browserify's (feross/buffer), with Node's read and write methods.

/** pxt's NumberFormat codes (Int8LE = 1 ... Float64BE = 16) as Buffer reads and writes. */
const NF_READ: { [format: number]: (b: Buffer, o: number) => number } = {
    1: (b, o) => b.readInt8(o), 2: (b, o) => b.readUInt8(o),
    3: (b, o) => b.readInt16LE(o), 4: (b, o) => b.readUInt16LE(o), 5: (b, o) => b.readInt32LE(o),
    6: (b, o) => b.readInt8(o), 7: (b, o) => b.readUInt8(o),
    8: (b, o) => b.readInt16BE(o), 9: (b, o) => b.readUInt16BE(o), 10: (b, o) => b.readInt32BE(o),
    11: (b, o) => b.readUInt32LE(o), 12: (b, o) => b.readUInt32BE(o),
    13: (b, o) => b.readFloatLE(o), 14: (b, o) => b.readDoubleLE(o),
    15: (b, o) => b.readFloatBE(o), 16: (b, o) => b.readDoubleBE(o),
};
/** Writes wrap integers to their width, as pxt's setNumber does. */
const NF_WRITE: { [format: number]: (b: Buffer, o: number, v: number) => void } = {
    1: (b, o, v) => { b[o] = v & 0xff }, 2: (b, o, v) => { b[o] = v & 0xff },
    3: (b, o, v) => { b.writeUInt16LE(v & 0xffff, o) }, 4: (b, o, v) => { b.writeUInt16LE(v & 0xffff, o) },
    5: (b, o, v) => { b.writeInt32LE(v | 0, o) },
    6: (b, o, v) => { b[o] = v & 0xff }, 7: (b, o, v) => { b[o] = v & 0xff },
    8: (b, o, v) => { b.writeUInt16BE(v & 0xffff, o) }, 9: (b, o, v) => { b.writeUInt16BE(v & 0xffff, o) },
    10: (b, o, v) => { b.writeInt32BE(v | 0, o) },
    11: (b, o, v) => { b.writeUInt32LE(v >>> 0, o) }, 12: (b, o, v) => { b.writeUInt32BE(v >>> 0, o) },
    13: (b, o, v) => { b.writeFloatLE(v, o) }, 14: (b, o, v) => { b.writeDoubleLE(v, o) },
    15: (b, o, v) => { b.writeFloatBE(v, o) }, 16: (b, o, v) => { b.writeDoubleBE(v, o) },
};

/** The host's side of the globals: its clock since the runtime started, and where serial lines go. */
export interface StsHost {
    millis: () => number;
    micros: () => number;
    writeLine: (text: string) => void;
}

/** Gives Buffer pxt's getNumber, setNumber and toHex, and defines the globals as pxt does. */
export function installStsGlobals(host: StsHost): void {
    const proto = Buffer.prototype as any;
    proto.getNumber = function (format: number, offset: number): number { return NF_READ[format](this, offset); };
    proto.setNumber = function (format: number, offset: number, value: number): void { NF_WRITE[format](this, offset, value); };
    proto.toHex = function (): string { return this.toString("hex"); };
    (globalThis as any).control = { createBuffer: (size: number) => Buffer.alloc(size), millis: host.millis, micros: host.micros };
    // The micro:bit's serial port.
    (globalThis as any).serial = { writeLine: host.writeLine };
    (Math as any).idiv = (x: number, y: number) => (x / y) | 0;
    // hex`...` literals (embedded models): the digits, whitespace ignored.
    (globalThis as any).hex = (strings: TemplateStringsArray) => Buffer.from(strings.raw.join("").replace(/\s+/g, ""), "hex");
}
