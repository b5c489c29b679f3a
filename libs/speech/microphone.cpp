// The micro:bit v2 microphone at 16 kHz for keyword spotting: raw ADC samples from CODAL's
// microphone splitter, DC removed, scaled, resampled to exactly 16 kHz, kept in a ring that the
// speech extension's background fiber reads 20 ms at a time (see microphone.ts). Thin on purpose:
// the front end, the model and the recognizer are the speech extension's Static TypeScript.
// Small beats fast: 16,000 samples a second is little work, and every C++ function of the
// extension takes flash in every program, with or without speech blocks.
#pragma GCC optimize("Os")
#include "pxt.h"

#if MICROBIT_CODAL
#include "StreamSplitter.h"
#endif

namespace speech {

// 0.5 s at 16 kHz: how far the program may fall behind before samples are dropped.
#define SPEECH_RING_SAMPLES 8192
#define SPEECH_RATE 16000
// ADC period: 62 us (16,129 Hz), the closest to 16 kHz; resampled to 16 kHz below.
#define SPEECH_ADC_PERIOD_US 62

#if MICROBIT_CODAL
class MicrophoneSink : public codal::DataSink {
  public:
    codal::DataSource &source;
    int16_t ring[SPEECH_RING_SAMPLES];
    // Samples written and read since the start; the reader owns `read`, the interrupt `written`.
    volatile uint32_t written;
    volatile uint32_t read;
    volatile uint32_t dropped;
    // Linear interpolation from the ADC's rate to 16 kHz: input samples per output sample, and
    // the position of the next output sample after `previous`, both in 16.16 fixed point.
    uint32_t step;
    float stepRate;
    uint32_t phase;
    int32_t previous;
    // The DC offset, in 20.12 fixed point, followed with a time constant of 1024 samples.
    int32_t dc;
    int gainShift;

    MicrophoneSink(codal::DataSource &s, int adcPeriodUs) : source(s) {
        written = read = dropped = 0;
        setRate(1000000.0f / adcPeriodUs);
        phase = 0;
        previous = 0;
        dc = 0;
        gainShift = 4;
        source.connect(*this);
    }

    void setRate(float rate) {
        stepRate = rate;
        step = (uint32_t)(rate * 65536.0f / SPEECH_RATE + 0.5f);
    }

    void put(int32_t v) {
        if (v > 32767) v = 32767;
        if (v < -32768) v = -32768;
        if (written - read >= SPEECH_RING_SAMPLES) {
            dropped++;
            return;
        }
        ring[written % SPEECH_RING_SAMPLES] = (int16_t)v;
        written++;
    }

    void sample(int32_t x) {
        dc += ((x << 12) - dc + 512) >> 10;
        int32_t v = (x - ((dc + 2048) >> 12)) << gainShift;
        while (phase < 0x10000) {
            put(previous + (int32_t)(((int64_t)(v - previous) * phase) >> 16));
            phase += step;
        }
        phase -= 0x10000;
        previous = v;
    }

    virtual int pullRequest() {
        ManagedBuffer b = source.pull();
        // The rate the stream reports, when it does (it follows the ADC's period).
        float rate = source.getSampleRate();
        if (rate > 0 && rate != stepRate) setRate(rate);
        int format = source.getFormat();
        uint8_t *p = b.getBytes();
        int n = b.length();
        if (format == DATASTREAM_FORMAT_16BIT_SIGNED)
            for (int i = 0; i + 1 < n; i += 2) sample((int16_t)(p[i] | (p[i + 1] << 8)));
        else if (format == DATASTREAM_FORMAT_16BIT_UNSIGNED)
            for (int i = 0; i + 1 < n; i += 2) sample((int32_t)(uint16_t)(p[i] | (p[i + 1] << 8)));
        else if (format == DATASTREAM_FORMAT_8BIT_SIGNED)
            for (int i = 0; i < n; i++) sample((int32_t)(int8_t)p[i] << 8);
        else if (format == DATASTREAM_FORMAT_8BIT_UNSIGNED)
            for (int i = 0; i < n; i++) sample((int32_t)p[i] << 8);
        return DEVICE_OK;
    }
};

static MicrophoneSink *sink = NULL;
#endif

/**
 * Starts sampling the microphone at 16 kHz into the ring; false where there is no v2 microphone.
 */
//%
bool micStart() {
#if MICROBIT_CODAL
    if (!sink) {
        uBit.adc.setSamplePeriod(SPEECH_ADC_PERIOD_US);
        // A new splitter channel activates the microphone (MicroBitAudio listens for it).
        sink = new MicrophoneSink(*uBit.audio.rawSplitter->createChannel(), uBit.adc.getSamplePeriod());
    }
    return true;
#else
    return false;
#endif
}

/**
 * Moves up to `dst`'s length of samples (int16 little-endian) out of the ring; the number of bytes.
 */
//%
int micRead(Buffer dst) {
#if MICROBIT_CODAL
    if (!sink) return 0;
    uint32_t available = sink->written - sink->read;
    uint32_t n = dst->length / 2;
    if (n > available) n = available;
    for (uint32_t i = 0; i < n; i++) {
        int16_t v = sink->ring[(sink->read + i) % SPEECH_RING_SAMPLES];
        dst->data[2 * i] = v & 0xff;
        dst->data[2 * i + 1] = (v >> 8) & 0xff;
    }
    sink->read += n;
    return 2 * n;
#else
    return 0;
#endif
}

/** Samples dropped because the ring was full (the program fell more than 0.5 s behind). */
//%
int micDropped() {
#if MICROBIT_CODAL
    return sink ? sink->dropped : 0;
#else
    return 0;
#endif
}

/** Sets the gain: samples are multiplied by 2^shift (0..8) after the DC offset is removed. */
//%
void micSetGain(int shift) {
#if MICROBIT_CODAL
    if (sink && shift >= 0 && shift <= 8) sink->gainShift = shift;
#endif
}

} // namespace speech
