// What a correct program does with a case, and how each observed outcome is classified.
// 'unclear error': refused, but for another reason than the true one (an image over the pixel
// limit called undecodable): reported and saved, but it does not fail the run.
export const OUTCOMES = ['ok', 'clear error', 'unclear error', 'crash', 'hang', 'wrong'];

// Internal errors leaking to the user: a stack, a JavaScript error class, an undefined property.
const INTERNAL =
  /\n\s+at \S|^\s+at \S|\bTypeError\b|\bReferenceError\b|Cannot read propert|is not a function|is not iterable|undefined is not|Maximum call stack|\[object Object\]|Aborted \(core dumped\)|Segmentation fault|FATAL ERROR|node:internal/m;

export function internalText(text) {
  const m = INTERNAL.exec(text ?? '');
  return m ? m[0].trim() : undefined;
}

const finite = (x) => typeof x === 'number' && Number.isFinite(x);
const probability = (x) => finite(x) && x >= 0 && x <= 1;
const VERDICTS = new Set(['live', 'spoof', 'undecided']);

/** What is wrong with a successful CLI record, or undefined when it is a valid result. */
export function badCliRecord(command, record) {
  if (command === 'detect') {
    if (!(record.width > 0 && record.height > 0)) return `size ${record.width}x${record.height}`;
    if (!Array.isArray(record.faces)) return 'no faces array';
    for (const f of record.faces) {
      if (!probability(f.score)) return `face score ${f.score}`;
      if (!Array.isArray(f.box) || f.box.length !== 4 || !f.box.every(finite))
        return `face box ${JSON.stringify(f.box)}`;
    }
  } else if (command === 'classify') {
    if (!probability(record.score)) return `score ${record.score}`;
  } else if (command === 'analyze') {
    if (!VERDICTS.has(record.verdict)) return `verdict ${record.verdict}`;
    for (const t of record.tracks ?? []) {
      if (!VERDICTS.has(t.verdict)) return `track verdict ${t.verdict}`;
      for (const key of ['score', 'minScore', 'maxScore']) {
        if (t[key] !== undefined && t[key] !== null && !probability(t[key])) return `track ${key} ${t[key]}`;
        if (t[key] === null && t.classifiedFrames > 0)
          return `track ${key} null after ${t.classifiedFrames} classified frames`;
      }
    }
    if (!(record.width > 0 && record.height > 0)) return `size ${record.width}x${record.height}`;
  }
  return undefined;
}

/** What is wrong with a 200 answer of the service, or undefined. */
export function badServiceBody(body) {
  if (!body || typeof body !== 'object') return 'not JSON';
  if (!VERDICTS.has(body.verdict)) return `verdict ${body.verdict}`;
  if (!Array.isArray(body.faces)) return 'no faces array';
  for (const f of body.faces) {
    if (!VERDICTS.has(f.verdict)) return `face verdict ${f.verdict}`;
    if (f.score !== undefined && f.score !== null && !probability(f.score)) return `face score ${f.score}`;
  }
  return undefined;
}

/** An outcome for an accepted input (a valid-looking result). */
export function judgeAccepted(c, problem) {
  if (problem) return { outcome: 'wrong', detail: `invalid result: ${problem}` };
  if (c.expect === 'refuse')
    return { outcome: 'wrong', detail: `a verdict for input that must be refused (${c.mutation})` };
  return { outcome: 'ok' };
}

/** An outcome for a refused input, given the message the user sees. */
export function judgeRefused(c, message, { names = [], forbidPaths = false, limit } = {}) {
  const internal = internalText(message);
  if (internal)
    return { outcome: 'crash', detail: `internal error shown: ${internal} | ${message.slice(0, 300)}` };
  if (!message || !message.trim()) return { outcome: 'crash', detail: 'refused without a message' };
  if (forbidPaths && /\/(tmp|work|home|usr|root|var)\/|node_modules|\.js:\d+/.test(message))
    return { outcome: 'crash', detail: `message leaks a path: ${message.slice(0, 300)}` };
  if (names.length > 0 && !names.some((n) => message.includes(n)))
    return {
      outcome: 'crash',
      detail: `message names neither the file nor the limit: ${message.slice(0, 300)}`,
    };
  if (c.expect === 'accept')
    return { outcome: 'wrong', detail: `valid input refused: ${message.slice(0, 300)}` };
  if (c.limit && limit && !limit.test(message))
    return {
      outcome: 'unclear error',
      detail: `over the pixel limit, but the message does not say so: ${message.slice(0, 300)}`,
    };
  return { outcome: 'clear error', detail: message.slice(0, 300) };
}
