import { ModelFormatError } from '@face-liveness/core';

/** A scalar of protobuf text format: strings stay strings, enum identifiers become {@link TextEnum}. */
export type TextScalar = string | number | boolean | TextEnum;

/** An unquoted identifier such as `DT_FLOAT` or `MAX` (an enum value). */
export class TextEnum {
  constructor(readonly name: string) {}
  toString(): string {
    return this.name;
  }
}

/** A parsed message: every field name maps to the list of its values, in file order. */
export interface TextMessage {
  [field: string]: (TextScalar | TextMessage)[];
}

/**
 * Parses protobuf text format (`.pbtxt`, Caffe `.prototxt`) without a schema. protobufjs reads
 * only `.proto` and binary, so this small reader fills the gap; callers interpret field names.
 */
export function parseTextFormat(text: string, what = 'text proto'): TextMessage {
  const tokens = tokenize(text, what);
  let pos = 0;
  const fail = (message: string): never => {
    const line = pos < tokens.length ? tokens[pos].line : (tokens.at(-1)?.line ?? 1);
    throw new ModelFormatError(`${what}: ${message} at line ${line}`);
  };
  const parseMessage = (closing: string | null): TextMessage => {
    const message: TextMessage = {};
    for (;;) {
      const token = tokens[pos];
      if (token === undefined) {
        if (closing !== null) fail(`missing '${closing}'`);
        return message;
      }
      if (closing !== null && token.value === closing && token.kind === 'punct') {
        pos++;
        return message;
      }
      if (token.kind !== 'word') fail(`expected a field name, found '${token.value}'`);
      const field = token.value;
      pos++;
      let next = tokens[pos];
      if (next?.kind === 'punct' && next.value === ':') {
        pos++;
        next = tokens[pos];
      }
      if (next === undefined) fail(`field '${field}' has no value`);
      let value: TextScalar | TextMessage | (TextScalar | TextMessage)[];
      if (next.kind === 'punct' && (next.value === '{' || next.value === '<')) {
        pos++;
        value = parseMessage(next.value === '{' ? '}' : '>');
      } else if (next.kind === 'punct' && next.value === '[') {
        pos++;
        const list: (TextScalar | TextMessage)[] = [];
        while (!(tokens[pos]?.kind === 'punct' && tokens[pos].value === ']')) {
          const item = tokens[pos];
          if (item === undefined) fail(`missing ']' after field '${field}'`);
          if (item.kind === 'punct' && item.value === '{') {
            pos++;
            list.push(parseMessage('}'));
          } else {
            list.push(scalar(item, fail));
            pos++;
          }
          if (tokens[pos]?.kind === 'punct' && tokens[pos].value === ',') pos++;
        }
        pos++;
        value = list;
      } else {
        value = scalar(next, fail);
        pos++;
      }
      if (!Object.hasOwn(message, field)) message[field] = [];
      if (Array.isArray(value)) message[field].push(...value);
      else message[field].push(value);
      if (tokens[pos]?.kind === 'punct' && (tokens[pos].value === ',' || tokens[pos].value === ';')) pos++;
    }
  };
  return parseMessage(null);
}

interface Token {
  kind: 'word' | 'string' | 'number' | 'punct';
  value: string;
  line: number;
}

function scalar(token: Token, fail: (message: string) => never): TextScalar {
  if (token.kind === 'string') return token.value;
  if (token.kind === 'number') return Number(token.value);
  if (token.kind === 'word') {
    if (token.value === 'true' || token.value === 'True') return true;
    if (token.value === 'false' || token.value === 'False') return false;
    const lower = token.value.toLowerCase();
    if (lower === 'inf' || lower === 'infinity') return Number.POSITIVE_INFINITY;
    if (lower === 'nan') return Number.NaN;
    return new TextEnum(token.value);
  }
  return fail(`unexpected '${token.value}'`);
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', "'": "'", '\\': '\\' };

function tokenize(text: string, what: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '\n') {
      line++;
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r') {
      i++;
    } else if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '"' || c === "'") {
      let value = '';
      i++;
      while (i < text.length && text[i] !== c) {
        if (text[i] === '\n') throw new ModelFormatError(`${what}: unterminated string at line ${line}`);
        if (text[i] === '\\') {
          const e = text[i + 1];
          if (/[0-7]/.test(e)) {
            const octal = /^[0-7]{1,3}/.exec(text.slice(i + 1))?.[0] ?? '0';
            value += String.fromCharCode(Number.parseInt(octal, 8));
            i += 1 + octal.length;
            continue;
          }
          value += ESCAPES[e] ?? e;
          i += 2;
        } else {
          value += text[i++];
        }
      }
      if (i >= text.length) throw new ModelFormatError(`${what}: unterminated string at line ${line}`);
      i++;
      // Adjacent string literals concatenate, as in C.
      const last = tokens.at(-1);
      if (last?.kind === 'string' && last.line === line) last.value += value;
      else tokens.push({ kind: 'string', value, line });
    } else if ('{}<>[]:,;'.includes(c)) {
      tokens.push({ kind: 'punct', value: c, line });
      i++;
    } else {
      const match = /^[-+]?(?:\d[\w.+-]*|\.\d[\w.+-]*)|^[A-Za-z_][\w./-]*/.exec(text.slice(i, i + 256));
      if (!match) throw new ModelFormatError(`${what}: unexpected character '${c}' at line ${line}`);
      const word = match[0];
      const isNumber = /^[-+]?[\d.]/.test(word);
      tokens.push({
        kind: isNumber ? 'number' : 'word',
        value: isNumber ? word.replace(/[fF]$/, '') : word,
        line,
      });
      if (isNumber && Number.isNaN(Number(tokens.at(-1)?.value))) {
        throw new ModelFormatError(`${what}: bad number '${word}' at line ${line}`);
      }
      i += word.length;
    }
  }
  return tokens;
}
