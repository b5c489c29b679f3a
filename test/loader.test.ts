// The C loader (kernels/loader.c, what the board runs) against the STS loader (what the simulator
// and Node run): the same body and parameter block for every operator, the same arena plan, the
// same inputs and outputs, for every model we have; the same verdict on corrupt models; and the
// C loader + C kernels give TFLM's golden outputs byte for byte.
import * as assert from "assert";
import * as fs from "fs";
import { buildLoaderTool, cLoaderRun, compareLoaders } from "../node/c-loader";
import { caseName, conformanceCases, sharedPath } from "../node/conformance";

describe("the C loader (the board's) against the STS loader", function () {
    this.timeout(20 * 60 * 1000);

    before(() => buildLoaderTool());

    it("writes the same parameter blocks and arena plan for every model, generated model and mutant, and rejects the same ones", () => {
        const res = compareLoaders({ seeds: 3, perKind: 2, mutants: 400, specMutants: 400 });
        const shown = res.differences.slice(0, 5).map((d) => `${d.name}:\n  C:   ${d.c.slice(0, 300)}\n  STS: ${d.sts.slice(0, 300)}`);
        assert.deepStrictEqual(shown, [], `${res.differences.length} models differ`);
        assert.ok(res.same > 250 && res.rejected > 100, `${res.same} loaded alike, ${res.rejected} rejected alike`);
    });

    it("runs every golden case through the C loader and C kernels byte for byte", () => {
        for (const c of conformanceCases()) {
            const model = fs.readFileSync(sharedPath(c.model));
            const inputs = c.inputs.map((f) => fs.readFileSync(sharedPath(f)));
            const got = cLoaderRun(model, inputs, c.stream_stride_bytes || 0);
            const want = fs.readFileSync(sharedPath(c.output));
            assert.ok(got.equals(want), `${caseName(c)}: outputs differ from TFLM's`);
        }
    });
});
