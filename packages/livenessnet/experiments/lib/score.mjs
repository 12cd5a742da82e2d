// Scores split items as the protocol does: res10's best face (cached, lib/faces.mjs) handed to `scoreFace(frame,
// box)`, which frames it as its model was trained (a LivenessNet crop with the recipe's margin, MiniFASNet's own
// windows). A full frame without a face scores 0 (rejected, as pad_metrics.py counts it); an image that is already
// a detector crop (livenessnet-community) is taken whole when res10 finds no face in it again.
import { readImage } from '@face-liveness/core';
import { padMetrics } from '@face-liveness/livenessnet/evaluate';
import { facesOf, scoringBox } from './faces.mjs';

export async function scoreItems(scoreFace, items, { facesCache }) {
  const faces = await facesOf(
    items.filter((i) => i.fullFrame || i.isCrop),
    facesCache,
  );
  const rows = [];
  let ms = 0;
  let scored = 0;
  for (const item of items) {
    const row = { image: item.image, label: item.label, source: item.source, subject: item.subject };
    if (item.attackType) row.attackType = item.attackType;
    const frame = await readImage(item.path);
    const box = scoringBox(item, faces, frame);
    if (box) {
      const t = performance.now();
      row.score = Number((await scoreFace(frame, box)).toPrecision(6));
      ms += performance.now() - t;
      scored++;
    }
    rows.push(row);
  }
  return { rows, msPerFace: ms / scored };
}

const round = (v) => Math.round(v * 1e4) / 1e4;

/** padMetrics of `rows` at `threshold`, pooled ('all') and per source dataset. */
export function metricsBySet(rows, threshold) {
  const sets = { all: rows };
  for (const r of rows) (sets[r.source] ??= []).push(r);
  const out = {};
  for (const [name, subset] of Object.entries(sets)) {
    if (name === 'replay-one-subject') continue;
    const m = padMetrics(
      subset.map((r) => ({ image: r.image, label: r.label, score: r.score ?? 0, attackType: r.attackType })),
      threshold,
    );
    const best = oracleAcer(subset);
    out[name] = {
      bonaFide: m.bonaFide,
      attacks: m.attacks,
      auc: round(m.auc),
      eer: round(m.eer),
      acer: round(m.acer),
      apcer: round(m.apcer),
      bpcer: round(m.bpcer),
      // The ACER this set would have had at its own best threshold: how far the fixed one is from it.
      bestAcer: round(best.acer),
      bestThreshold: round(best.threshold),
      noFace: subset.filter((r) => r.score === undefined).length,
    };
  }
  return out;
}

/** The lowest ACER over thresholds placed at (up to 200 quantiles of) the rows' scores, and that threshold. */
export function oracleAcer(rows) {
  const samples = rows.map((r) => ({
    image: r.image,
    label: r.label,
    score: r.score ?? 0,
    attackType: r.attackType,
  }));
  const scores = [...new Set(samples.map((s) => s.score))].sort((a, b) => a - b);
  const step = Math.max(1, Math.floor(scores.length / 200));
  let best = { acer: Number.POSITIVE_INFINITY, threshold: 0.5 };
  for (let i = 0; i < scores.length; i += step) {
    const { acer } = padMetrics(samples, scores[i]);
    if (acer < best.acer) best = { acer, threshold: scores[i] };
  }
  return best;
}

/** The pooled equal-error threshold of `rows` (the protocol's decision threshold, fixed on dev). */
export function eerThreshold(rows) {
  return padMetrics(
    rows.map((r) => ({ image: r.image, label: r.label, score: r.score ?? 0, attackType: r.attackType })),
  ).eerThreshold;
}
