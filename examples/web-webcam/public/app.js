// The page: camera -> JPEG frames over a WebSocket -> results drawn over the live video.
// One frame is in flight at a time: the next is captured when the previous result arrives.
import { openCamera, openSocket, sendFrame as sendVideoFrame } from '/lib/frame-sender.js';

const $ = (id) => document.getElementById(id);
const video = $('video');
const overlay = $('overlay');
const cameraSelect = $('camera');
const startButton = $('start');
const stopButton = $('stop');
const verdictBadge = $('verdict');
const stage = document.querySelector('.stage');

const COLORS = { live: '#22c55e', spoof: '#ef4444', undecided: '#eab308' };
const capture = document.createElement('canvas');
let stream = null;
let socket = null;
let running = false;
let resultTimes = [];

function setStatus(text) {
  $('status').textContent = text;
}

async function listCameras() {
  const devices = await navigator.mediaDevices.enumerateDevices();
  const current = cameraSelect.value;
  const cameras = devices.filter((d) => d.kind === 'videoinput');
  cameraSelect.replaceChildren(
    ...cameras.map(
      (d, i) => new Option(d.label || `Camera ${i + 1}`, d.deviceId, false, d.deviceId === current),
    ),
  );
  if (cameras.length === 0) cameraSelect.replaceChildren(new Option('No camera found', ''));
}

function sendFrame() {
  if (!running || socket?.readyState !== WebSocket.OPEN || video.videoWidth === 0) {
    if (running) requestAnimationFrame(sendFrame);
    return;
  }
  sendVideoFrame(video, capture, socket);
}

function mainFace(faces) {
  const area = (f) => (f.box[2] - f.box[0]) * (f.box[3] - f.box[1]);
  return faces.reduce((best, f) => (!best || area(f) > area(best) ? f : best), null);
}

function draw(result) {
  overlay.width = video.videoWidth;
  overlay.height = video.videoHeight;
  const ctx = overlay.getContext('2d');
  ctx.clearRect(0, 0, overlay.width, overlay.height);
  const s = overlay.width / result.width;
  const line = Math.max(2, overlay.width / 320);
  ctx.font = `600 ${Math.max(14, overlay.width / 40)}px system-ui, sans-serif`;
  for (const face of result.faces) {
    const color = COLORS[face.verdict] ?? '#fff';
    const [x1, y1, x2, y2] = face.box.map((v) => v * s);
    ctx.strokeStyle = color;
    ctx.lineWidth = line;
    ctx.strokeRect(x1, y1, x2 - x1, y2 - y1);
    ctx.fillStyle = 'rgba(255,255,255,0.8)';
    for (let i = 0; i < face.landmarks.length; i += 2) {
      const eye = i >= 72 && i < 96;
      ctx.fillRect(
        face.landmarks[i] * s - line / 2,
        face.landmarks[i + 1] * s - line / 2,
        eye ? line * 1.5 : line,
        eye ? line * 1.5 : line,
      );
    }
    const score = face.score === null ? '' : ` ${face.score.toFixed(2)}`;
    const label = `${face.verdict}${score} · ${face.blinks} blink${face.blinks === 1 ? '' : 's'}`;
    const width = ctx.measureText(label).width + 12;
    const height = parseInt(ctx.font.match(/(\d+)px/)[1], 10) + 10;
    const top = y1 > height ? y1 - height : y2;
    ctx.fillStyle = color;
    ctx.fillRect(x1 - line / 2, top, width, height);
    ctx.fillStyle = '#0b0f14';
    ctx.fillText(label, x1 + 6, top + height - 8);
  }
  const face = mainFace(result.faces);
  verdictBadge.dataset.verdict = face ? face.verdict : '';
  verdictBadge.textContent = face ? face.verdict : '';
  $('blinks').textContent = face ? String(face.blinks) : '0';
  $('score').textContent = face && face.score !== null ? face.score.toFixed(2) : '—';
  $('reason').textContent = face ? face.reason : 'No face in view: come closer, face the light.';
  $('latency').textContent = `${result.elapsedMs} ms`;
  const now = performance.now();
  resultTimes = [...resultTimes.filter((t) => now - t < 2000), now];
  $('fps').textContent =
    resultTimes.length > 1 ? ((resultTimes.length - 1) / ((now - resultTimes[0]) / 1000)).toFixed(1) : '—';
}

function connect() {
  socket = openSocket('ws');
  socket.onopen = () => setStatus('Connected');
  socket.onmessage = (event) => {
    const message = JSON.parse(event.data);
    if (message.type === 'ready') {
      $('policy').textContent = message.policy;
      setStatus('Checking…');
      sendFrame();
    } else if (message.type === 'result') {
      draw(message);
      requestAnimationFrame(sendFrame);
    } else if (message.type === 'error') {
      setStatus(`Frame refused: ${message.message}`);
      requestAnimationFrame(sendFrame);
    }
  };
  socket.onclose = (event) => {
    if (!running) return;
    setStatus(event.code === 1013 ? 'Server busy: try again in a moment' : 'Disconnected from the server');
    stop(false);
  };
}

async function start() {
  startButton.disabled = true;
  setStatus('Opening the camera…');
  try {
    const deviceId = cameraSelect.value;
    stream = await openCamera(deviceId ? { deviceId: { exact: deviceId } } : {});
  } catch (error) {
    setStatus(`No camera: ${error.message}`);
    startButton.disabled = false;
    return;
  }
  video.srcObject = stream;
  await video.play();
  // On narrow screens the stage takes the camera's shape (a portrait phone camera fills it).
  stage.style.setProperty('--camera-aspect', `${video.videoWidth} / ${video.videoHeight}`);
  $('placeholder').hidden = true;
  await listCameras();
  running = true;
  stopButton.disabled = false;
  connect();
}

function stop(updateStatus = true) {
  running = false;
  socket?.close();
  socket = null;
  for (const track of stream?.getTracks() ?? []) track.stop();
  stream = null;
  video.srcObject = null;
  stage.style.removeProperty('--camera-aspect');
  overlay.getContext('2d').clearRect(0, 0, overlay.width, overlay.height);
  verdictBadge.dataset.verdict = '';
  verdictBadge.textContent = '';
  $('placeholder').hidden = false;
  startButton.disabled = false;
  stopButton.disabled = true;
  resultTimes = [];
  if (updateStatus) setStatus('Stopped');
}

startButton.addEventListener('click', start);
stopButton.addEventListener('click', () => stop());
cameraSelect.addEventListener('change', async () => {
  if (!running) return;
  stop(false);
  await start();
});
if (navigator.mediaDevices?.getUserMedia) listCameras().catch(() => {});
else setStatus('This browser cannot open a camera here (use localhost or HTTPS)');
