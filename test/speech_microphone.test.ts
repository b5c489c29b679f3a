// libs/speech/microphone.cpp: the micro:bit v2 microphone glue (C++). MakeCode's compile service is
// out of reach here, so: its Static TypeScript compiles for the simulator (where it hears no
// microphone and the speech blocks still hear recorded audio); microphone.cpp passes
// arm-none-eabi-g++ -fsyntax-only for the Cortex-M4 against declarations of the CODAL and pxt
// API it uses (written here, with the signatures of codal-core, codal-nrf52 and
// codal-microbit-v2's headers: CODAL's own headers are not in node_modules); and, compiled for
// this machine with g++, its sample path runs on a made-up ADC stream: DC removed, exactly 16 kHz
// out of 16,129 Hz in, a tone's frequency kept, samples dropped and counted only when the reader
// falls more than 0.5 s behind.
import * as assert from "assert";
import * as childProcess from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { compileForSimulator, ROOT, runInSimulator, hexLiteral } from "../node/simulator";
import { MICRO_SPEECH_LABELS, MICRO_SPEECH_MODEL, readShared, SPEECH_LIB_DIR, sharedClip, writeSpeechProject } from "../node/speech";

const MIC_DIR = SPEECH_LIB_DIR;

/** The part of pxt.h and CODAL that microphone.cpp uses, declared (and, for the host, defined). */
function stubHeader(codal: boolean, host: boolean): string {
    return `// Stand-in for pxt.h: test/speech_microphone.test.ts.
#pragma once
#include <stdint.h>
#include <stddef.h>
#define MICROBIT_CODAL ${codal ? 1 : 0}
#define DEVICE_OK 0
#define DATASTREAM_FORMAT_8BIT_UNSIGNED 1
#define DATASTREAM_FORMAT_8BIT_SIGNED 2
#define DATASTREAM_FORMAT_16BIT_UNSIGNED 3
#define DATASTREAM_FORMAT_16BIT_SIGNED 4
namespace codal {
class ManagedBuffer {
  public:
    uint8_t *bytes; int size;
    ManagedBuffer() : bytes(0), size(0) {}
    ManagedBuffer(uint8_t *b, int n) : bytes(b), size(n) {}
    uint8_t *getBytes() { return bytes; }
    int length() const { return size; }
};
class DataSink { public: virtual int pullRequest()${host ? " { return 0; }" : ";"} };
class DataSource {
  public:
    virtual ManagedBuffer pull()${host ? " { return ManagedBuffer(); }" : ";"}
    virtual void connect(DataSink &sink)${host ? " { (void)sink; }" : ";"}
    virtual int getFormat()${host ? " { return 0; }" : ";"}
    virtual float getSampleRate()${host ? " { return 0; }" : ";"}
};
class SplitterChannel : public DataSource {};
class StreamSplitter { public: SplitterChannel *createChannel(); };
class NRF52ADC { public: int setSamplePeriod(int us); int getSamplePeriod(); };
class MicroBitAudio { public: StreamSplitter *rawSplitter; };
}
using namespace codal;
class MicroBit { public: NRF52ADC adc; MicroBitAudio audio; };
extern MicroBit uBit;
namespace pxt {
class BoxedBuffer { public: int length; uint8_t data[0]; };
typedef BoxedBuffer *Buffer;
}
using namespace pxt;
`;
}

