import { InvalidInputError, type Point } from '@face-liveness/core';
import { MEAN_FACE, MODEL_EYE_SPAN, POSE_PARTS } from './pose-model.js';
import { type Camera, type Mat3, mul3, refinePose, weakPerspective } from './pose-solve.js';

/**
 * Head pose in degrees, in the image's terms (the camera looks along +z, x to the right, y down):
 * - `yaw` > 0: the face turns to the image's right (the nose moves right);
 * - `pitch` > 0: the face tilts up (the nose moves towards the image's top);
 * - `roll` > 0: the face leans clockwise as seen in the image.
 *
 * The rotation from a frontal face is `Rz(roll) Ry(-yaw) Rx(-pitch)` (standard right-handed axis
 * rotations, roll applied last), so turning the image by θ clockwise adds θ to roll and mirroring
 * it left to right negates yaw and roll.
 */
export interface HeadPose {
  yaw: number;
  pitch: number;
  roll: number;
}

/** {@link HeadPose} with the fit's quality, so that callers can reject bad fits. */
export interface HeadPoseFit extends HeadPose {
  /** Root mean square distance between the landmarks and the fitted mean face, pixels. */
  reprojectionError: number;
  /**
   * The same over the fitted face's size (the projected distance between its outer eye corners):
   * about 0.03-0.06 on real faces, over ~0.15 when the points are not a face seen by this camera.
   */
  relativeError: number;
}

/** The camera of {@link headPose}. */
export interface PoseCamera {
  /** Image size, pixels: the principal point is its centre. */
  width: number;
  height: number;
  /**
   * Focal length, pixels. Default: the image width, a ~53° horizontal field of view, typical of
   * webcams and phones (the angles change by under a degree between 0.7 and 1.5 times the width
   * for faces near the centre; translation changes in proportion).
   */
  focalLength?: number;
}

const DEG = 180 / Math.PI;

/** Yaw, pitch and roll of a rotation matrix (see {@link HeadPose} for the convention). */
export function eulerFromRotation(r: Mat3): HeadPose {
  const b = Math.asin(Math.max(-1, Math.min(1, -r[6])));
  return {
    yaw: -b * DEG,
    pitch: -Math.atan2(r[7], r[8]) * DEG,
    roll: Math.atan2(r[3], r[0]) * DEG,
  };
}

/** The rotation matrix of a {@link HeadPose}. */
export function rotationFromEuler({ yaw, pitch, roll }: HeadPose): Mat3 {
  const [z, y, x] = [roll / DEG, -yaw / DEG, -pitch / DEG];
  const rz = [Math.cos(z), -Math.sin(z), 0, Math.sin(z), Math.cos(z), 0, 0, 0, 1];
  const ry = [Math.cos(y), 0, Math.sin(y), 0, 1, 0, -Math.sin(y), 0, Math.cos(y)];
  const rx = [1, 0, 0, 0, Math.cos(x), -Math.sin(x), 0, Math.sin(x), Math.cos(x)];
  return mul3(rz, mul3(ry, rx));
}

/**
 * The head pose of a face from its 68 landmarks: the mean face of `pose-model.ts` fitted to 14 of
 * them (brows, eye corners, nostrils, mouth, chin) by a perspective-n-point solve: a scaled
 * orthographic start, then Levenberg-Marquardt on the reprojection error with a pinhole camera
 * (see {@link PoseCamera}).
 * @throws InvalidInputError when the points are not 68 finite points or the fit is degenerate.
 */
export function headPose(points: readonly Point[], camera: PoseCamera): HeadPoseFit {
  if (points.length !== 68 || !points.every((p) => Number.isFinite(p[0]) && Number.isFinite(p[1]))) {
    throw new InvalidInputError(`head pose needs 68 finite landmarks; got ${points.length} points`);
  }
  const { width, height } = camera;
  const focal = camera.focalLength ?? width;
  if (!(width > 0 && height > 0 && focal > 0)) {
    throw new InvalidInputError(
      `head pose needs a positive image size and focal length, got ${width}x${height}, f ${focal}`,
    );
  }
  const cam: Camera = { focal, cx: width / 2, cy: height / 2 };
  const image = POSE_PARTS.map((p) => points[p]);
  const start = weakPerspective(MEAN_FACE, image, cam);
  if (!start)
    throw new InvalidInputError('head pose: the landmarks are degenerate (all on a line or a point)');
  const { pose, sse } = refinePose(start, MEAN_FACE, image, cam);
  const reprojectionError = Math.sqrt(sse / image.length);
  const size = (focal * MODEL_EYE_SPAN) / pose.translation[2];
  return { ...eulerFromRotation(pose.rotation), reprojectionError, relativeError: reprojectionError / size };
}
