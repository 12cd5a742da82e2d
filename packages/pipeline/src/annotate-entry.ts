// The drawing entry (`@face-liveness/pipeline/annotate`): needs the optional @napi-rs/canvas.
export type { AnnotatorOptions } from './annotate.js';
export { Annotator, faceLabel, pickFontFamily } from './annotate.js';
