// The guided active-liveness page: camera -> JPEG frames over the challenge's WebSocket; the
// server's progress messages drive the prompt, the arrow, the live feedback and the step list.
// One frame is in flight at a time: the next is captured when the previous one is answered.
// The preview is mirrored (a selfie view), as the prompts' arrows expect; frames are sent unmirrored.
import { openCamera, openSocket, sendFrame as sendVideoFrame } from '/lib/frame-sender.js';

const $ = (id) => document.getElementById(id);
const video = $('video');
const overlay = $('overlay');
const startButton = $('start');
const stage = document.querySelector('.stage');
const STEP_NAMES = {
  'turn-left': 'Turn left',
  'turn-right': 'Turn right',
  'look-up': 'Look up',
  blink: 'Blink',
  'open-mouth': 'Open mouth',
  'move-closer': 'Move closer',
};
const CLOSE_MESSAGES = {
  4404: 'This challenge is unknown, expired or already used: start a new one.',
  4408: 'No frames came from the camera in time: start again.',
  4429: 'Too many failed attempts: try again later.',
  4503: 'The service is busy: try again in a moment.',
};
const capture = document.createElement('canvas');
const params = new URLSearchParams(location.search);
let stream = null;
let socket = null;
let state = 'idle'; // idle | running | done
let ovalColor = 'rgba(255,255,255,0.9)';
let stepTimeoutMs = 5000;

const setStatus = (text) => {
  $('status').textContent = text;
};

function drawOval() {
  const rect = overlay.getBoundingClientRect();
  overlay.width = Math.round(rect.width * devicePixelRatio);
  overlay.height = Math.round(rect.height * devicePixelRatio);
  const ctx = overlay.getContext('2d');
  const { width: w, height: h } = overlay;
  const ry = h * 0.36;
  const rx = Math.min(ry * 0.75, w * 0.42);
  ctx.clearRect(0, 0, w, h);
  // Everything outside the oval is dimmed: the face belongs inside.
  ctx.fillStyle = 'rgba(8, 12, 18, 0.55)';
  ctx.beginPath();
  ctx.rect(0, 0, w, h);
  ctx.ellipse(w / 2, h * 0.47, rx, ry, 0, 0, Math.PI * 2);
  ctx.fill('evenodd');
  ctx.strokeStyle = ovalColor;
  ctx.lineWidth = Math.max(3, w / 150);
  ctx.setLineDash(state === 'running' ? [] : [12, 10]);
  ctx.beginPath();
  ctx.ellipse(w / 2, h * 0.47, rx, ry, 0, 0, Math.PI * 2);
  ctx.stroke();
}

// The server tells a step's action only once it is asked: until then the list shows "Step N".
const stepName = (s, i) => (s.action ? (STEP_NAMES[s.action] ?? s.action) : `Step ${i + 1}`);

function showSteps(steps) {
  $('steps').replaceChildren(
    ...steps.map((s, i) => {
      const li = document.createElement('li');
      li.dataset.outcome = s.outcome ?? 'not-reached';
      li.dataset.index = String(i);
      li.textContent = stepName(s, i);
      return li;
    }),
  );
}

/** `count` steps not asked yet: what the page knows when the run starts. */
const unaskedSteps = (count) => Array.from({ length: count }, () => ({ outcome: 'not-reached' }));

function showPrompt(text, arrow) {
  $('prompt').textContent = text;
  $('arrow').dataset.direction = arrow ?? '';
}

function showFeedback(items) {
  $('feedback').replaceChildren(
    ...items.map((f) => {
      const li = document.createElement('li');
      li.dataset.code = f.code;
      li.textContent = f.message;
      return li;
    }),
  );
}

function showProgress(p) {
  showSteps(p.steps);
  showFeedback(p.feedback);
  if (p.status === 'waiting-face') {
    showPrompt('Put your face in the oval and look straight at the camera');
  } else if (p.prompt) {
    showPrompt(p.prompt.text, p.prompt.arrow);
  }
  ovalColor = p.feedback.length > 0 ? '#f59e0b' : '#22c55e';
  const left = p.remainingMs ?? 0;
  if (p.status === 'in-progress') stepTimeoutMs = Math.max(stepTimeoutMs, left);
  $('timer-bar').style.width = `${Math.max(0, Math.min(100, (100 * left) / stepTimeoutMs))}%`;
  setStatus(
    p.status === 'waiting-face'
      ? 'Looking for your face…'
      : `Step ${Math.min(p.stepIndex + 1, p.steps.length)} of ${p.steps.length}`,
  );
  drawOval();
}

