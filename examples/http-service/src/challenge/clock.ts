/**
 * How far behind the server's clock a frame's own capture time may say it was taken, ms. A
 * camera's frame reaches the server some tens of ms after its capture (more on a slow link); a
 * second covers that, and bounds what a client can hide: a face swap of 10 s cannot be stamped
 * as 0 ms, at most as 1 s shorter than the server saw it.
 */
export const MAX_LAG_MS = 1000;

/** The least a frame's time moves past the previous one's: the challenge's detectors refuse a repeat. */
const MIN_STEP_MS = 1;

/**
 * The time line a challenge is judged on, ms from the first frame's arrival. The server's clock bounds it
 * (step windows, face-lost and the face timeout run on server time, whatever the client claims);
 * the client's capture time is used only within {@link MAX_LAG_MS} behind it, so that hold
 * durations keep the camera's finer timing despite network jitter. Never backwards: a client
 * clock going back (or a frame without a capture time after one with) does not rewind it, and a
 * frozen one moves it on by {@link MIN_STEP_MS} per frame until the server's clock leads again.
 *
 * t = max(previous + MIN_STEP_MS, min(server, max(client, server - MAX_LAG_MS)))
 */
export class FrameClock {
  private firstArrival?: number;
  private firstCapture?: number;
  private last?: number;

  constructor(private readonly maxLagMs = MAX_LAG_MS) {}

  /**
   * The timestamp of a frame that arrived at `now` (server clock, ms), captured at `capturedMs`
   * (the client's clock, any origin; undefined: not sent). Both origins are the first frame's.
   */
  stamp(now: number, capturedMs?: number): number {
    this.firstArrival ??= now;
    const server = Math.max(0, now - this.firstArrival);
    let t = server;
    if (capturedMs !== undefined) {
      this.firstCapture ??= capturedMs;
      const client = capturedMs - this.firstCapture;
      t = Math.min(server, Math.max(client, server - this.maxLagMs));
    }
    this.last = this.last === undefined ? t : Math.max(this.last + MIN_STEP_MS, t);
    return this.last;
  }
}
