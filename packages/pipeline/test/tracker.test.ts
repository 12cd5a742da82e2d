import type { Box } from '@face-liveness/core';
import { iou } from '@face-liveness/core';
import { describe, expect, it } from 'vitest';
import { FaceTracker } from '../src/tracker.js';

describe('iou', () => {
  it('is 1 for equal boxes, 0 for disjoint ones, and the overlap ratio otherwise', () => {
    expect(iou([0, 0, 10, 10], [0, 0, 10, 10])).toBe(1);
    expect(iou([0, 0, 10, 10], [10, 0, 20, 10])).toBe(0);
    expect(iou([0, 0, 10, 10], [5, 0, 15, 10])).toBeCloseTo(50 / 150);
  });
});

describe('FaceTracker', () => {
  it('keeps ids of two faces that move and swap order in the detector output', () => {
    const tracker = new FaceTracker();
    const a: Box = [10, 10, 110, 130];
    const b: Box = [300, 20, 400, 140];
    const first = tracker.update([a, b], 0).assigned.map((t) => t.id);
    expect(first).toEqual([1, 2]);
    // Both move 12 px right; the detector lists b first now.
    const moved = tracker.update(
      [
        [312, 20, 412, 140],
        [22, 10, 122, 130],
      ],
      33,
    );
    expect(moved.assigned.map((t) => t.id)).toEqual([2, 1]);
  });

  it('follows a fast move by the centre when the boxes no longer overlap much', () => {
    const tracker = new FaceTracker();
    tracker.update([[100, 100, 160, 160]], 0);
    // 25 px jump of a 60 px face: IoU about 0.2, centre shift about 0.42 of the size.
    const { assigned } = tracker.update([[125, 100, 185, 160]], 33);
    expect(assigned[0].id).toBe(1);
    // A face far away is a new one.
    expect(tracker.update([[400, 100, 460, 160]], 66).assigned[0].id).toBe(2);
  });

  it('expires unseen tracks after maxAgeMs and never reuses an id', () => {
    const tracker = new FaceTracker({ maxAgeMs: 500 });
    tracker.update([[0, 0, 50, 50]], 0);
    expect(tracker.update([], 400).expired).toEqual([]);
    expect(tracker.update([], 600).expired).toEqual([1]);
    expect(tracker.tracks).toHaveLength(0);
    expect(tracker.update([[0, 0, 50, 50]], 700).assigned[0].id).toBe(2);
  });

  it('gives each detection at most one track', () => {
    const tracker = new FaceTracker();
    tracker.update([[0, 0, 100, 100]], 0);
    const { assigned } = tracker.update(
      [
        [5, 0, 105, 100],
        [0, 5, 100, 105],
      ],
      33,
    );
    expect(new Set(assigned.map((t) => t.id)).size).toBe(2);
  });
});