function showResult(result, token) {
  state = 'done';
  const box = $('result');
  box.hidden = false;
  box.dataset.outcome = result.passed ? 'passed' : 'failed';
  $('result-title').textContent = result.passed ? 'Check passed' : 'Check failed';
  $('result-reasons').replaceChildren(
    ...result.reasons.map((r) => {
      const li = document.createElement('li');
      li.textContent = r.message;
      return li;
    }),
  );
  showSteps(result.steps);
  showPrompt(result.passed ? 'Done — thank you' : 'The check did not pass', undefined);
  showFeedback([]);
  ovalColor = result.passed ? '#22c55e' : '#ef4444';
  setStatus(result.passed ? 'Passed' : 'Failed');
  $('timer').hidden = true;
  $('mark').dataset.outcome = result.passed ? 'passed' : 'failed';
  $('mark').textContent = result.passed ? '✓' : '✗';
  drawOval();
  // The app embedding the page takes the signed result from here and sends it to its backend.
  window.livenessResult = { passed: result.passed, token };
  window.dispatchEvent(new CustomEvent('liveness-result', { detail: { passed: result.passed, token } }));
  window.opener?.postMessage({ type: 'liveness-result', token }, location.origin);
  stopCamera();
  startButton.disabled = params.has('challenge');
  startButton.textContent = 'Start again';
}

function sendFrame() {
  if (state !== 'running' || socket?.readyState !== WebSocket.OPEN) return;
  if (video.videoWidth === 0) {
    requestAnimationFrame(sendFrame);
    return;
  }
  sendVideoFrame(video, capture, socket);
}

async function getChallenge() {
  const id = params.get('challenge');
  if (id) return { id, socket: `/v1/challenges/${encodeURIComponent(id)}/socket` };
  const res = await fetch('/v1/challenges', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  const body = await res.json().catch(() => ({}));
  if (res.status === 401)
    throw new Error('This service creates challenges for apps only: open the link your app gave you.');
  if (!res.ok) throw new Error(body.message ?? `the service answered ${res.status}`);
  return body;
}

function connect(challenge) {
  socket = openSocket(challenge.socket);
  socket.onmessage = (event) => {
    const message = JSON.parse(event.data);
    if (message.type === 'ready') {
      showSteps(unaskedSteps(message.stepCount));
      sendFrame();
    } else if (message.type === 'progress') {
      showProgress(message);
      requestAnimationFrame(sendFrame);
    } else if (message.type === 'result') {
      showResult(message.result, message.token);
    } else if (message.type === 'error') {
      setStatus(message.message);
      requestAnimationFrame(sendFrame);
    }
  };
  socket.onclose = (event) => {
    if (state !== 'running') return;
    state = 'done';
    setStatus(CLOSE_MESSAGES[event.code] ?? 'The connection to the service was lost.');
    showPrompt('', undefined);
    stopCamera();
    startButton.disabled = params.has('challenge');
  };
}

function stopCamera() {
  // The last frame stays on screen (as the poster) rather than a black box.
  if (capture.width > 0) video.poster = capture.toDataURL('image/jpeg', 0.8);
  video.srcObject = null;
  for (const track of stream?.getTracks() ?? []) track.stop();
  stream = null;
  socket?.close();
  socket = null;
}

async function start() {
  startButton.disabled = true;
  $('result').hidden = true;
  $('timer').hidden = false;
  showFeedback([]);
  setStatus('Opening the camera…');
  try {
    stream = await openCamera({ facingMode: 'user' });
  } catch (error) {
    setStatus(`No camera: ${error.message}`);
    startButton.disabled = false;
    return;
  }
  video.srcObject = stream;
  await video.play();
  video.removeAttribute('poster');
  $('mark').dataset.outcome = '';
  $('mark').textContent = '';
  // The stage takes the camera's shape, so that the oval sits where the person sees themselves.
  stage.style.setProperty('--camera-aspect', `${video.videoWidth} / ${video.videoHeight}`);
  stage.style.setProperty('--camera-ratio', String(video.videoWidth / video.videoHeight));
  $('placeholder').hidden = true;
  let challenge;
  try {
    challenge = await getChallenge();
  } catch (error) {
    setStatus(error.message);
    stopCamera();
    startButton.disabled = false;
    return;
  }
  state = 'running';
  ovalColor = 'rgba(255,255,255,0.9)';
  showPrompt('Put your face in the oval and look straight at the camera');
  setStatus('Connecting…');
  drawOval();
  connect(challenge);
}

startButton.addEventListener('click', start);
window.addEventListener('resize', drawOval);
showPrompt('', undefined);
drawOval();
if (!navigator.mediaDevices?.getUserMedia) {
  startButton.disabled = true;
  setStatus('This browser cannot open a camera here (use localhost or HTTPS).');
}
