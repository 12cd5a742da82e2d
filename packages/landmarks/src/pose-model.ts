/**
 * The 14-point anthropometric mean face of Martins and Batista ("Single view head pose estimation",
 * ICIP 2008; glAnthropometric3DModel.cpp of ISR Coimbra, the subset used by
 * github.com/lincolnhard/head-pose-estimation), paired with the 68-point (iBUG 300-W) parts they
 * stand for. The jaw contour is left out on purpose: it is a silhouette, not a point on the head.
 *
 * The published coordinates (x towards the subject's right, y up, z out of the face, about 1 unit
 * per cm) are stored here negated into camera axes of a face looking straight at the camera:
 * x to the image's right, y down, z away from the camera (OpenCV's convention, right-handed).
 */
const PUBLISHED: readonly (readonly [part: number, x: number, y: number, z: number])[] = [
  [17, 6.825897, 6.760612, 4.402142], // right brow, outer end
  [21, 1.330353, 7.122144, 6.903745], // right brow, inner end
  [22, -1.330353, 7.122144, 6.903745], // left brow, inner end
  [26, -6.825897, 6.760612, 4.402142], // left brow, outer end
  [36, 5.311432, 5.485328, 3.987654], // right eye, outer corner
  [39, 1.78993, 5.393625, 4.413414], // right eye, inner corner
  [42, -1.78993, 5.393625, 4.413414], // left eye, inner corner
  [45, -5.311432, 5.485328, 3.987654], // left eye, outer corner
  [31, 2.005628, 1.409845, 6.165652], // nostril, right
  [35, -2.005628, 1.409845, 6.165652], // nostril, left
  [48, 2.774015, -2.080775, 5.048531], // mouth, right corner
  [54, -2.774015, -2.080775, 5.048531], // mouth, left corner
  [57, 0, -3.116408, 6.097667], // lower lip, middle
  [8, 0, -7.415691, 4.070434], // chin
];

/** The 68-point parts the model has, in model order. */
export const POSE_PARTS: readonly number[] = PUBLISHED.map(([part]) => part);

/** The model's points in camera axes of a frontal face, `[x, y, z]` per part of {@link POSE_PARTS}. */
export const MEAN_FACE: readonly (readonly [number, number, number])[] = PUBLISHED.map(
  ([, x, y, z]) => [-x, -y, -z] as const,
);

/** Distance between the outer eye corners of the model, its unit of size. */
export const MODEL_EYE_SPAN = 2 * 5.311432;
