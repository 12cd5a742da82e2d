import { type Box, iou } from '@face-liveness/core';

function centreDistance(a: Box, b: Box): number {
  return Math.hypot((a[0] + a[2] - b[0] - b[2]) / 2, (a[1] + a[3] - b[1] - b[3]) / 2);
}

/** Options of {@link FaceTracker}. */
export interface TrackerOptions {
  /** Minimum IoU for a detection to continue a track. Default 0.3. */
  minIou?: number;
  /**
   * A detection whose centre lies within this fraction of the track box's size from the track's
   * centre continues it even with a low IoU (fast motion, a box that changed scale). Default 0.5.
   */
  maxCentreShift?: number;
  /** A track not seen for longer than this is dropped (its id is never reused). Default 1000 ms. */
  maxAgeMs?: number;
}

/** A face followed across frames. */
export interface Track {
  readonly id: number;
  box: Box;
  /** Timestamp of the last frame the track was matched in. */
  lastSeenMs: number;
  readonly firstSeenMs: number;
}

/**
 * Greedy association of detections to tracks, best pairs first: pairs are ranked by IoU, and pairs
 * with no useful overlap fall back to the centre distance relative to the face size. Ids start at 1
 * and are never reused, so a face that leaves and comes back gets a new track (and new evidence).
 */
export class FaceTracker {
  private readonly minIou: number;
  private readonly maxCentreShift: number;
  private readonly maxAgeMs: number;
  private nextId = 1;
  private live: Track[] = [];

  constructor(options: TrackerOptions = {}) {
    this.minIou = options.minIou ?? 0.3;
    this.maxCentreShift = options.maxCentreShift ?? 0.5;
    this.maxAgeMs = options.maxAgeMs ?? 1000;
  }

  /** The tracks alive now. */
  get tracks(): readonly Track[] {
    return this.live;
  }

  /**
   * Matches `boxes` (one frame's detections) to tracks, creating tracks for unmatched boxes and
   * expiring tracks unseen for longer than `maxAgeMs`. Returns, for each box, its track; and the
   * ids of the tracks that expired now.
   */
  update(boxes: readonly Box[], timestampMs: number): { assigned: Track[]; expired: number[] } {
    const pairs: { t: number; d: number; rank: number }[] = [];
    this.live.forEach((track, t) => {
      const size = Math.max(track.box[2] - track.box[0], track.box[3] - track.box[1], 1);
      boxes.forEach((box, d) => {
        const overlap = iou(track.box, box);
        if (overlap >= this.minIou) pairs.push({ t, d, rank: 1 + overlap });
        else {
          const shift = centreDistance(track.box, box) / size;
          if (shift <= this.maxCentreShift) pairs.push({ t, d, rank: 1 - shift });
        }
      });
    });
    pairs.sort((a, b) => b.rank - a.rank);
    const assigned: (Track | undefined)[] = new Array(boxes.length);
    const usedTracks = new Set<number>();
    for (const { t, d } of pairs) {
      if (usedTracks.has(t) || assigned[d]) continue;
      usedTracks.add(t);
      const track = this.live[t];
      track.box = boxes[d];
      track.lastSeenMs = timestampMs;
      assigned[d] = track;
    }
    boxes.forEach((box, d) => {
      if (assigned[d]) return;
      const track: Track = { id: this.nextId++, box, lastSeenMs: timestampMs, firstSeenMs: timestampMs };
      this.live.push(track);
      assigned[d] = track;
    });
    const expired: number[] = [];
    this.live = this.live.filter((track) => {
      const keep = timestampMs - track.lastSeenMs <= this.maxAgeMs;
      if (!keep) expired.push(track.id);
      return keep;
    });
    return { assigned: assigned as Track[], expired };
  }
}
