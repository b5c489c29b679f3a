// Instructions per invoke of TFLM (with whatever kernels the library was built with) on QEMU's
// mps2-an386 (Cortex-M4F) or, built with TFLM_BENCH_MICROBIT, QEMU's microbit (nRF51822,
// Cortex-M0, 16 KB of RAM), counted the way pxt-tinyml's replay harness counts its own kernels:
// QEMU runs with `-icount shift=0` (1 ns of virtual time per instruction) and a timer is read
// around the work: on the mps2 the CMSDK APB timer 0 at 25 MHz (one tick is 40 instructions),
// on the micro:bit the nRF51's TIMER0 at 16 MHz (62.5 instructions), as kernels/platform.h does.
//
//   tflm_bench MODEL CASE_DIR CASE...
//
// For each case: a fresh interpreter on the model, CASE_DIR/CASE.input0.bin copied into the
// input before each of two Invoke()s, the second one timed two ways: the whole Invoke() and the
// sum over its operators' invoke functions (a MicroProfiler reading the same timer: the kernels
// alone, which is what the project's harness sums). The output after each invoke must equal
// CASE_DIR/CASE.output.bin (TFLM's reference goldens), byte for byte. Prints per case
//   T CASE invoke TICKS ops TICKS match 1|0
// (before the first case's T line, "O CASE INDEX OP TICKS" for each operator of its second invoke,
// and "A CASE ARENA_USED ARENA_SIZE", the arena bytes TFLM's allocator took)
// (a case whose output differs first prints "output ..., golden ...", the bytes as int8) and ends with "N passed, M failed".
//
// On the micro:bit the model, the input and the golden cannot sit in its 16 KB of RAM beside the
// arena: each file is written into the upper 128 KB of flash through the NVMC (erase the pages,
// write words), as the project's M0 harness writes its models, and read from there.
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#include "tensorflow/lite/micro/cortex_m_generic/debug_log_callback.h"
#include "tensorflow/lite/micro/micro_interpreter.h"
#include "tensorflow/lite/micro/micro_mutable_op_resolver.h"
#include "tensorflow/lite/micro/micro_profiler_interface.h"
#include "tensorflow/lite/schema/schema_generated.h"

namespace {

#if defined(TFLM_BENCH_MICROBIT)
volatile uint32_t* const kTimer0 = reinterpret_cast<volatile uint32_t*>(0x40008000u);
volatile uint32_t* const kNvmc = reinterpret_cast<volatile uint32_t*>(0x4001e000u);

void TimerStart() {
  kTimer0[0x504 / 4] = 0;  // MODE: timer
  kTimer0[0x508 / 4] = 3;  // BITMODE: 32 bits
  kTimer0[0x510 / 4] = 0;  // PRESCALER: 16 MHz
  kTimer0[0x00c / 4] = 1;  // TASKS_CLEAR
  kTimer0[0x000 / 4] = 1;  // TASKS_START
}

inline uint32_t Ticks() {
  kTimer0[0x040 / 4] = 1;   // TASKS_CAPTURE[0]
  return kTimer0[0x540 / 4];  // CC[0]
}

void NvmcWait() {
  while (!(kNvmc[0x400 / 4] & 1)) {  // READY
  }
}
#else
volatile uint32_t* const kTimer0 = reinterpret_cast<volatile uint32_t*>(0x40000000u);

void TimerStart() {
  kTimer0[0] = 0;            // CTRL: stop
  kTimer0[2] = 0xffffffffu;  // RELOAD
  kTimer0[1] = 0xffffffffu;  // VALUE
  kTimer0[0] = 1;            // CTRL: enable
}

// The timer counts down; this counts up.
inline uint32_t Ticks() { return ~kTimer0[1]; }
#endif

// Sums the ticks of the operators' invoke functions, and keeps each one's for the O lines.
class OpTicks : public tflite::MicroProfilerInterface {
 public:
  static constexpr int kMaxOps = 128;
  uint32_t BeginEvent(const char* tag) override {
    if (count_ < kMaxOps) tags_[count_] = tag;
    start_ = Ticks();
    return 0;
  }
  void EndEvent(uint32_t) override {
    uint32_t t = Ticks() - start_;
    sum_ += t;
    if (count_ < kMaxOps) ticks_[count_] = t;
    count_++;
  }
  void Reset() { sum_ = 0; count_ = 0; }
  uint32_t sum_ = 0;
  int count_ = 0;
  const char* tags_[kMaxOps];
  uint32_t ticks_[kMaxOps];

