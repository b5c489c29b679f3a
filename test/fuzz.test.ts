// A fixed-seed batch of corrupt models: each ends in a clear interpreter error or runs; none
// crashes with a JavaScript error, leaves a tensor outside its arena, or hangs. The sources are
// the TFLM models and one generated single-op model of every kind (node/fuzz.ts); mutants change
// bytes, or one field of the model's description rewritten with the model writer. The long run
// is `node built/tools/fuzz.js 100000`.
import * as assert from "assert";
import { loadTflite } from "../node/sts-runtime";
import { fuzzModels, generatedModels, mutate, mutateSpec, prng } from "../node/fuzz";

describe("fuzzing the model reader, loader and kernels", () => {
    it("3,000 mutants of the TFLM models and generated models: only named errors, no crash, no hang", function () {
        this.timeout(300000);
        const r = fuzzModels({ seed: 20261122, mutants: 3000, maxMsPerMutant: 10000 });
        assert.strictEqual(r.mutants, 3000);
        assert.strictEqual(r.loaded + r.rejected, r.mutants);
        // The errors name specific problems, not one catch-all.
        assert.ok(r.messages.size >= 10, `only ${r.messages.size} distinct rejection messages`);
        // Some mutants (changed weights, say) still load and run.
        assert.ok(r.loaded > 0 && r.invoked > 0, "no mutant loaded and ran");
        // Rewritten mutants reach the kernels' own checks, for many kinds of op.
        const ops = new Set<string>();
        r.messages.forEach((_, m) => {
            const op = /^tflite: operator N \(([A-Z_N]+) vN\)/.exec(m);
            if (op) ops.add(op[1]);
        });
        assert.ok(ops.size >= 15, `kernel checks of only ${ops.size} ops reached: ${[...ops].join(", ")}`);
    });

    it("every generated source model loads and runs", () => {
        const tflite = loadTflite();
        const models = generatedModels(1);
        assert.ok(models.length >= 80, `only ${models.length} kinds`);
        for (const { name, model } of models) {
            const ip = new tflite.StsInterpreter(model);
            for (let i = 0; i < ip.inputCount(); i++) ip.setInputBytes(i, Buffer.alloc(ip.input(i).bytes));
            ip.invoke();
            assert.ok(ip.outputBytes(0).length > 0, name);
        }
    });

    it("mutation is deterministic for a seed", () => {
        const model = Buffer.alloc(256, 7);
        const a = mutate(model, prng(5)), b = mutate(model, prng(5));
        assert.ok(a.equals(b));
        const source = generatedModels(3)[5].model;
        for (let s = 0; s < 20; s++) {
            const x = mutateSpec(source, prng(s)), y = mutateSpec(source, prng(s));
            assert.deepStrictEqual(x && [x.change, x.model.toString("hex")], y && [y.change, y.model.toString("hex")]);
        }
    });
});
