import {
  type Box,
  type Frame,
  inverseRotation,
  type Keypoint,
  type Point,
  type Rotation,
  rotateBox,
  rotateFrame,
  rotatePoint,
} from '@face-liveness/core';
import type { FrameFaces, SessionHost } from './engine-types.js';

/**
 * An engine's per-face stages run on a frame turned by `rotation` (the detectors, dlib's model and
 * the classifiers only know upright faces), taking and giving coordinates of the frame as given:
 * a 90-degree turn keeps boxes axis-aligned, so they map back exactly and the tracker, the
 * annotated video and the caller never see the turn.
 */
export class TurnedStages {
  /** The turned copy of each frame, for as long as the frame lives (detection runs a frame ahead). */
  private readonly turned = new WeakMap<Frame, Frame>();
  private readonly back: Rotation;

  constructor(
    private readonly host: SessionHost,
    readonly rotation: Rotation,
  ) {
    this.back = inverseRotation(rotation);
  }

  async detectFaces(frame: Frame): Promise<FrameFaces> {
    if (this.rotation === 0) return this.host.detectFaces(frame);
    const turned = this.turn(frame);
    const found = await this.host.detectFaces(turned);
    const box = (b: Box) => rotateBox(b, this.back, turned.width, turned.height);
    const point = (p: readonly number[]) => rotatePoint(p, this.back, turned.width, turned.height);
    return {
      faces: found.faces.map((f) => ({ ...f, box: box(f.box), keypoints: f.keypoints?.map(point) })),
      ignored: found.ignored.map((f) => ({ ...f, box: box(f.box) })),
      ms: found.ms,
    };
  }

  async landmarks(frame: Frame, box: Box, keypoints?: readonly Keypoint[]): Promise<Point[] | undefined> {
    if (this.rotation === 0) return this.host.landmarks(frame, box, keypoints);
    const turned = this.turn(frame);
    const { width, height } = frame;
    const points = await this.host.landmarks(
      turned,
      rotateBox(box, this.rotation, width, height),
      keypoints?.map((p) => rotatePoint(p, this.rotation, width, height)),
    );
    return points?.map((p) => rotatePoint(p, this.back, turned.width, turned.height));
  }

  scoreFace(frame: Frame, box: Box): Promise<number> {
    if (this.rotation === 0) return this.host.scoreFace(frame, box);
    return this.host.scoreFace(this.turn(frame), rotateBox(box, this.rotation, frame.width, frame.height));
  }

  private turn(frame: Frame): Frame {
    let turned = this.turned.get(frame);
    if (!turned) {
      turned = rotateFrame(frame, this.rotation);
      this.turned.set(frame, turned);
    }
    return turned;
  }
}
