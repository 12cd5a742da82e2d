import { importOptional } from '@face-liveness/core';

/** One line of a chart. */
export interface Series {
  label: string;
  color: string;
  points: [number, number][];
  dashed?: boolean;
  /** Draw a dot at each point. */
  markers?: boolean;
  /** Join the points with a line. Default true. */
  line?: boolean;
}

/** A line chart; axis ranges default to the data's. */
export interface LineChart {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  xRange?: [number, number];
  yRange?: [number, number];
  /** Ticks on whole numbers only (epochs). */
  integerX?: boolean;
  width?: number;
  height?: number;
}

/** Round tick step giving about `count` ticks over `span`. */
function tickStep(span: number, count: number): number {
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
}

const FONT = 'DejaVu Sans, Liberation Sans, Arial, sans-serif';

/** @napi-rs/canvas (35 MB of native code), an optional peer dependency loaded only to draw. */
export function loadCanvas(): Promise<typeof import('@napi-rs/canvas')> {
  return importOptional(
    '@napi-rs/canvas',
    'Drawing plots (the training plot, the ROC plot)',
    () => import('@napi-rs/canvas'),
  );
}

/** Renders a line chart (grey panel, white grid, legend top right, like matplotlib's ggplot style) as PNG. */
export async function renderLineChart(chart: LineChart): Promise<Buffer> {
  const { width = 800, height = 560 } = chart;
  const { createCanvas } = await loadCanvas();
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  const all = chart.series.flatMap((s) => s.points);
  const extent = (axis: 0 | 1, given?: [number, number]): [number, number] => {
    if (given) return given;
    const values = all.map((p) => p[axis]).filter(Number.isFinite);
    const lo = Math.min(...values, 0);
    const hi = Math.max(...values, lo + 1e-9);
    return [lo, hi + (hi - lo) * 0.05];
  };
  const [x0, x1] = extent(0, chart.xRange);
  const [y0, y1] = extent(1, chart.yRange);
  const left = 80;
  const right = width - 30;
  const top = 50;
  const bottom = height - 60;
  const px = (x: number) => left + ((x - x0) / (x1 - x0 || 1)) * (right - left);
  const py = (y: number) => bottom - ((y - y0) / (y1 - y0 || 1)) * (bottom - top);

  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = '#e5e5e5';
  ctx.fillRect(left, top, right - left, bottom - top);
  ctx.font = `13px ${FONT}`;
  ctx.lineWidth = 1;
  const xStep = chart.integerX ? Math.max(1, Math.round(tickStep(x1 - x0, 8))) : tickStep(x1 - x0, 8);
  const yStep = tickStep(y1 - y0, 8);
  const decimals = (step: number) => Math.max(0, -Math.floor(Math.log10(step)));
  for (let x = Math.ceil(x0 / xStep) * xStep; x <= x1 + 1e-9; x += xStep) {
    ctx.strokeStyle = '#ffffff';
    ctx.beginPath();
    ctx.moveTo(px(x), top);
    ctx.lineTo(px(x), bottom);
    ctx.stroke();
    ctx.fillStyle = '#444444';
    ctx.textAlign = 'center';
    ctx.fillText(x.toFixed(decimals(xStep)), px(x), bottom + 18);
  }
  for (let y = Math.ceil(y0 / yStep) * yStep; y <= y1 + 1e-9; y += yStep) {
    ctx.strokeStyle = '#ffffff';
    ctx.beginPath();
    ctx.moveTo(left, py(y));
    ctx.lineTo(right, py(y));
    ctx.stroke();
    ctx.fillStyle = '#444444';
    ctx.textAlign = 'right';
    ctx.fillText(y.toFixed(decimals(yStep)), left - 6, py(y) + 4);
  }

  ctx.save();
  ctx.beginPath();
  ctx.rect(left, top, right - left, bottom - top);
  ctx.clip();
  for (const s of chart.series) {
    ctx.strokeStyle = s.color;
    ctx.fillStyle = s.color;
    ctx.lineWidth = 2;
    ctx.setLineDash(s.dashed ? [6, 4] : []);
    if (s.line !== false) {
      ctx.beginPath();
      s.points.forEach(([x, y], i) => {
        if (i === 0) ctx.moveTo(px(x), py(y));
        else ctx.lineTo(px(x), py(y));
      });
      ctx.stroke();
    }
  }
  ctx.restore();
  ctx.setLineDash([]);
  // markers unclipped: an operating point on the panel's edge stays visible
  for (const s of chart.series.filter((s) => s.markers)) {
    ctx.fillStyle = s.color;
    const radius = s.line === false ? 6 : 4;
    for (const [x, y] of s.points) {
      ctx.beginPath();
      ctx.arc(px(x), py(y), radius, 0, 2 * Math.PI);
      ctx.fill();
    }
  }

  ctx.fillStyle = '#000000';
  ctx.textAlign = 'center';
  ctx.font = `bold 16px ${FONT}`;
  ctx.fillText(chart.title, width / 2, 30);
  ctx.font = `14px ${FONT}`;
  ctx.fillText(chart.xLabel, (left + right) / 2, height - 20);
  ctx.save();
  ctx.translate(22, (top + bottom) / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.fillText(chart.yLabel, 0, 0);
  ctx.restore();

  ctx.font = `13px ${FONT}`;
  const legendWidth = Math.max(...chart.series.map((s) => ctx.measureText(s.label).width)) + 46;
  const lx = right - legendWidth - 10;
  ctx.fillStyle = 'rgba(255,255,255,0.85)';
  ctx.fillRect(lx, top + 10, legendWidth, chart.series.length * 20 + 8);
  chart.series.forEach((s, i) => {
    const y = top + 24 + i * 20;
    ctx.strokeStyle = s.color;
    ctx.lineWidth = 2;
    ctx.setLineDash(s.dashed ? [6, 4] : []);
    if (s.line === false) {
      ctx.fillStyle = s.color;
      ctx.beginPath();
      ctx.arc(lx + 21, y, 6, 0, 2 * Math.PI);
      ctx.fill();
    } else {
      ctx.beginPath();
      ctx.moveTo(lx + 8, y);
      ctx.lineTo(lx + 34, y);
      ctx.stroke();
    }
    ctx.setLineDash([]);
    ctx.fillStyle = '#000000';
    ctx.textAlign = 'left';
    ctx.fillText(s.label, lx + 40, y + 4);
  });
  return canvas.encode('png');
}

/** Per-epoch training history, as Keras' `History.history`. */
export interface History {
  loss: number[];
  acc: number[];
  val_loss: number[];
  val_acc: number[];
}

/** The original's plot: "Training Loss and Accuracy on Dataset", x "Epoch #", y "Loss/Accuracy". */
export function renderTrainingPlot(history: History): Promise<Buffer> {
  const epochs = history.loss.map((_, i) => i + 1);
  const line = (label: string, color: string, values: number[]): Series => ({
    label,
    color,
    points: values.map((v, i) => [epochs[i], v]),
    markers: values.length < 30,
  });
  return renderLineChart({
    title: 'Training Loss and Accuracy on Dataset',
    xLabel: 'Epoch #',
    yLabel: 'Loss/Accuracy',
    integerX: true,
    xRange: [epochs.length > 1 ? 1 : 0, Math.max(2, epochs.length)],
    series: [
      line('train_loss', '#e24a33', history.loss),
      line('val_loss', '#348abd', history.val_loss),
      line('train_acc', '#988ed5', history.acc),
      line('val_acc', '#777777', history.val_acc),
    ],
  });
}

/** ROC plot: attacks accepted (APCER) against bona fide accepted (1 - BPCER), with the operating point. */
export function renderRocPlot(
  curve: { apcer: number; tpr: number }[],
  operatingPoint: { apcer: number; bpcer: number; threshold: number },
  auc: number,
): Promise<Buffer> {
  return renderLineChart({
    title: 'ROC: bona fide accepted vs attacks accepted',
    xLabel: 'APCER (attacks accepted as live)',
    yLabel: '1 - BPCER (live faces accepted)',
    xRange: [0, 1],
    yRange: [0, 1.0001],
    series: [
      {
        label: `model (AUC ${auc.toFixed(4)})`,
        color: '#e24a33',
        points: [...curve.map((p) => [p.apcer, p.tpr] as [number, number]), [1, 1]],
      },
      {
        label: 'chance',
        color: '#777777',
        dashed: true,
        points: [
          [0, 0],
          [1, 1],
        ],
      },
      {
        label: `at threshold ${operatingPoint.threshold}`,
        color: '#348abd',
        markers: true,
        line: false,
        points: [[operatingPoint.apcer, 1 - operatingPoint.bpcer]],
      },
    ],
  });
}