 private:
  uint32_t start_ = 0;
};

#if defined(TFLM_BENCH_MICROBIT)
// The arena takes what RAM the stack, newlib's stdio and TFLM's objects leave: micro_speech's
// needs 6,836 bytes; person_detect's 85 KB (and its 300 KB model) have no room on this board.
#ifndef TFLM_BENCH_ARENA
#define TFLM_BENCH_ARENA 8192
#endif
constexpr size_t kArenaBytes = TFLM_BENCH_ARENA;
alignas(16) uint8_t arena[kArenaBytes];
// The upper 128 KB of flash (the program is linked into the lower 128 KB): the model, then the
// case's input and golden, each from a 1 KB page boundary (the NVMC erases whole pages).
constexpr uint32_t kFlashFiles = 0x20000u, kFlashEnd = 0x40000u, kPage = 1024;
constexpr size_t kModelMax = 112u << 10;
constexpr size_t kIoMax = 8u << 10;
uint8_t* const model_buf = reinterpret_cast<uint8_t*>(kFlashFiles);
uint8_t* const input = model_buf + kModelMax;
uint8_t* const golden = input + kIoMax;
static_assert(kFlashFiles + kModelMax + 2 * kIoMax == kFlashEnd, "the files fill the upper 128 KB of flash");

// Reads a file into flash at dst, at most cap bytes; its length, -1 if it cannot be opened, -2 if
// it is longer than cap. Unbuffered, so that stdio takes no 1 KB buffer from the heap.
long ReadFile(const char* path, uint8_t* dst, size_t cap) {
  FILE* f = fopen(path, "rb");
  if (!f) return -1;
  setvbuf(f, nullptr, _IONBF, 0);
  kNvmc[0x504 / 4] = 2;  // CONFIG: erase enabled
  NvmcWait();
  for (uint32_t page = 0; page < cap / kPage; page++) {
    kNvmc[0x508 / 4] = reinterpret_cast<uint32_t>(dst) + page * kPage;  // ERASEPAGE
    NvmcWait();
  }
  kNvmc[0x504 / 4] = 1;  // CONFIG: write enabled
  NvmcWait();
  uint32_t chunk[64];
  size_t n = 0, got;
  int more = 0;
  while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
    if (n + got > cap) {
      more = 1;
      break;
    }
    for (size_t i = 0; i < (got + 3) / 4; i++) {
      reinterpret_cast<volatile uint32_t*>(dst + n)[i] = chunk[i];
      NvmcWait();
    }
    n += got;
    if (got < sizeof chunk) break;
  }
  kNvmc[0x504 / 4] = 0;  // CONFIG: read only
  NvmcWait();
  fclose(f);
  return more ? -2 : static_cast<long>(n);
}
#else
constexpr size_t kModelMax = 1u << 20;
constexpr size_t kArenaBytes = 512u << 10;
constexpr size_t kIoMax = 64u << 10;
__attribute__((section(".psram"), aligned(16))) uint8_t model_buf[kModelMax];
__attribute__((section(".psram"), aligned(16))) uint8_t arena[kArenaBytes];
__attribute__((section(".psram"), aligned(16))) uint8_t input[kIoMax];
__attribute__((section(".psram"), aligned(16))) uint8_t golden[kIoMax];

