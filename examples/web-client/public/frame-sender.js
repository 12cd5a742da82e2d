// What the example pages share to stream a camera to their server: the camera, the WebSocket and
// the frame message both servers parse (8 bytes: the capture time, a little-endian float64 in
// performance.now() milliseconds; then the frame as a JPEG).

/** Widest frame sent, in pixels: a larger video is scaled down (never up) before encoding. */
export const MAX_FRAME_WIDTH = 640;
/** The JPEG quality of a sent frame. */
export const JPEG_QUALITY = 0.85;

/**
 * Opens a camera at about 640x480 with `constraints` added to the video constraints (a
 * `deviceId`, a `facingMode`...), without audio. Rejects as getUserMedia does (no camera, refused).
 */
export function openCamera(constraints = {}) {
  return navigator.mediaDevices.getUserMedia({
    video: { ...constraints, width: { ideal: 640 }, height: { ideal: 480 } },
    audio: false,
  });
}

/** A WebSocket to `path` on this page's server (wss: on an https: page), taking binary messages as ArrayBuffers. */
export function openSocket(path) {
  const url = new URL(path, location.href);
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const socket = new WebSocket(url);
  socket.binaryType = 'arraybuffer';
  return socket;
}

/** Draws the video's current frame into `canvas`, resized to at most `maxWidth` pixels wide. */
export function captureFrame(video, canvas, maxWidth = MAX_FRAME_WIDTH) {
  const scale = Math.min(1, maxWidth / video.videoWidth);
  canvas.width = Math.round(video.videoWidth * scale);
  canvas.height = Math.round(video.videoHeight * scale);
  canvas.getContext('2d').drawImage(video, 0, 0, canvas.width, canvas.height);
}

/** The frame message: `capturedMs` as a little-endian float64, then the JPEG's bytes. */
export function encodeFrame(capturedMs, jpeg) {
  const message = new Uint8Array(8 + jpeg.length);
  new DataView(message.buffer).setFloat64(0, capturedMs, true);
  message.set(jpeg, 8);
  return message;
}

/**
 * Captures the video's current frame into `canvas` (which keeps it, at most `maxWidth` wide),
 * encodes it as a JPEG and sends it over `socket` as one frame message, stamped with the time of
 * capture. The video must have a frame (`videoWidth > 0`). Nothing is sent if the socket is no
 * longer open once the JPEG is ready.
 */
export function sendFrame(
  video,
  canvas,
  socket,
  { maxWidth = MAX_FRAME_WIDTH, quality = JPEG_QUALITY } = {},
) {
  captureFrame(video, canvas, maxWidth);
  const capturedMs = performance.now();
  canvas.toBlob(
    async (blob) => {
      if (!blob || socket.readyState !== WebSocket.OPEN) return;
      socket.send(encodeFrame(capturedMs, new Uint8Array(await blob.arrayBuffer())));
    },
    'image/jpeg',
    quality,
  );
}
