import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { accessSync, closeSync, constants, existsSync, openSync, readSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join, resolve } from 'node:path';
import { FaceLivenessError, InvalidInputError } from './errors.js';
import type { Frame } from './frame.js';
import { assertFrame } from './frame.js';
import { cameraDevice } from './media.js';
import { checkVideoSize, describeContent, type VideoLimits } from './media-limits.js';

const INSTALL_HINT =
  'install it (Debian/Ubuntu: apt-get install ffmpeg; or npm install @ffmpeg-installer/ffmpeg) or set FFMPEG_PATH to an ffmpeg binary';

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/**
 * The ffmpeg binary to run: `$FFMPEG_PATH`, else `ffmpeg` on the PATH (Debian's build has every
 * codec), else the static binary of the optional `@ffmpeg-installer/ffmpeg` package.
 * @throws FaceLivenessError (`ERR_FFMPEG_NOT_FOUND`) saying how to install one.
 */
export function findFfmpeg(): string {
  const explicit = process.env.FFMPEG_PATH;
  if (explicit) {
    if (isExecutable(explicit)) return resolve(explicit);
    throw new FaceLivenessError(
      'ERR_FFMPEG_NOT_FOUND',
      `FFMPEG_PATH=${explicit} is not an executable file; ${INSTALL_HINT}`,
    );
  }
  const found = onPath('ffmpeg');
  if (found) return found;
  try {
    const installer = createRequire(import.meta.url)('@ffmpeg-installer/ffmpeg') as { path: string };
    if (isExecutable(installer.path)) return installer.path;
  } catch {
    // not installed: fall through to the error
  }
  throw new FaceLivenessError('ERR_FFMPEG_NOT_FOUND', `ffmpeg was not found; ${INSTALL_HINT}`);
}

/** What {@link probeVideo} learns about a video before decoding it. */
export interface VideoInfo {
  /** Width of the decoded frames (after the rotation in the file's display matrix). */
  width: number;
  height: number;
  /** Nominal frame rate. */
  fps: number;
  /** Number of frames when the container records it or it can be estimated from the duration. */
  frameCount?: number;
  durationMs?: number;
  /** Codec name as ffmpeg reports it, e.g. `h264`. */
  codec: string;
}

/** A video file, or a camera: `0`, `1`... or a device path such as `/dev/video0` (read through v4l2). */
export type VideoSource = string | number;

function run(file: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(file, args, { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      done({ code, stdout, stderr });
    });
  });
}

function lastLines(text: string, n = 3): string {
  return text.trim().split('\n').slice(-n).join(' | ');
}

function rotated(width: number, height: number, rotation: number): [number, number] {
  return Math.abs(Math.round(rotation)) % 180 === 90 ? [height, width] : [width, height];
}

function parseRate(rate: string | undefined): number {
  if (!rate) return Number.NaN;
  const [num, den] = rate.split('/').map(Number);
  return den ? num / den : num;
}

/**
 * Containers a video may come in (ffmpeg's demuxer names). ffmpeg also "decodes" text files (its
 * tty demuxer renders them as ANSI art) and single images: neither is a video here.
 */
const VIDEO_CONTAINERS = new Set([
  'mov',
  'mp4',
  'matroska',
  'webm',
  'avi',
  'mpeg',
  'mpegts',
  'mpegvideo',
  'asf',
  'flv',
  'ogg',
  'mxf',
  'h264',
  'hevc',
  'm4v',
  'dv',
  'nut',
  'ivf',
  'rm',
  'yuv4mpegpipe',
]);

function unknownContainer(format: string): string | undefined {
  if (format.split(',').some((name) => VIDEO_CONTAINERS.has(name.trim()))) return undefined;
  const what = format === 'tty' ? 'text' : /_pipe$|^image2/.test(format) ? 'a still image' : format;
  return `ffmpeg reads it as ${what}, not a video container`;
}

