/** 3x3 matrices are row-major `number[9]`; vectors `[x, y, z]`. */
export type Mat3 = number[];
export type Vec3 = [number, number, number];

/** A pinhole camera without distortion: focal length and principal point, pixels. */
export interface Camera {
  focal: number;
  cx: number;
  cy: number;
}

/** A rigid pose: camera point = rotation x model point + translation. */
export interface RigidPose {
  rotation: Mat3;
  translation: Vec3;
}

export const mul3 = (a: Mat3, b: Mat3): Mat3 => {
  const out = new Array<number>(9);
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++)
      out[3 * i + j] = a[3 * i] * b[j] + a[3 * i + 1] * b[3 + j] + a[3 * i + 2] * b[6 + j];
  }
  return out;
};

const apply = (r: Mat3, p: readonly number[], t: readonly number[]): Vec3 => [
  r[0] * p[0] + r[1] * p[1] + r[2] * p[2] + t[0],
  r[3] * p[0] + r[4] * p[1] + r[5] * p[2] + t[1],
  r[6] * p[0] + r[7] * p[1] + r[8] * p[2] + t[2],
];

const cross = (a: readonly number[], b: readonly number[]): Vec3 => [
  a[1] * b[2] - a[2] * b[1],
  a[2] * b[0] - a[0] * b[2],
  a[0] * b[1] - a[1] * b[0],
];

const norm = (a: readonly number[]) => Math.hypot(...a);
const scaled = (a: readonly number[], s: number) => a.map((v) => v * s) as Vec3;

/** The rotation by angle |w| about w (Rodrigues). */
export function rodrigues(w: readonly number[]): Mat3 {
  const angle = norm(w);
  if (angle < 1e-12) return [1, -w[2], w[1], w[2], 1, -w[0], -w[1], w[0], 1];
  const [x, y, z] = scaled(w, 1 / angle);
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  const k = 1 - c;
  return [
    c + x * x * k,
    x * y * k - z * s,
    x * z * k + y * s,
    y * x * k + z * s,
    c + y * y * k,
    y * z * k - x * s,
    z * x * k - y * s,
    z * y * k + x * s,
    c + z * z * k,
  ];
}

/** Solves the small dense system a x = b (Gaussian elimination, partial pivoting); undefined when singular. */
export function solveLinear(a: number[][], b: number[]): number[] | undefined {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) pivot = r;
    if (Math.abs(m[pivot][col]) < 1e-12) return undefined;
    [m[col], m[pivot]] = [m[pivot], m[col]];
    for (let r = col + 1; r < n; r++) {
      const f = m[r][col] / m[col][col];
      for (let c = col; c <= n; c++) m[r][c] -= f * m[col][c];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r][n];
    for (let c = r + 1; c < n; c++) s -= m[r][c] * x[c];
    x[r] = s / m[r][r];
  }
  return x;
}

/** Sum of squared reprojection errors, or Infinity when a point falls behind the camera. */
function cost(
  pose: RigidPose,
  model: readonly (readonly number[])[],
  image: readonly (readonly number[])[],
  cam: Camera,
): number {
  let sum = 0;
  for (let i = 0; i < model.length; i++) {
    const [x, y, z] = apply(pose.rotation, model[i], pose.translation);
    if (!(z > 0)) return Number.POSITIVE_INFINITY;
    sum +=
      (cam.focal * (x / z) + cam.cx - image[i][0]) ** 2 + (cam.focal * (y / z) + cam.cy - image[i][1]) ** 2;
  }
  return sum;
}

/**
 * Scaled orthographic start: the least-squares affine camera of the centred points, its two rows
 * made orthonormal symmetrically, depth from the scale. Close enough for Levenberg-Marquardt to
 * converge on faces; it has no mirror ambiguity because the model is not flat.
 */
