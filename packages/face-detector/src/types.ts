export type { DetectedFace, FaceDetectorLike } from '@face-liveness/core';