async function probeWithFfprobe(ffprobe: string, path: string): Promise<VideoInfo | string> {
  const { code, stdout, stderr } = await run(ffprobe, [
    '-v',
    'error',
    '-select_streams',
    'v:0',
    '-show_streams',
    '-show_format',
    '-of',
    'json',
    path,
  ]);
  if (code !== 0) return lastLines(stderr) || `ffprobe exited with code ${code}`;
  const parsed = JSON.parse(stdout) as {
    streams?: Record<string, unknown>[];
    format?: { duration?: string; format_name?: string };
  };
  const stream = parsed.streams?.[0];
  if (!stream) return 'it has no video stream';
  const foreign = unknownContainer(parsed.format?.format_name ?? '');
  if (foreign) return foreign;
  const sideData = (stream.side_data_list as { rotation?: number }[] | undefined) ?? [];
  const rotation =
    sideData.find((d) => d.rotation !== undefined)?.rotation ??
    Number((stream.tags as Record<string, string> | undefined)?.rotate ?? 0);
  const [width, height] = rotated(Number(stream.width), Number(stream.height), rotation);
  let fps = parseRate(stream.avg_frame_rate as string);
  if (!(fps > 0)) fps = parseRate(stream.r_frame_rate as string);
  const seconds = Number(stream.duration ?? parsed.format?.duration);
  const counted = Number(stream.nb_frames);
  return {
    width,
    height,
    fps,
    codec: String(stream.codec_name),
    durationMs: seconds > 0 ? seconds * 1000 : undefined,
    frameCount: counted > 0 ? counted : seconds > 0 && fps > 0 ? Math.round(seconds * fps) : undefined,
  };
}

// Without ffprobe (e.g. @ffmpeg-installer ships only ffmpeg), `ffmpeg -i` describes the input on stderr.
async function probeWithFfmpeg(ffmpeg: string, path: string): Promise<VideoInfo | string> {
  const { stderr } = await run(ffmpeg, ['-hide_banner', '-nostdin', '-i', path]);
  const stream = /Stream #\S+.*?: Video: (\w+).*?, (\d{2,})x(\d{2,})[\s,[].*/.exec(stderr);
  if (!stream) return lastLines(stderr) || 'ffmpeg found no video stream';
  const foreign = unknownContainer(/Input #0, ([^ ]+), from/.exec(stderr)?.[1] ?? '');
  if (foreign) return foreign;
  const fps = Number(/([\d.]+) fps/.exec(stream[0])?.[1] ?? /([\d.]+) tbr/.exec(stream[0])?.[1]);
  const rotation = Number(/rotation of (-?[\d.]+) degrees/.exec(stderr)?.[1] ?? 0);
  const [width, height] = rotated(Number(stream[2]), Number(stream[3]), rotation);
  const d = /Duration: (\d+):(\d+):([\d.]+)/.exec(stderr);
  const seconds = d ? Number(d[1]) * 3600 + Number(d[2]) * 60 + Number(d[3]) : Number.NaN;
  return {
    width,
    height,
    fps,
    codec: stream[1],
    durationMs: seconds > 0 ? seconds * 1000 : undefined,
    frameCount: seconds > 0 && fps > 0 ? Math.round(seconds * fps) : undefined,
  };
}

function readHead(path: string): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const head = new Uint8Array(64);
    return head.subarray(0, readSync(fd, head, 0, head.length, 0));
  } finally {
    closeSync(fd);
  }
}

function assertVideoFile(path: string): void {
  if (!existsSync(path)) throw new InvalidInputError(`cannot read video ${path}: no such file`);
  if (statSync(path).isDirectory())
    throw new InvalidInputError(`cannot read video ${path}: it is a directory`);
}

/**
 * Reads a video file's size, frame rate and length (ffprobe when it is installed next to ffmpeg
 * or on the PATH, else ffmpeg's own description of the input).
 * A file is a video only when ffmpeg finds a video stream in a known container: text files and
 * still images are refused.
 * @throws InvalidInputError naming the file when it is missing or not a decodable video.
 */
