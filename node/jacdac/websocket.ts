/**
 * The server side of WebSocket (RFC 6455) on Node's http module, as much as Jacdac's devtools
 * protocol needs: binary messages (one Jacdac frame each), fragmented messages, ping/pong, close.
 * Text messages are ignored.
 */
import * as crypto from "crypto";
import * as http from "http";
import type { Duplex } from "stream";

const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
const OP_CONTINUATION = 0x0, OP_TEXT = 0x1, OP_BINARY = 0x2, OP_CLOSE = 0x8, OP_PING = 0x9, OP_PONG = 0xa;
/** Larger messages close the connection (a Jacdac frame is at most 252 bytes). */
const MAX_MESSAGE_BYTES = 1 << 20;

export class WebSocketConnection {
    private buffered = Buffer.alloc(0);
    private fragments: Buffer[] = [];
    private fragmentOpcode = 0;
    private closed = false;
    onMessage: (data: Uint8Array) => void = () => { };
    onClose: () => void = () => { };

    constructor(private readonly socket: Duplex) {
        socket.on("data", (chunk: Buffer) => this.receive(chunk));
        socket.on("close", () => this.finish());
        socket.on("error", () => this.finish());
    }

    private finish(): void {
        if (this.closed) return;
        this.closed = true;
        this.onClose();
    }

    send(data: Uint8Array): void {
        if (!this.closed) this.socket.write(encodeFrame(OP_BINARY, Buffer.from(data)));
    }

    close(): void {
        if (this.closed) return;
        this.socket.end(encodeFrame(OP_CLOSE, Buffer.alloc(0)));
        this.finish();
    }

    private receive(chunk: Buffer): void {
        this.buffered = Buffer.concat([this.buffered, chunk]);
        for (;;) {
            const frame = decodeFrame(this.buffered);
            if (!frame) return;
            if (frame === "too large") {
                this.socket.destroy();
                return;
            }
            this.buffered = this.buffered.subarray(frame.length);
            this.handleFrame(frame.fin, frame.opcode, frame.payload);
            if (this.closed) return;
        }
    }

    private handleFrame(fin: boolean, opcode: number, payload: Buffer): void {
        switch (opcode) {
            case OP_PING:
                this.socket.write(encodeFrame(OP_PONG, payload));
                return;
            case OP_PONG:
                return;
            case OP_CLOSE:
                this.close();
                return;
            case OP_CONTINUATION:
                this.fragments.push(payload);
                break;
            default:
                this.fragmentOpcode = opcode;
                this.fragments = [payload];
        }
        if (!fin) return;
        const message = Buffer.concat(this.fragments);
        this.fragments = [];
        if (this.fragmentOpcode === OP_BINARY) this.onMessage(new Uint8Array(message));
        else if (this.fragmentOpcode !== OP_TEXT) this.socket.destroy();
    }
}

function encodeFrame(opcode: number, payload: Buffer): Buffer {
    const n = payload.length;
    const header = n < 126 ? Buffer.from([0x80 | opcode, n])
        : n < 65536 ? Buffer.from([0x80 | opcode, 126, n >> 8, n & 0xff])
            : Buffer.concat([Buffer.from([0x80 | opcode, 127]), bigLength(n)]);
    return Buffer.concat([header, payload]);
}

function bigLength(n: number): Buffer {
    const b = Buffer.alloc(8);
    b.writeBigUInt64BE(BigInt(n));
    return b;
}

/** One frame from the start of `b`: null when incomplete. Client frames are masked. */
function decodeFrame(b: Buffer): { fin: boolean; opcode: number; payload: Buffer; length: number } | null | "too large" {
    if (b.length < 2) return null;
    const fin = !!(b[0] & 0x80);
    const opcode = b[0] & 0x0f;
    const masked = !!(b[1] & 0x80);
    let n = b[1] & 0x7f;
    let off = 2;
    if (n === 126) {
        if (b.length < 4) return null;
        n = b.readUInt16BE(2);
        off = 4;
    } else if (n === 127) {
        if (b.length < 10) return null;
        const big = b.readBigUInt64BE(2);
        if (big > BigInt(MAX_MESSAGE_BYTES)) return "too large";
        n = Number(big);
        off = 10;
    }
    if (n > MAX_MESSAGE_BYTES) return "too large";
    const maskBytes = masked ? 4 : 0;
    if (b.length < off + maskBytes + n) return null;
    const payload = Buffer.from(b.subarray(off + maskBytes, off + maskBytes + n));
    if (masked) {
        const mask = b.subarray(off, off + 4);
        for (let i = 0; i < n; i++) payload[i] ^= mask[i & 3];
    }
    return { fin, opcode, payload, length: off + maskBytes + n };
}

/**
 * Accepts WebSocket upgrades on an http server; those `accept` says no to (it sees the request:
 * its Origin, its Host) are answered 403 Forbidden and closed.
 */
export function acceptWebSockets(server: http.Server, onConnection: (ws: WebSocketConnection) => void,
    accept: (req: http.IncomingMessage) => boolean = () => true): void {
    server.on("upgrade", (req: http.IncomingMessage, socket: Duplex) => {
        const key = req.headers["sec-websocket-key"];
        if (typeof key !== "string" || (req.headers.upgrade || "").toLowerCase() !== "websocket") {
            socket.end("HTTP/1.1 400 Bad Request\r\n\r\n");
            return;
        }
        if (!accept(req)) {
            socket.end("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            return;
        }
        const accepted = crypto.createHash("sha1").update(key + GUID).digest("base64");
        socket.write(["HTTP/1.1 101 Switching Protocols", "Upgrade: websocket", "Connection: Upgrade",
            `Sec-WebSocket-Accept: ${accepted}`, "", ""].join("\r\n"));
        onConnection(new WebSocketConnection(socket));
    });
}
