/** Per-class and averaged precision / recall / F1, as scikit-learn's `classification_report`. */
export interface ClassificationReport {
  classes: { name: string; precision: number; recall: number; f1: number; support: number }[];
  accuracy: number;
  macro: { precision: number; recall: number; f1: number };
  weighted: { precision: number; recall: number; f1: number };
  support: number;
}

/** Computes the report from true and predicted class indices (zero when a ratio is 0/0, as sklearn). */
export function classificationReport(
  truth: ArrayLike<number>,
  predicted: ArrayLike<number>,
  classNames: readonly string[],
): ClassificationReport {
  const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
  const classes = classNames.map((name, c) => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let i = 0; i < truth.length; i++) {
      if (predicted[i] === c && truth[i] === c) tp++;
      else if (predicted[i] === c) fp++;
      else if (truth[i] === c) fn++;
    }
    const precision = ratio(tp, tp + fp);
    const recall = ratio(tp, tp + fn);
    return {
      name,
      precision,
      recall,
      f1: ratio(2 * precision * recall, precision + recall),
      support: tp + fn,
    };
  });
  let correct = 0;
  for (let i = 0; i < truth.length; i++) if (truth[i] === predicted[i]) correct++;
  const support = truth.length;
  const average = (weight: (c: (typeof classes)[number]) => number) => {
    const total = classes.reduce((s, c) => s + weight(c), 0);
    const mean = (key: 'precision' | 'recall' | 'f1') =>
      ratio(
        classes.reduce((s, c) => s + c[key] * weight(c), 0),
        total,
      );
    return { precision: mean('precision'), recall: mean('recall'), f1: mean('f1') };
  };
  return {
    classes,
    accuracy: ratio(correct, support),
    macro: average(() => 1),
    weighted: average((c) => c.support),
    support,
  };
}

/** Formats a report exactly as scikit-learn's `classification_report(..., digits)` prints it. */
export function formatClassificationReport(report: ClassificationReport, digits = 6): string {
  const width = Math.max('weighted avg'.length, digits, ...report.classes.map((c) => c.name.length));
  const num = (v: number) => v.toFixed(digits).padStart(9);
  const row = (name: string, p: number, r: number, f: number, support: number) =>
    `${name.padStart(width)}  ${num(p)} ${num(r)} ${num(f)} ${String(support).padStart(9)}\n`;
  let text = `${''.padStart(width)}  ${['precision', 'recall', 'f1-score', 'support'].map((h) => h.padStart(9)).join(' ')}\n\n`;
  for (const c of report.classes) text += row(c.name, c.precision, c.recall, c.f1, c.support);
  text += '\n';
  text += `${'accuracy'.padStart(width)}  ${''.padStart(9)} ${''.padStart(9)} ${num(report.accuracy)} ${String(report.support).padStart(9)}\n`;
  text += row('macro avg', report.macro.precision, report.macro.recall, report.macro.f1, report.support);
  text += row(
    'weighted avg',
    report.weighted.precision,
    report.weighted.recall,
    report.weighted.f1,
    report.support,
  );
  return text;
}