export async function probeVideo(path: string): Promise<VideoInfo> {
  assertVideoFile(path);
  const ffmpeg = findFfmpeg();
  const sibling = join(dirname(ffmpeg), 'ffprobe');
  const ffprobe = isExecutable(sibling) ? sibling : onPath('ffprobe');
  const info = ffprobe ? await probeWithFfprobe(ffprobe, path) : await probeWithFfmpeg(ffmpeg, path);
  if (typeof info === 'string') {
    const content = describeContent(readHead(path));
    const why = content ? `${content}, not a video` : info;
    throw new InvalidInputError(`cannot decode video ${path}: ${why}`);
  }
  if (!(info.width > 0 && info.height > 0)) {
    throw new InvalidInputError(`cannot decode video ${path}: its video stream has no frame size`);
  }
  if (!(info.fps > 0 && Number.isFinite(info.fps))) info.fps = 30;
  return info;
}

/** Options of {@link readVideo}; the limits apply to files and are checked before decoding. */
export interface ReadVideoOptions extends VideoLimits {
  /** Resample to this frame rate (frames dropped or repeated). Default: the source's own frames. */
  fps?: number;
  /** Downscale (keeping the aspect ratio, even height) when the video is wider than this. */
  maxWidth?: number;
  /** Camera capture size, default 640x480 (the original demo's webcam setting). */
  cameraSize?: [width: number, height: number];
  /** Camera capture rate, default 30. */
  cameraFps?: number;
  /** Frames decoded ahead of the consumer (memory: this many frames). Default 3. */
  prefetch?: number;
}

/** One decoded frame with its position in the stream. */
export interface VideoFrame {
  frame: Frame;
  /** 0-based index of the frame in the decoded stream. */
  index: number;
  /** Presentation time, `index * 1000 / fps`. */
  timestampMs: number;
}

/** The decoded stream of {@link readVideo}: frames plus what is known about them up front. */
export interface VideoStream extends AsyncIterable<VideoFrame> {
  readonly width: number;
  readonly height: number;
  readonly fps: number;
  /** Expected number of frames, when known (files only). */
  readonly frameCount?: number;
}

function scaledSize(width: number, height: number, maxWidth?: number): [number, number] {
  if (maxWidth === undefined || width <= maxWidth) return [width, height];
  if (!(Number.isInteger(maxWidth) && maxWidth > 0)) {
    throw new InvalidInputError(`maxWidth must be a positive integer, got ${maxWidth}`);
  }
  return [maxWidth - (maxWidth % 2), Math.max(2, Math.round((height * maxWidth) / width / 2) * 2)];
}

