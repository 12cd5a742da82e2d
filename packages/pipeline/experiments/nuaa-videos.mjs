// The pipeline on NUAA frame sequences of the held-out validation subjects, stitched into videos
// (names give the order): live subjects should come out `live`, photo attacks `spoof`, and no
// blink should be counted on any photo attack. Uses the default models and policy (override the
// model with CLASSIFIER=path, the policy with POLICY=name). Prints one line per video and a table.
// Usage: npx tsc -b packages/pipeline && node packages/pipeline/experiments/nuaa-videos.mjs
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sharedPath } from '@face-liveness/core/testing';
import { stitchFrames } from '../bench/nuaa-video.mjs';
import { analyzeMedia, createLivenessEngine } from '../dist/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const split = JSON.parse(readFileSync(join(here, '../../livenessnet/experiments/split.json'), 'utf8'));
const subjects = split.sources.nuaa.validation;
const dir = mkdtempSync(join(tmpdir(), 'fl-nuaa-videos-'));
const engine = await createLivenessEngine({ classifierModel: process.env.CLASSIFIER });
const session = { policy: process.env.POLICY ?? 'fused' };
const rows = [];
try {
  for (const subject of subjects) {
    for (const kind of ['real', 'fake']) {
      const frames = sharedPath('data/nuaa', kind, subject);
      if (!existsSync(frames)) continue;
      const video = join(dir, `${kind}-${subject}.mp4`);
      const count = stitchFrames(frames, video);
      const summary = await analyzeMedia(engine, video, { session });
      const expected = kind === 'real' ? 'live' : 'spoof';
      const blinks = summary.tracks.reduce((n, t) => n + t.blinks, 0);
      const row = {
        video: `${kind}/${subject}`,
        frames: count,
        tracks: summary.tracks.length,
        verdict: summary.tracks.length ? summary.verdict : 'no face',
        expected,
        ok: summary.verdict === expected,
        blinks,
        verdicts: summary.tracks.map((t) => `#${t.id}:${t.verdict}/${t.frames}f/${t.blinks}b`).join(' '),
      };
      rows.push(row);
      console.log(JSON.stringify(row));
    }
  }
} finally {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
}
const attacks = rows.filter((r) => r.expected === 'spoof');
console.log(
  `\n${rows.filter((r) => r.ok).length}/${rows.length} videos right; ` +
    `blinks on photo attacks: ${attacks.map((r) => r.blinks).join(', ')} (want all 0)`,
);