export function weakPerspective(
  model: readonly (readonly number[])[],
  image: readonly (readonly number[])[],
  cam: Camera,
): RigidPose | undefined {
  const n = model.length;
  const pm = [0, 1, 2].map((k) => model.reduce((s, p) => s + p[k], 0) / n);
  const im = [0, 1].map((k) => image.reduce((s, p) => s + p[k], 0) / n);
  const ppt = [0, 1, 2].map(() => [0, 0, 0]);
  const upt = [0, 1].map(() => [0, 0, 0]);
  for (let i = 0; i < n; i++) {
    const p = [0, 1, 2].map((k) => model[i][k] - pm[k]);
    const u = [0, 1].map((k) => image[i][k] - im[k]);
    for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) ppt[r][c] += p[r] * p[c];
    for (let r = 0; r < 2; r++) for (let c = 0; c < 3; c++) upt[r][c] += u[r] * p[c];
  }
  // M = upt * ppt^-1, i.e. each row solves ppt m = upt_row (ppt is symmetric).
  const a = solveLinear(ppt, upt[0]);
  const b = solveLinear(ppt, upt[1]);
  if (!a || !b || !(norm(a) > 0) || !(norm(b) > 0)) return undefined;
  const s = (norm(a) + norm(b)) / 2;
  const an = scaled(a, 1 / norm(a));
  const bn = scaled(b, 1 / norm(b));
  const e1 = an.map((v, k) => v + bn[k]);
  const e2 = an.map((v, k) => v - bn[k]);
  if (!(norm(e1) > 0) || !(norm(e2) > 0)) return undefined;
  const f1 = scaled(e1, 1 / norm(e1));
  const f2 = scaled(e2, 1 / norm(e2));
  const r1 = scaled(
    f1.map((v, k) => v + f2[k]),
    Math.SQRT1_2,
  );
  const r2 = scaled(
    f1.map((v, k) => v - f2[k]),
    Math.SQRT1_2,
  );
  const rotation = [...r1, ...r2, ...cross(r1, r2)];
  const depth = cam.focal / s;
  const centre = apply(rotation, pm, [0, 0, 0]);
  const translation: Vec3 = [
    ((im[0] - cam.cx) * depth) / cam.focal - centre[0],
    ((im[1] - cam.cy) * depth) / cam.focal - centre[1],
    depth - centre[2],
  ];
  return { rotation, translation };
}

/**
 * Levenberg-Marquardt on the reprojection error over rotation (a small rotation applied on the
 * left, so no Euler singularity) and translation; returns the refined pose and its sum of squares.
 */
export function refinePose(
  start: RigidPose,
  model: readonly (readonly number[])[],
  image: readonly (readonly number[])[],
  cam: Camera,
  iterations = 50,
): { pose: RigidPose; sse: number } {
  let pose = start;
  let sse = cost(pose, model, image, cam);
  let lambda = 1e-3;
  for (let it = 0; it < iterations && Number.isFinite(sse); it++) {
    const jtj = [0, 1, 2, 3, 4, 5].map(() => [0, 0, 0, 0, 0, 0]);
    const jtr = [0, 0, 0, 0, 0, 0];
    for (let i = 0; i < model.length; i++) {
      const q = apply(pose.rotation, model[i], [0, 0, 0]);
      const [x, y, z] = q.map((v, k) => v + pose.translation[k]);
      const res = [cam.focal * (x / z) + cam.cx - image[i][0], cam.focal * (y / z) + cam.cy - image[i][1]];
      const du = [cam.focal / z, 0, (-cam.focal * x) / (z * z)];
      const dv = [0, cam.focal / z, (-cam.focal * y) / (z * z)];
      // d(camera point)/d(w) = -[q]x for a left rotation exp(w); d/dt = identity.
      for (const [d, r] of [
        [du, res[0]],
        [dv, res[1]],
      ] as const) {
        const row = [...cross(q, d), d[0], d[1], d[2]];
        for (let a = 0; a < 6; a++) {
          jtr[a] += row[a] * r;
          for (let b = 0; b < 6; b++) jtj[a][b] += row[a] * row[b];
        }
      }
    }
    let improved = false;
    while (lambda < 1e10) {
      const damped = jtj.map((row, a) => row.map((v, b) => (a === b ? v * (1 + lambda) + 1e-12 : v)));
      const step = solveLinear(
        damped,
        jtr.map((v) => -v),
      );
      if (!step) break;
      const next: RigidPose = {
        rotation: mul3(rodrigues(step.slice(0, 3)), pose.rotation),
        translation: pose.translation.map((v, k) => v + step[3 + k]) as Vec3,
      };
      const nextSse = cost(next, model, image, cam);
      if (nextSse < sse) {
        const gain = sse - nextSse;
        [pose, sse, lambda, improved] = [next, nextSse, Math.max(lambda / 10, 1e-9), true];
        if (gain < 1e-10 * (1 + sse) || norm(step) < 1e-10) return { pose, sse };
        break;
      }
      lambda *= 10;
    }
    if (!improved) break;
  }
  return { pose, sse };
}
