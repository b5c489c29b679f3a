// node built/tools/loader-compare.js [--kinds REGEX] [--seeds N] [--per-kind N] [--mutants N] [--spec-mutants N]
// The C loader (kernels/loader.c) against the STS loader on every model we have, generated
// single-op models and mutants: prints each model where they differ and a summary.
import { buildLoaderTool, compareLoaders } from "../node/c-loader";

function arg(name: string, dflt: string): string {
    const i = process.argv.indexOf(name);
    return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : dflt;
}

buildLoaderTool();
const kinds = arg("--kinds", "");
const res = compareLoaders({
    seeds: Number(arg("--seeds", "3")), perKind: Number(arg("--per-kind", "2")),
    mutants: Number(arg("--mutants", "400")), specMutants: Number(arg("--spec-mutants", "400")),
    kinds: kinds ? new RegExp(kinds) : undefined, seed: Number(arg("--seed", "20261205")),
});
for (const d of res.differences.slice(0, Number(arg("--show", "10")))) console.log(`${d.name}\n  C:   ${d.c}\n  STS: ${d.sts}\n`);
console.log(`${res.same} loaded alike, ${res.rejected} rejected alike (${res.otherMessages} with other words), ${res.differences.length} differ`);
process.exit(res.differences.length ? 1 : 0);
