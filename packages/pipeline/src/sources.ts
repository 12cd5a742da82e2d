import {
  cameraDevice,
  type Frame,
  isImagePath,
  type ReadImageOptions,
  type ReadVideoOptions,
  readImage,
  readVideo,
  type VideoFrame,
  type VideoSource,
} from '@face-liveness/core';

/** An input the pipeline can open: an image or video path, a camera (`0`, `/dev/video0`), or encoded image bytes. */
export type MediaInput = VideoSource | Uint8Array;

/** Frames of an opened input, with what is known about them up front. */
export interface MediaStream extends AsyncIterable<VideoFrame> {
  /** The input as given (a path, a camera, or `<N-byte image>`). */
  readonly source: string;
  readonly kind: 'image' | 'video' | 'camera';
  readonly width: number;
  readonly height: number;
  readonly fps: number;
  readonly frameCount?: number;
}

/**
 * Options of {@link openMedia}: the video options, and for a still image core's `readImage` limits
 * (`maxPixels` applies to both).
 */
export interface OpenMediaOptions
  extends ReadVideoOptions,
    Pick<ReadImageOptions, 'maxSide' | 'minSide' | 'failOn'> {}

/** True for an input already opened by {@link openMedia}. */
export function isMediaStream(input: MediaInput | MediaStream): input is MediaStream {
  return typeof input === 'object' && !(input instanceof Uint8Array) && Symbol.asyncIterator in input;
}

/**
 * Opens any supported input as a stream of frames: images (path or bytes; JPEG, PNG, WebP,
 * grayscale, RGBA, CMYK...) give one frame, videos and cameras are decoded by ffmpeg as they are read.
 */
export async function openMedia(input: MediaInput, options: OpenMediaOptions = {}): Promise<MediaStream> {
  if (input instanceof Uint8Array || (typeof input === 'string' && isImagePath(input))) {
    const { maxPixels, maxSide, minSide, failOn } = options;
    const frame: Frame = await readImage(input, { maxPixels, maxSide, minSide, failOn });
    return {
      source: input instanceof Uint8Array ? `<${input.length}-byte image>` : input,
      kind: 'image',
      width: frame.width,
      height: frame.height,
      fps: options.fps ?? 30,
      frameCount: 1,
      async *[Symbol.asyncIterator]() {
        yield { frame, index: 0, timestampMs: 0 };
      },
    };
  }
  const video = await readVideo(input, options);
  return {
    source: String(input),
    kind: cameraDevice(input) ? 'camera' : 'video',
    width: video.width,
    height: video.height,
    fps: video.fps,
    frameCount: video.frameCount,
    [Symbol.asyncIterator]: () => video[Symbol.asyncIterator](),
  };
}
