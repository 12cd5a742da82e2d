import type { ImageScores } from '../actions/classifier.js';

/** `classify`'s lines for one image: tab-separated `image [box] label score`, or one JSON object. */
export function classificationLines(
  image: string,
  scores: ImageScores,
  threshold: number,
  json?: boolean,
): string {
  const label = (score: number) => (score >= threshold ? 'real' : 'fake');
  if ('score' in scores) {
    return json
      ? JSON.stringify({ image, score: scores.score })
      : `${image}\t${label(scores.score)}\t${scores.score.toFixed(4)}`;
  }
  const faces = scores.faces.map((f) => ({ box: f.box.map((v) => Math.round(v)), score: f.score }));
  if (json) return JSON.stringify({ image, faces });
  if (faces.length === 0) return `${image}\tno face`;
  return faces
    .map((f) => `${image}\t[${f.box.join(',')}]\t${label(f.score)}\t${f.score.toFixed(4)}`)
    .join('\n');
}
