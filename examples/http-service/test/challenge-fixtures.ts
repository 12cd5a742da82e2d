// Clips, keys and a socket client shared by the challenge tests.
import { execFile } from 'node:child_process';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findFfmpeg } from '@face-liveness/core';
import { sharedPath } from '@face-liveness/core/testing';
import { REAL_VIDEO } from '@face-liveness/example-test-support';
import { exportPKCS8, generateKeyPair } from 'jose';
import { WebSocket } from 'ws';

const run = promisify(execFile);

/**
 * The steps the live clip passes once spliced (see {@link passClip}). Measured on
 * `replay-one-subject/videos/real.mp4` with the pipeline's head pose: 0-1.8 s faces the camera
 * (yaw about 5 degrees), 2.0-5.6 s turns to the person's left (yaw up to +47), 7.4-10.4 s to their
 * right (yaw down to -25).
 */
export const PASS_STEPS = ['turn-left', 'turn-right'] as const;

/** A printed photo of NUAA subject 1: a still face that can do no step. */
export const PHOTO = sharedPath('data/nuaa/fake/0001/0001_00_00_01_0.jpg');

async function ffmpeg(args: string[]): Promise<void> {
  await run(findFfmpeg(), ['-v', 'error', '-y', ...args]);
}

const codecOf = (out: string) =>
  out.endsWith('.y4m')
    ? ['-pix_fmt', 'yuv420p']
    : ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'];

/** Pieces of the live clip (seconds), in the order {@link passClip} plays them. */
const PASS_PIECES: [number, number][] = [
  [0, 1.8],
  [0, 3.0],
  [6.2, 10],
  [16.6, 18.8],
];

/**
 * The live clip cut to a challenge's timing: 0-1.8 s facing the camera, twice (so that a slow
 * server still takes the neutral pose before the first turn), then 0-3.0 s (the turn to the
 * left, held about a second), 6.2-10 s (back near the front, then the turn to the right) and
 * 16.6-18.8 s (facing the camera again, so that a camera looping the clip does not turn left
 * right after the right turn). Uncut, the right turn comes more than 5 s (a step's time) after
 * the left one. A turn still held when a step begins counts neither for nor against it, so the
 * left turn may last past its step; held only 0.2 s, it sometimes missed the 100 ms hold a step
 * needs at 15 fps.
 */
export async function passClip(out: string, fps = 15, filters: string[] = []): Promise<string> {
  const extra = filters.map((f) => `,${f}`).join('');
  const cuts = PASS_PIECES.map(([from, to], i) => `[0:v]trim=${from}:${to},setpts=PTS-STARTPTS[p${i}]`);
  const inputs = PASS_PIECES.map((_, i) => `[p${i}]`).join('');
  await ffmpeg([
    '-i',
    REAL_VIDEO,
    '-filter_complex',
    `${cuts.join(';')};${inputs}concat=n=${PASS_PIECES.length}:v=1,fps=${fps}${extra}[v]`,
    '-map',
    '[v]',
    '-an',
    ...codecOf(out),
    out,
  ]);
  return out;
}

/** The printed photo held still for `seconds`. */
export async function photoClip(out: string, seconds = 8, fps = 15): Promise<string> {
  await ffmpeg(['-loop', '1', '-i', PHOTO, '-t', String(seconds), '-r', String(fps), ...codecOf(out), out]);
  return out;
}

/** A video's frames as JPEGs, in order. */
export async function jpegFrames(video: string, dir: string): Promise<Buffer[]> {
  await mkdir(dir, { recursive: true });
  await ffmpeg(['-i', video, '-q:v', '3', join(dir, 'f%04d.jpg')]);
  const names = (await readdir(dir)).filter((n) => n.endsWith('.jpg')).sort();
  return Promise.all(names.map((n) => readFile(join(dir, n))));
}

/** A fresh ES256 key pair: the private key as PKCS#8 PEM, as `CHALLENGE_SIGNING_KEY` takes it. */
export async function signingKey(): Promise<string> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  return exportPKCS8(privateKey);
}

/** A frame message: 8 bytes of capture time then the JPEG. */
export function frameMessage(jpeg: Buffer, ms: number): Buffer {
  const header = Buffer.alloc(8);
  header.writeDoubleLE(ms);
  return Buffer.concat([header, jpeg]);
}

export interface Message {
  type: string;
  [key: string]: unknown;
}

/** A client of the challenge socket that keeps every message. */
export class ChallengeClient {
  readonly messages: Message[] = [];
  readonly socket: WebSocket;
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly opened: Promise<void>;

  constructor(url: string) {
    this.socket = new WebSocket(url);
    this.socket.on('message', (data) => this.messages.push(JSON.parse(String(data))));
    this.opened = new Promise((resolve, reject) => {
      this.socket.once('open', () => resolve());
      this.socket.once('error', reject);
    });
    this.closed = new Promise((resolve) =>
      this.socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
    );
  }

  /** Resolves with the `count`-th message (1-based), or undefined when the socket closes first. */
  async next(count: number): Promise<Message | undefined> {
    let open = true;
    void this.closed.then(() => {
      open = false;
    });
    while (this.messages.length < count && open) await new Promise((resolve) => setTimeout(resolve, 10));
    return this.messages[count - 1];
  }

  /**
   * Streams `frames` at `fps`, in real time as a camera does (the server judges on its own clock,
   * see src/challenge/clock.ts), each after the answer to the previous (as the page does), until
   * the server sends its result or closes; resolves with that result message.
   */
  async stream(frames: Buffer[], fps = 15): Promise<Message | undefined> {
    const ready = await this.next(1);
    if (ready?.type !== 'ready') return ready;
    const start = performance.now();
    for (let i = 0; i < frames.length; i++) {
      const due = start + (i * 1000) / fps;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      this.socket.send(frameMessage(frames[i], (i * 1000) / fps));
      const answer = await this.next(i + 2);
      if (!answer || answer.type === 'result' || answer.type === 'error') return answer;
      if (answer.type === 'progress' && (answer.status === 'passed' || answer.status === 'failed')) {
        return this.next(i + 3);
      }
    }
    return undefined;
  }
}
