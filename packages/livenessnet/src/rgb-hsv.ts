import * as tf from '@tensorflow/tfjs-core';

/** C++'s FLT_EPSILON, which OpenCV adds to the divisors instead of branching on zero. */
const FLT_EPSILON = 1.1920929e-7;

/**
 * RGB in 0..1, channels last, to HSV in 0..1 the way OpenCV's `cvtColor(COLOR_RGB2HSV)` converts float
 * images (H in degrees there, divided by 360 here; grey gets H = 0, black S = 0; ties go to R, then G).
 */
export function rgbToHsv(rgb: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const [r, g, b] = tf.split(rgb, 3, -1);
    const v = tf.maximum(tf.maximum(r, g), b);
    const diff = tf.sub(v, tf.minimum(tf.minimum(r, g), b));
    const s = tf.div(diff, tf.add(tf.abs(v), FLT_EPSILON));
    const step = tf.div(60 / 360, tf.add(diff, FLT_EPSILON));
    const hue = tf.where(
      tf.equal(v, r),
      tf.mul(tf.sub(g, b), step),
      tf.where(
        tf.equal(v, g),
        tf.add(tf.mul(tf.sub(b, r), step), 120 / 360),
        tf.add(tf.mul(tf.sub(r, g), step), 240 / 360),
      ),
    );
    const h = tf.where(tf.less(hue, 0), tf.add(hue, 1), hue);
    return tf.concat([h, s, v], -1);
  });
}
