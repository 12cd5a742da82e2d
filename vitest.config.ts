import { defineConfig } from 'vitest/config';

// One root config: `npm test` runs every package; `npx vitest run packages/landmarks` runs one.
// Native addons (onnxruntime-node, sharp, canvas) are safest in forked processes, and two cores
// cap useful parallelism.
export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
