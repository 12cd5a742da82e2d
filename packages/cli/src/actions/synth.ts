import { type AttackKind, synthesizeDirectory } from '@face-liveness/livenessnet/synth';

interface SynthFlags {
  in: string;
  out: string;
  kind: AttackKind | 'both';
  perImage: number;
  seed?: number;
}

export async function action(flags: SynthFlags): Promise<void> {
  const summary = await synthesizeDirectory({
    inDir: flags.in,
    outDir: flags.out,
    kinds: flags.kind === 'both' ? undefined : [flags.kind],
    perImage: flags.perImage,
    seed: flags.seed,
    onProgress: (done, total) => {
      if (process.stderr.isTTY) process.stderr.write(`\rsynth: ${done}/${total} images`);
    },
  });
  if (process.stderr.isTTY) process.stderr.write('\n');
  const kept = summary.skipped.length ? `, ${summary.skipped.length} existing files kept` : '';
  process.stdout.write(
    `${summary.written.length} attacks written to ${flags.out} from ${summary.inputs} images${kept}\n`,
  );
}