/** A made-up ADC channel for the host: hands out the buffers the driver gives it. */
const HOST_DRIVER = `
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include "../microphone.cpp"

class FakeChannel : public SplitterChannel {
  public:
    DataSink *sink = 0; ManagedBuffer next; int format = DATASTREAM_FORMAT_16BIT_UNSIGNED; float rate = 0;
    ManagedBuffer pull() override { return next; }
    void connect(DataSink &s) override { sink = &s; }
    int getFormat() override { return format; }
    float getSampleRate() override { return rate; }
};
static FakeChannel channel;
static int period = 0;
SplitterChannel *StreamSplitter::createChannel() { return &channel; }
int NRF52ADC::setSamplePeriod(int us) { period = us; return 0; }
int NRF52ADC::getSamplePeriod() { return period; }
MicroBit uBit;
static StreamSplitter splitter;

// Feeds seconds of a tone (hz, amplitude) on a DC offset, in 256-sample buffers at the ADC's rate.
static void feed(double seconds, double hz, double amplitude, double offset) {
    static uint16_t samples[256];
    static double t = 0;
    double rate = 1e6 / period;
    int total = (int)(seconds * rate);
    for (int done = 0; done < total; done += 256) {
        for (int i = 0; i < 256; i++, t += 1 / rate) samples[i] = (uint16_t)lround(offset + amplitude * sin(2 * M_PI * hz * t));
        channel.next = ManagedBuffer((uint8_t *)samples, 512);
        channel.sink->pullRequest();
    }
}

int main() {
    uBit.audio.rawSplitter = &splitter;
    if (!speech::micStart()) return 1;
    BoxedBuffer *dst = (BoxedBuffer *)malloc(sizeof(BoxedBuffer) + 640);
    dst->length = 640;
    // 2 s of a 440 Hz tone on a DC offset of 2048, read as it comes: count samples, crossings, level.
    long out = 0, crossings = 0, last = 0; double sum = 0, sumsq = 0; long settled = 0;
    for (int k = 0; k < 40; k++) {
        feed(0.05, 440, 200, 2048);
        int n;
        while ((n = speech::micRead(dst)) > 0)
            for (int i = 0; i < n / 2; i++, out++) {
                int v = (int16_t)(dst->data[2 * i] | (dst->data[2 * i + 1] << 8));
                if (out > 16000) { // after the DC filter settles
                    if ((v >= 0) != (last >= 0)) crossings++;
                    sum += v; sumsq += (double)v * v; settled++;
                }
                last = v;
            }
    }
    printf("period %d\\nout %ld\\ncrossings %ld\\nmean %.1f\\nrms %.1f\\ndropped_live %d\\n", period, out, crossings, sum / settled, sqrt(sumsq / settled), speech::micDropped());
    // 1 s unread: the ring holds 0.5 s (8192 samples), the rest is dropped and counted.
    feed(1.0, 440, 200, 2048);
    long kept = 0; int n;
    while ((n = speech::micRead(dst)) > 0) kept += n / 2;
    printf("kept %ld\\ndropped %d\\n", kept, speech::micDropped());
    // 8-bit signed streams and a reported rate work too.
    channel.format = DATASTREAM_FORMAT_8BIT_SIGNED;
    channel.rate = 32000;
    static int8_t bytes[320];
    for (int i = 0; i < 320; i++) bytes[i] = (int8_t)(i % 2 ? 20 : -20);
    channel.next = ManagedBuffer((uint8_t *)bytes, 320);
    channel.sink->pullRequest();
    long halved = 0;
    while ((n = speech::micRead(dst)) > 0) halved += n / 2;
    printf("halved %ld\\n", halved);
    return 0;
}
`;

function compileHost(dir: string): string {
    const stubs = path.join(dir, "host");
    fs.mkdirSync(stubs, { recursive: true });
    fs.writeFileSync(path.join(stubs, "pxt.h"), stubHeader(true, true));
    fs.writeFileSync(path.join(stubs, "StreamSplitter.h"), "#pragma once\n");
    // The driver includes microphone.cpp by relative path from a folder beside it.
    const driverDir = path.join(dir, "driver");
    fs.mkdirSync(driverDir, { recursive: true });
    fs.copyFileSync(path.join(MIC_DIR, "microphone.cpp"), path.join(dir, "microphone.cpp"));
    fs.writeFileSync(path.join(driverDir, "driver.cpp"), HOST_DRIVER);
    const exe = path.join(dir, "driver.exe");
    childProcess.execFileSync("g++", ["-std=c++11", "-O1", "-Wall", "-Wno-unused-function", "-I", stubs, path.join(driverDir, "driver.cpp"), "-o", exe, "-lm"],
        { stdio: ["ignore", "pipe", "pipe"] });
    return exe;
}

