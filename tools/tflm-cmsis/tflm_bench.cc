// Instructions per invoke of TFLM (with whatever kernels the library was built with) on QEMU's
// mps2-an386 (Cortex-M4F), counted the way pxt-tinyml's replay harness counts its own kernels:
// QEMU runs with `-icount shift=0` (1 ns of virtual time per instruction) and the CMSDK APB
// timer 0 at 25 MHz is read around the work, so one tick is 40 instructions.
//
//   tflm_bench MODEL CASE_DIR CASE...
//
// For each case: a fresh interpreter on the model, CASE_DIR/CASE.input0.bin copied into the
// input before each of two Invoke()s, the second one timed two ways: the whole Invoke() and the
// sum over its operators' invoke functions (a MicroProfiler reading the same timer: the kernels
// alone, which is what the project's harness sums). The output after each invoke must equal
// CASE_DIR/CASE.output.bin (TFLM's reference goldens), byte for byte. Prints per case
//   T CASE invoke TICKS ops TICKS match 1|0
// (before the first case's T line, "O CASE INDEX OP TICKS" for each operator of its second invoke)
// (a case whose output differs first prints "output ..., golden ...", the bytes as int8) and ends with "N passed, M failed".
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#include "tensorflow/lite/micro/cortex_m_generic/debug_log_callback.h"
#include "tensorflow/lite/micro/micro_interpreter.h"
#include "tensorflow/lite/micro/micro_mutable_op_resolver.h"
#include "tensorflow/lite/micro/micro_profiler_interface.h"
#include "tensorflow/lite/schema/schema_generated.h"

namespace {

volatile uint32_t* const kTimer0 = reinterpret_cast<volatile uint32_t*>(0x40000000u);

void TimerStart() {
  kTimer0[0] = 0;            // CTRL: stop
  kTimer0[2] = 0xffffffffu;  // RELOAD
  kTimer0[1] = 0xffffffffu;  // VALUE
  kTimer0[0] = 1;            // CTRL: enable
}

// The timer counts down; this counts up.
inline uint32_t Ticks() { return ~kTimer0[1]; }

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
    if (c == 3)  // the first case's operators, one line each
      for (int i = 0; i < profiler.count_ && i < OpTicks::kMaxOps; i++)
        printf("O %s %d %s %lu\n", argv[c], i, profiler.tags_[i], static_cast<unsigned long>(profiler.ticks_[i]));
    printf("T %s invoke %lu ops %lu match %d\n", argv[c], static_cast<unsigned long>(invoke_ticks),
           static_cast<unsigned long>(profiler.sum_), match);
    if (match) passed++; else failed++;
  }
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
