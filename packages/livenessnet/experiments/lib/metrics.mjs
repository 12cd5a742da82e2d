// ISO/IEC 30107-3 metrics per dataset for scored rows (see peers.mjs), through the package's padMetrics;
// a frame where no face was found scores 0 (rejected), as ../shared/tools/pad_metrics.py counts it.
import { padMetrics } from '@face-liveness/livenessnet/evaluate';

const DATASETS = { nuaa: 'NUAA', 'msu-mfsd': 'MSU-MFSD' };

/** specs: [{ name, field, threshold, thresholdFrom }] -> { [dataset]: { [name]: metrics } } */
export function summarize(rows, specs) {
  const result = {};
  for (const [source, title] of Object.entries(DATASETS)) {
    const subset = rows.filter((r) => r.source === source);
    if (!subset.length) continue;
    result[title] = {};
    for (const spec of specs) {
      const samples = subset.map((r) => ({
        image: r.image,
        label: r.label,
        score: r[spec.field] ?? 0,
        attackType: r.attackType,
      }));
      const m = padMetrics(samples, spec.threshold);
      result[title][spec.name] = {
        threshold: spec.threshold,
        thresholdFrom: spec.thresholdFrom,
        bonaFide: m.bonaFide,
        attacks: m.attacks,
        auc: round(m.auc),
        eer: round(m.eer),
        apcer: round(m.apcer),
        bpcer: round(m.bpcer),
        acer: round(m.acer),
        apcerPerType: Object.fromEntries(Object.entries(m.apcerPerType).map(([k, v]) => [k, round(v)])),
        noFace: subset.filter((r) => r[spec.field] === undefined).length,
      };
    }
  }
  return result;
}

const round = (v) => Math.round(v * 1e4) / 1e4;
const pct = (v) => `${(v * 100).toFixed(1)}%`;

/** A markdown table: one row per model, AUC / EER / ACER (APCER, BPCER) per dataset. */
export function markdownTable(summary, specs) {
  const sets = Object.keys(summary);
  const head = `| model | threshold | ${sets.map((s) => `${s} AUC | ${s} EER | ${s} ACER (APCER / BPCER)`).join(' | ')} |`;
  const rule = `|---|---|${sets.map(() => '---|---|---|').join('')}`;
  const lines = specs.map((spec) => {
    const cells = sets.map((s) => {
      const m = summary[s][spec.name];
      return `${m.auc.toFixed(3)} | ${pct(m.eer)} | ${pct(m.acer)} (${pct(m.apcer)} / ${pct(m.bpcer)})`;
    });
    return `| ${spec.name} | ${spec.threshold} (${spec.thresholdFrom}) | ${cells.join(' | ')} |`;
  });
  const counts = sets.map((s) => {
    const any = Object.values(summary[s])[0];
    return `${s}: ${any.bonaFide} bona fide, ${any.attacks} attacks`;
  });
  return [head, rule, ...lines, '', counts.join('; ')].join('\n');
}