function stopProcess(child: ChildProcess): void {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

/**
 * Decodes a video file or a camera to RGB frames, streamed from an ffmpeg child process: one
 * frame in memory at a time, and ffmpeg is paused while the consumer is busy (pipe backpressure).
 * Breaking out of the loop stops ffmpeg.
 * @throws InvalidInputError naming the source when it is missing, cannot be decoded or breaks a limit.
 */
export async function readVideo(source: VideoSource, options: ReadVideoOptions = {}): Promise<VideoStream> {
  if (options.fps !== undefined && !(options.fps > 0)) {
    throw new InvalidInputError(`fps must be a positive number, got ${options.fps}`);
  }
  const camera = cameraDevice(source);
  const name = camera ?? String(source);
  let input: string[];
  let width: number;
  let height: number;
  let fps: number;
  let frameCount: number | undefined;
  if (camera) {
    if (!existsSync(camera)) {
      throw new InvalidInputError(
        `camera ${camera} not found (is a webcam connected? use -v FILE to read a video file)`,
      );
    }
    const [cw, ch] = options.cameraSize ?? [640, 480];
    fps = options.fps ?? options.cameraFps ?? 30;
    input = [
      '-f',
      'v4l2',
      '-framerate',
      String(options.cameraFps ?? 30),
      '-video_size',
      `${cw}x${ch}`,
      '-i',
      camera,
    ];
    [width, height] = scaledSize(cw, ch, options.maxWidth);
  } else {
    const info = await probeVideo(name);
    checkVideoSize(name, info, options);
    input = ['-i', name];
    [width, height] = scaledSize(info.width, info.height, options.maxWidth);
    fps = options.fps ?? info.fps;
    frameCount =
      options.fps === undefined
        ? info.frameCount
        : info.durationMs && Math.round((info.durationMs / 1000) * options.fps);
  }
  const filters = [`scale=${width}:${height}`];
  // eof_action=pass: a clip shorter than one output frame still gives its frame, not none.
  if (options.fps !== undefined) filters.unshift(`fps=${options.fps}:eof_action=pass`);
  const args = [
    '-hide_banner',
    '-nostdin',
    '-loglevel',
    'error',
    ...input,
    '-map',
    '0:v:0',
    '-vf',
    filters.join(','),
    '-f',
    'rawvideo',
    '-pix_fmt',
    'rgb24',
    'pipe:1',
  ];
  const ffmpeg = findFfmpeg();
  const frameBytes = width * height * 3;
  const prefetch = Math.max(1, options.prefetch ?? 3);

  async function* frames(): AsyncGenerator<VideoFrame> {
    // Own process group: a Ctrl-C in the terminal reaches only us, and we decide how to stop.
    const child = spawn(ffmpeg, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      stderr = (stderr + text).slice(-4000);
    });
    const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
    const spawnError = new Promise<never>((_, fail) => child.on('error', fail));
    spawnError.catch(() => {});
    // Decoded frames wait in a short queue so that ffmpeg decodes the next ones (on another core)
    // while the consumer works; at `prefetch` frames the pipe is paused: memory stays bounded.
    const queue: Uint8Array[] = [];
    let ended = false;
    let failure: Error | undefined;
    let wake: (() => void) | undefined;
    let current = new Uint8Array(frameBytes);
    let filled = 0;
    const stdout = child.stdout;
    stdout.on('data', (chunk: Buffer) => {
      let offset = 0;
      while (offset < chunk.length) {
        const n = Math.min(frameBytes - filled, chunk.length - offset);
        current.set(chunk.subarray(offset, offset + n), filled);
        filled += n;
        offset += n;
        if (filled === frameBytes) {
          queue.push(current);
          current = new Uint8Array(frameBytes);
          filled = 0;
        }
      }
      if (queue.length >= prefetch) stdout.pause();
      wake?.();
    });
    stdout.on('end', () => {
      ended = true;
      wake?.();
    });
    stdout.on('error', (error) => {
      failure = error;
      wake?.();
    });
    // A process that could not start closes its pipes without 'end'.
    child.on('error', (error) => {
      failure = new FaceLivenessError(
        'ERR_FFMPEG_NOT_FOUND',
        `cannot run ${ffmpeg}: ${error.message}; ${INSTALL_HINT}`,
      );
      wake?.();
    });
    let index = 0;
    try {
      for (;;) {
        const data = queue.shift();
        if (data) {
          if (queue.length < prefetch) stdout.resume();
          yield { frame: { data, width, height }, index, timestampMs: (index * 1000) / fps };
          index++;
          continue;
        }
        if (failure) throw failure;
        if (ended) break;
        await new Promise<void>((done) => {
          wake = done;
        });
        wake = undefined;
      }
      const code = await Promise.race([exited, spawnError]);
      if (code !== 0) {
        throw new InvalidInputError(
          `cannot decode video ${name}: ${lastLines(stderr) || `ffmpeg exited with ${code}`}`,
        );
      }
      if (index === 0) throw new InvalidInputError(`cannot decode video ${name}: it has no decodable frames`);
    } finally {
      stopProcess(child);
    }
  }
  return { width, height, fps, frameCount, [Symbol.asyncIterator]: frames };
}

/** Options of {@link writeVideo}. */
export interface WriteVideoOptions {
  width: number;
  height: number;
  /** Frame rate of the output, default 30. */
  fps?: number;
  /** x264 constant rate factor (quality; lower is better), default 20. */
  crf?: number;
  /** x264 preset, default `veryfast`. */
  preset?: string;
}