long ReadFile(const char* path, uint8_t* dst, size_t cap) {
  FILE* f = fopen(path, "rb");
  if (!f) return -1;
  size_t n = fread(dst, 1, cap, f);
  int more = fgetc(f) != EOF;
  fclose(f);
  return more ? -2 : static_cast<long>(n);
}
#endif

void Log(const char* s) { fputs(s, stdout); }

}  // namespace

int main(int argc, char** argv) {
  RegisterDebugLogCallback(Log);
  if (argc < 4) {
    printf("usage: tflm_bench MODEL CASE_DIR CASE...\n");
    return 2;
  }
  long model_bytes = ReadFile(argv[1], model_buf, kModelMax);
  if (model_bytes <= 0) {
    printf("cannot read model %s (%ld)\n", argv[1], model_bytes);
    return 2;
  }
  const tflite::Model* model = tflite::GetModel(model_buf);
  tflite::MicroMutableOpResolver<8> ops;
  ops.AddReshape();
  ops.AddConv2D();
  ops.AddDepthwiseConv2D();
  ops.AddFullyConnected();
  ops.AddAveragePool2D();
  ops.AddSoftmax();
  TimerStart();
  int passed = 0, failed = 0;
  char path[512];
  for (int c = 3; c < argc; c++) {
    OpTicks profiler;
    tflite::MicroInterpreter interpreter(model, ops, arena, kArenaBytes, nullptr, &profiler);
    if (interpreter.AllocateTensors() != kTfLiteOk) {
      printf("FAIL %s: AllocateTensors\n", argv[c]);
      failed++;
      continue;
    }
    TfLiteTensor* in = interpreter.input(0);
    TfLiteTensor* out = interpreter.output(0);
    snprintf(path, sizeof path, "%s/%s.input0.bin", argv[2], argv[c]);
    long in_bytes = ReadFile(path, input, kIoMax);
    snprintf(path, sizeof path, "%s/%s.output.bin", argv[2], argv[c]);
    long out_bytes = ReadFile(path, golden, kIoMax);
    if (in_bytes != static_cast<long>(in->bytes) || out_bytes != static_cast<long>(out->bytes)) {
      printf("FAIL %s: input %ld bytes (model %u), output %ld bytes (model %u)\n", argv[c], in_bytes,
             static_cast<unsigned>(in->bytes), out_bytes, static_cast<unsigned>(out->bytes));
      failed++;
      continue;
    }
    int match = 1;
    uint32_t invoke_ticks = 0;
    for (int round = 0; round < 2; round++) {
      // Again before each invoke: TFLM's memory planner lets later tensors reuse the input's
      // bytes once the first operator has read them.
      memcpy(in->data.uint8, input, in->bytes);
      profiler.Reset();
      uint32_t t0 = Ticks();
      TfLiteStatus status = interpreter.Invoke();
      invoke_ticks = Ticks() - t0;
      if (status != kTfLiteOk || memcmp(out->data.uint8, golden, out->bytes) != 0) match = 0;
    }
    if (!match) {
      printf("output");
      for (size_t i = 0; i < out->bytes; i++) printf(" %d", static_cast<int>(out->data.int8[i]));
      printf(", golden");
      for (size_t i = 0; i < out->bytes; i++) printf(" %d", static_cast<int>(static_cast<int8_t>(golden[i])));
      printf("\n");
    }
    if (c == 3) {  // the first case's operators, one line each, and its arena
      printf("A %s %lu %lu\n", argv[c], static_cast<unsigned long>(interpreter.arena_used_bytes()),
             static_cast<unsigned long>(kArenaBytes));
      for (int i = 0; i < profiler.count_ && i < OpTicks::kMaxOps; i++)
        printf("O %s %d %s %lu\n", argv[c], i, profiler.tags_[i], static_cast<unsigned long>(profiler.ticks_[i]));
    }
    printf("T %s invoke %lu ops %lu match %d\n", argv[c], static_cast<unsigned long>(invoke_ticks),
           static_cast<unsigned long>(profiler.sum_), match);
    if (match) passed++; else failed++;
  }
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
