import type { Verdict } from './fusion.js';
import type { TrackSummary } from './types.js';

/**
 * One verdict for a whole input: among the tracks that reached a verdict, the one (live or spoof)
 * with the most weight, a track weighing its frames times its face size. A face split into several
 * tracks (it jumped, or left and came back) still counts once per frame, a passer-by seen briefly
 * weighs little, and the subject of a liveness check (the big face in front) more than a small
 * face in the back or a detector's box on part of a face. `undecided` when no track decided.
 */
export function inputVerdict(tracks: readonly TrackSummary[]): Verdict {
  let live = 0;
  let spoof = 0;
  for (const t of tracks) {
    const weight = t.frames * (t.meanFaceSize || 1);
    if (t.verdict === 'live') live += weight;
    else if (t.verdict === 'spoof') spoof += weight;
  }
  if (live === 0 && spoof === 0) return 'undecided';
  return spoof >= live ? 'spoof' : 'live';
}