/**
 * An H.264 (libx264, yuv420p) MP4 being written by an ffmpeg child process. Odd sizes are padded
 * by one pixel (yuv420p needs even ones). `close()` finishes the file; it is valid from then on,
 * however few frames were written (call it from a SIGINT handler for a clean Ctrl-C).
 */
export class VideoWriter {
  readonly path: string;
  readonly width: number;
  readonly height: number;
  readonly fps: number;
  private readonly child: ChildProcess;
  private readonly exited: Promise<void>;
  private stderr = '';
  private failure?: Error;
  private frames = 0;
  private closing?: Promise<void>;

  constructor(path: string, options: WriteVideoOptions) {
    const { width, height, fps = 30, crf = 20, preset = 'veryfast' } = options;
    if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
      throw new InvalidInputError(`video size ${width}x${height} must be positive integers`);
    }
    if (!(fps > 0)) throw new InvalidInputError(`video fps must be a positive number, got ${fps}`);
    if (!existsSync(dirname(resolve(path)))) {
      throw new InvalidInputError(
        `cannot write video ${path}: directory ${dirname(resolve(path))} does not exist`,
      );
    }
    this.path = path;
    this.width = width;
    this.height = height;
    this.fps = fps;
    const args = [
      '-hide_banner',
      '-loglevel',
      'error',
      '-y',
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb24',
      '-s',
      `${width}x${height}`,
      '-r',
      String(fps),
      '-i',
      'pipe:0',
      '-vf',
      'pad=ceil(iw/2)*2:ceil(ih/2)*2',
      '-c:v',
      'libx264',
      '-preset',
      preset,
      '-crf',
      String(crf),
      '-pix_fmt',
      'yuv420p',
      '-movflags',
      '+faststart',
      '-f',
      'mp4',
      path,
    ];
    // Own process group, so that a Ctrl-C does not kill ffmpeg before close() lets it finish the file.
    this.child = spawn(findFfmpeg(), args, { stdio: ['pipe', 'ignore', 'pipe'], detached: true });
    this.child.stderr?.setEncoding('utf8').on('data', (text: string) => {
      this.stderr = (this.stderr + text).slice(-4000);
    });
    this.child.stdin?.on('error', (error) => {
      this.failure ??= error;
    });
    this.exited = new Promise((done) => {
      this.child.on('error', (error) => {
        this.failure ??= error;
        done();
      });
      this.child.on('close', (code) => {
        if (code !== 0) this.failure ??= new Error(`ffmpeg exited with code ${code}`);
        done();
      });
    });
  }

  /** Frames written so far. */
  get frameCount(): number {
    return this.frames;
  }

  private check(): void {
    if (this.failure) {
      throw new InvalidInputError(
        `cannot write video ${this.path}: ${lastLines(this.stderr) || this.failure.message}`,
        { cause: this.failure },
      );
    }
  }

  /** Queues one frame; resolves once ffmpeg can take more (so a fast producer waits for the encoder). */
  async write(frame: Frame): Promise<void> {
    assertFrame(frame);
    if (frame.width !== this.width || frame.height !== this.height) {
      throw new InvalidInputError(
        `frame is ${frame.width}x${frame.height} but the video ${this.path} is ${this.width}x${this.height}`,
      );
    }
    if (this.closing) throw new InvalidInputError(`video ${this.path} is already closed`);
    this.check();
    const stdin = this.child.stdin;
    if (!stdin) return;
    this.frames++;
    if (!stdin.write(frame.data)) {
      await new Promise<void>((done) => {
        const finish = () => {
          stdin.off('drain', finish);
          this.child.off('close', finish);
          done();
        };
        stdin.on('drain', finish);
        this.child.on('close', finish);
      });
    }
    this.check();
  }

  /** Finishes the file (index moved to the front for streaming) and waits for ffmpeg to exit. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.child.stdin?.end();
      await this.exited;
      this.check();
    })();
    return this.closing;
  }
}

/** Opens a {@link VideoWriter} writing an H.264 MP4 to `path` (replacing an existing file). */
export function writeVideo(path: string, options: WriteVideoOptions): VideoWriter {
  return new VideoWriter(path, options);
}