describe("speech microphone (libs/speech/microphone.cpp)", function () {
    this.timeout(10 * 60 * 1000);
    let dir: string;

    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "speech-mic-"));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("is part of the speech library, and so of the extension users add (with pxt-microbit's microphone package)", () => {
        const config = JSON.parse(fs.readFileSync(path.join(SPEECH_LIB_DIR, "pxt.json"), "utf8"));
        assert.ok(config.files.includes("microphone.cpp") && config.files.includes("microphone.ts"));
        assert.strictEqual(config.dependencies.microphone, "*");
        const rootConfig = JSON.parse(fs.readFileSync(path.join(ROOT, "pxt.json"), "utf8"));
        assert.ok(rootConfig.files.includes("libs/speech/microphone.cpp") && rootConfig.files.includes("libs/speech/microphone.ts"));
        assert.strictEqual(rootConfig.dependencies.microphone, "*");
    });

    for (const codal of [true, false]) {
        it(`microphone.cpp passes arm-none-eabi-g++ -fsyntax-only for the Cortex-M4 (MICROBIT_CODAL ${codal ? 1 : 0})`, () => {
            const stubs = path.join(dir, "arm-" + codal);
            fs.mkdirSync(stubs, { recursive: true });
            fs.writeFileSync(path.join(stubs, "pxt.h"), stubHeader(codal, false));
            fs.writeFileSync(path.join(stubs, "StreamSplitter.h"), "#pragma once\n");
            childProcess.execFileSync("arm-none-eabi-g++", ["-std=c++11", "-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv4-sp-d16",
                "-fno-exceptions", "-fno-rtti", "-Wall", "-Wextra", "-Werror", "-Wno-unused-parameter", "-fsyntax-only", "-I", stubs, path.join(MIC_DIR, "microphone.cpp")],
                { stdio: ["ignore", "pipe", "pipe"] });
        });
    }

    it("turns a 16,129 Hz ADC stream into 16 kHz int16 samples: DC removed, the tone kept, drops only beyond 0.5 s", () => {
        const out = childProcess.execFileSync(compileHost(dir), { encoding: "utf8" });
        const v: { [k: string]: number } = {};
        for (const line of out.trim().split("\n")) {
            const [k, x] = line.split(" ");
            v[k] = Number(x);
        }
        assert.strictEqual(v.period, 62);
        // 2 s in (40 x 0.05 s, each a whole number of 256-sample buffers): 16,000 per second out.
        const seconds = 40 * Math.ceil(0.05 * 1e6 / 62 / 256) * 256 / (1e6 / 62);
        assert.ok(Math.abs(v.out - 16000 * seconds) <= 2, `${v.out} samples for ${seconds} s`);
        // 440 Hz: 880 zero crossings a second, over the last second (after the DC filter settles).
        const settledSeconds = (v.out - 16001) / 16000;
        assert.ok(Math.abs(v.crossings / settledSeconds - 880) < 10, `${v.crossings} crossings in ${settledSeconds} s`);
        assert.ok(Math.abs(v.mean) < 20, "mean " + v.mean);
        // Amplitude 200 x 2^4 (the default gain): rms 200 * 16 / sqrt(2) = 2263.
        assert.ok(Math.abs(v.rms - 2263) < 60, "rms " + v.rms);
        // Read as it came: nothing dropped.
        assert.strictEqual(v.dropped_live, 0);
        assert.strictEqual(v.kept, 8192);
        assert.ok(v.dropped > 7000 && v.dropped < 8500, "dropped " + v.dropped);
        // 320 samples at a reported 32 kHz: 160 at 16 kHz.
        assert.ok(Math.abs(v.halved - 160) <= 1, "halved " + v.halved);
    });

    it("compiles for the simulator, where it hears no microphone: recorded audio still works", async () => {
        const project = path.join(ROOT, "built", "sim", "speech-microphone");
        const main = `// The microphone package in the simulator: no samples, no drops; hearAudio still hears.
speech.useModel(${hexLiteral(readShared(MICRO_SPEECH_MODEL))}, ${JSON.stringify(MICRO_SPEECH_LABELS)})
speech.setMicrophoneGain(3)
speech.onWordHeard(SpeechWord.Yes, function () { serial.writeString("heard yes\\n") })
basic.pause(50)
serial.writeString("dropped " + speech.microphoneDroppedSamples() + "\\n")
speech.hearAudio(${hexLiteral(Buffer.concat([sharedClip("silence_1000ms"), sharedClip("yes_1000ms"), sharedClip("silence_1000ms")]))})
basic.pause(10)
serial.writeString("done\\n")
`;
        writeSpeechProject(project, "speech-microphone", { "main.ts": main });
        const run = await runInSimulator(compileForSimulator(project), { until: (l) => l.indexOf("done") >= 0 });
        assert.deepStrictEqual(run.lines, ["dropped 0", "heard yes", "done"]);
    });
});
