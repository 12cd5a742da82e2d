import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { configDefaults, defineConfig } from 'vitest/config';

// MiniFASNet's model files are not in the repository: the tests load them by name from ../shared.
const shared = process.env.FACE_LIVENESS_SHARED ?? resolve(import.meta.dirname, '..', 'shared');
const minifasnet = join(shared, 'models/peers/minifasnet');
if (!process.env.FACE_LIVENESS_MINIFASNET_DIR && existsSync(minifasnet)) {
  process.env.FACE_LIVENESS_MINIFASNET_DIR = minifasnet;
}

// Two projects over one config. `unit` (`npm test`) must stay under 5 minutes on an idle 2-core
// machine; `e2e` (`npm run test:e2e`) holds whole-clip verdicts, the guides run as scripts, the
// browser webcam and the seeded fuzz sample: minutes each. `npx vitest run packages/landmarks` runs both for one package.
// Native addons (onnxruntime-node, sharp, canvas) are safest in forked processes, and two cores
// cap useful parallelism.
const e2e = [
  'packages/*/test/**/*.e2e.test.ts',
  'examples/docs-check/test/**/*.test.ts',
  'examples/web-webcam/test/**/*.test.ts',
  'examples/*/test/**/*.e2e.test.ts',
  'tools/fuzz/test/**/*.test.ts',
];
const all = ['packages/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts', 'test/**/*.test.ts'];
const banner = 'looks like you are running TensorFlow.js in Node.js';

export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Test helpers that put tfjs on its cpu backend directly (not through selectBackend) would
    // print tfjs's "install tfjs-node" banner once per file.
    onConsoleLog: (log) => !log.includes(banner),
    projects: [
      { extends: true, test: { name: 'unit', include: all, exclude: [...configDefaults.exclude, ...e2e] } },
      { extends: true, test: { name: 'e2e', include: e2e, testTimeout: 600_000 } },
    ],
  },
});
