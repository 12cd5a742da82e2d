// One start-up measurement (run by startup.mjs in a fresh process); prints one JSON line.
import { readImage } from '@face-liveness/core';
import { createLivenessEngine } from '@face-liveness/pipeline';

const importMs = performance.now();
const started = performance.now();
const engine = await createLivenessEngine();
const loaded = performance.now();
const result = await engine.analyzeImage(await readImage(process.argv[2]));
const done = performance.now();
const t = performance.now();
for (let i = 0; i < 1000; i++) await engine.createSession().close();
const sessionUs = ((performance.now() - t) / 1000) * 1000;
await engine.close();
const packages = [...new Set(globalThis.resolvedPackages ?? [])].sort();
console.log(
  JSON.stringify({
    importMs,
    engineMs: loaded - started,
    firstImageMs: done - loaded,
    totalMs: done - started,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    sessionUs,
    detector: `${engine.info.detector.name} (${engine.info.detector.reason})`,
    faces: result.faces.length,
    packages,
  }),
);
