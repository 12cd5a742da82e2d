/**
 * Presentation-attack-detection metrics of ISO/IEC 30107-3 from per-image scores (score = P(live)).
 * A sample is accepted as bona fide when `score >= threshold`.
 */

/** One scored image. */
export interface ScoredSample {
  image: string;
  /** `real` (bona fide) or `fake` (attack). */
  label: string;
  /** P(live). */
  score: number;
  /** Attack instrument species for `fake` samples; see {@link attackTypeOf}. */
  attackType?: string;
}

/** The metrics at one threshold plus the threshold-free ones. */
export interface PadMetrics {
  threshold: number;
  bonaFide: number;
  attacks: number;
  /** APCER of each attack type: the share of its attacks accepted as bona fide. */
  apcerPerType: Record<string, number>;
  /** The worst (highest) per-type APCER, as ISO/IEC 30107-3 reports it, and its type. */
  apcer: number;
  worstAttackType: string;
  /** BPCER: the share of bona fide samples rejected. */
  bpcer: number;
  /** ACER = (worst APCER + BPCER) / 2. */
  acer: number;
  /** Equal error rate over all attacks pooled: (APCER + BPCER) / 2 at the score where they are closest. */
  eer: number;
  eerThreshold: number;
  /** Area under the ROC curve: P(a random bona fide sample scores above a random attack), ties half. */
  auc: number;
}

// Longest first: 'printed_photo' must win over 'print' and 'photo'.
const ATTACK_KEYWORDS = [
  'ipad_video',
  'iphone_video',
  'printed_photo',
  'replay',
  'print',
  'photo',
  'video',
  'mask',
  'screen',
  'paper',
];

/**
 * The attack type of a `fake` image from its path relative to the dataset root: `name` mode finds a
 * known keyword in the folders or file name (MSU-MFSD names hold `ipad_video`, `iphone_video` or
 * `printed_photo`), else `attack`; `subfolder` mode uses the first folder under `fake/`.
 */
export function attackTypeOf(relativePath: string, mode: 'name' | 'subfolder' = 'name'): string {
  const parts = relativePath.split(/[\\/]/);
  if (mode === 'subfolder') return parts.length > 2 ? parts[1] : 'attack';
  const lower = parts.slice(1).join('/').toLowerCase();
  return ATTACK_KEYWORDS.find((keyword) => lower.includes(keyword)) ?? 'attack';
}

function rate(values: number[], predicate: (v: number) => boolean): number {
  return values.length ? values.filter(predicate).length / values.length : 0;
}

/** AUC by the rank-sum (Mann-Whitney) statistic. */
function areaUnderCurve(positive: number[], negative: number[]): number {
  const all = [...positive.map((v) => [v, 1]), ...negative.map((v) => [v, 0])].sort((a, b) => a[0] - b[0]);
  let rankSum = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j < all.length && all[j][0] === all[i][0]) j++;
    const rank = (i + j + 1) / 2;
    for (let k = i; k < j; k++) if (all[k][1] === 1) rankSum += rank;
    i = j;
  }
  return (rankSum - (positive.length * (positive.length + 1)) / 2) / (positive.length * negative.length);
}

/** The points of the ROC curve: APCER (x) against 1 - BPCER (y), one per distinct score. */
export function rocCurve(
  samples: readonly ScoredSample[],
): { apcer: number; tpr: number; threshold: number }[] {
  const positive = samples.filter((s) => s.label === 'real').map((s) => s.score);
  const negative = samples.filter((s) => s.label !== 'real').map((s) => s.score);
  const thresholds = [...new Set([...positive, ...negative])].sort((a, b) => b - a);
  return [
    { apcer: 0, tpr: 0, threshold: Number.POSITIVE_INFINITY },
    ...thresholds.map((t) => ({
      apcer: rate(negative, (v) => v >= t),
      tpr: rate(positive, (v) => v >= t),
      threshold: t,
    })),
  ];
}

/** Computes the metrics; both classes must be present. */
export function padMetrics(samples: readonly ScoredSample[], threshold = 0.5): PadMetrics {
  const positive = samples.filter((s) => s.label === 'real').map((s) => s.score);
  const attacks = samples.filter((s) => s.label !== 'real');
  const negative = attacks.map((s) => s.score);
  if (!positive.length || !negative.length) {
    throw new Error('PAD metrics need both bona fide (real) and attack (fake) samples');
  }
  const byType = new Map<string, number[]>();
  for (const s of attacks) {
    const type = s.attackType ?? 'attack';
    byType.set(type, [...(byType.get(type) ?? []), s.score]);
  }
  const apcerPerType = Object.fromEntries(
    [...byType.entries()].sort().map(([type, scores]) => [type, rate(scores, (v) => v >= threshold)]),
  );
  const [worstAttackType, apcer] = Object.entries(apcerPerType).reduce((a, b) => (b[1] > a[1] ? b : a));
  const bpcer = rate(positive, (v) => v < threshold);
  let best = { gap: 2, eer: 0, threshold: 0 };
  for (const t of [...new Set([...positive, ...negative])].sort((a, b) => a - b)) {
    const a = rate(negative, (v) => v >= t);
    const b = rate(positive, (v) => v < t);
    if (Math.abs(a - b) < best.gap) best = { gap: Math.abs(a - b), eer: (a + b) / 2, threshold: t };
  }
  return {
    threshold,
    bonaFide: positive.length,
    attacks: negative.length,
    apcerPerType,
    apcer,
    worstAttackType,
    bpcer,
    acer: (apcer + bpcer) / 2,
    eer: best.eer,
    eerThreshold: best.threshold,
    auc: areaUnderCurve(positive, negative),
  };
}

/** A human-readable summary, percentages with two decimals. */
export function formatPadMetrics(m: PadMetrics): string {
  const pct = (v: number) => `${(v * 100).toFixed(2)}%`;
  const perType = Object.entries(m.apcerPerType)
    .map(([type, v]) => `${type}=${pct(v)}`)
    .join(' ');
  return (
    `ISO/IEC 30107-3 at threshold ${m.threshold} on P(live): ${m.bonaFide} bona fide, ${m.attacks} attacks\n` +
    `APCER (worst: ${m.worstAttackType}) ${pct(m.apcer)}   per attack type: ${perType}\n` +
    `BPCER ${pct(m.bpcer)}   ACER ${pct(m.acer)}\n` +
    `EER ${pct(m.eer)} (at score ${m.eerThreshold.toFixed(4)})   AUC ${m.auc.toFixed(4)}\n`
  );
}
