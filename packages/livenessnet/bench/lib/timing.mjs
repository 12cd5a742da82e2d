// Timing for benchmarks on a shared machine: the best of several chunks is the one least disturbed by other
// processes; CPU time of this process (user + system) is what one undisturbed core would give.

/** Best (lowest) mean wall and CPU time per run over `chunks` chunks of `runs` runs, in ms. */
export async function best([chunks, runs], fn) {
  const fastest = { wall: Number.POSITIVE_INFINITY, cpu: Number.POSITIVE_INFINITY };
  for (let c = 0; c < chunks; c++) {
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    for (let i = 0; i < runs; i++) await fn();
    const cpu = process.cpuUsage(cpuStart);
    fastest.wall = Math.min(fastest.wall, (performance.now() - start) / runs);
    fastest.cpu = Math.min(fastest.cpu, (cpu.user + cpu.system) / 1000 / runs);
  }
  return fastest;
}

/** "wall (cpu)" with `digits` decimals, both times `scale`. */
export const both = (t, digits, scale = 1) =>
  `${(t.wall * scale).toFixed(digits)} (${(t.cpu * scale).toFixed(digits)})`;
