import { assertFrame, type Frame, InvalidInputError } from '@face-liveness/core';
import { type Canvas, createCanvas, GlobalFonts, type SKRSContext2D } from '@napi-rs/canvas';
import type { FaceResult, FrameResult } from './types.js';

const PREFERRED_FAMILIES = ['DejaVu Sans', 'Liberation Sans', 'Noto Sans', 'Arial', 'Helvetica'];
const SYSTEM_FONT_DIRS = [
  '/usr/share/fonts',
  '/usr/local/share/fonts',
  '/System/Library/Fonts',
  'C:\\Windows\\Fonts',
];

/** Colours of the three verdicts (the original draws real in green and fake in red). */
const COLOURS = { live: '#00d000', spoof: '#ff2020', undecided: '#ffb000' } as const;

/**
 * A sans-serif family the canvas can draw with. @napi-rs/canvas reads the system's fonts; where
 * there are none (slim containers), `fontPath` or a system font directory is registered first.
 * @throws InvalidInputError saying which package to install when no font is available.
 */
export function pickFontFamily(fontPath?: string): string {
  if (fontPath) {
    const key = GlobalFonts.registerFromPath(fontPath);
    if (!key) throw new InvalidInputError(`cannot load font ${fontPath}: not a TrueType/OpenType font file`);
  }
  let families = GlobalFonts.families.map((f) => f.family);
  if (families.length === 0) {
    for (const dir of SYSTEM_FONT_DIRS) GlobalFonts.loadFontsFromDir(dir);
    families = GlobalFonts.families.map((f) => f.family);
  }
  if (families.length === 0) {
    throw new InvalidInputError(
      'no font found to draw the labels; install one (Debian/Ubuntu: apt-get install fonts-dejavu-core) or pass a .ttf file as fontPath',
    );
  }
  if (fontPath) return families[families.length - 1];
  return PREFERRED_FAMILIES.find((f) => families.includes(f)) ?? families[0];
}

/** Options of {@link Annotator}. */
export interface AnnotatorOptions {
  /** A .ttf/.otf file to draw with; default: DejaVu Sans or another installed sans-serif font. */
  fontPath?: string;
  /** Draw the 68 landmarks as dots. Default false. */
  landmarks?: boolean;
  /** The classifier's decision threshold, for the label of undecided faces. Default 0.5. */
  threshold?: number;
}

/**
 * The label of a face: the original's "real: 0.98" / "fake: 0.97" (the probability of the label
 * shown); while the track is undecided, "real?" or "fake?" after the side of `threshold` it leans to.
 */
export function faceLabel(face: FaceResult, threshold = 0.5): string {
  const p = face.evidence.emaScore;
  if (Number.isNaN(p)) return 'checking';
  const live = face.verdict === 'live' || (face.verdict === 'undecided' && p >= threshold);
  const mark = face.verdict === 'undecided' ? '?' : '';
  return live ? `real${mark}: ${p.toFixed(2)}` : `fake${mark}: ${(1 - p).toFixed(2)}`;
}

/**
 * Draws results on frames with a 2D canvas (anti-aliased shapes, text in a real font): a box per
 * face coloured by its verdict, "real: 0.98" / "fake: 0.97" above it, the track id and blink
 * count below it, and the processing FPS in the corner.
 */
export class Annotator {
  readonly width: number;
  readonly height: number;
  private readonly canvas: Canvas;
  private readonly ctx: SKRSContext2D;
  private readonly family: string;
  private readonly fontSize: number;
  private readonly drawLandmarks: boolean;
  private readonly threshold: number;

  constructor(width: number, height: number, options: AnnotatorOptions = {}) {
    this.width = width;
    this.height = height;
    this.family = pickFontFamily(options.fontPath);
    this.canvas = createCanvas(width, height);
    this.ctx = this.canvas.getContext('2d');
    this.fontSize = Math.max(12, Math.round(Math.min(width, height) / 24));
    this.drawLandmarks = options.landmarks ?? false;
    this.threshold = options.threshold ?? 0.5;
  }

  /** A new frame: `frame` with `result` drawn on it; `fps` (when given) in the top-left corner. */
  draw(frame: Frame, result: FrameResult, fps?: number): Frame {
    assertFrame(frame);
    if (frame.width !== this.width || frame.height !== this.height) {
      throw new InvalidInputError(
        `frame is ${frame.width}x${frame.height}; the annotator draws ${this.width}x${this.height}`,
      );
    }
    const { ctx, width, height } = this;
    const image = ctx.createImageData(width, height);
    const rgba = image.data;
    const rgb = frame.data;
    for (let i = 0, j = 0; i < rgb.length; i += 3, j += 4) {
      rgba[j] = rgb[i];
      rgba[j + 1] = rgb[i + 1];
      rgba[j + 2] = rgb[i + 2];
      rgba[j + 3] = 255;
    }
    ctx.putImageData(image, 0, 0);
    const lineWidth = Math.max(2, Math.round(this.fontSize / 8));
    ctx.lineWidth = lineWidth;
    ctx.textBaseline = 'alphabetic';
    for (const face of result.faces) this.drawFace(face, lineWidth);
    if (fps !== undefined) {
      this.text(`FPS: ${fps.toFixed(1)}`, lineWidth * 2, this.fontSize + lineWidth * 2, '#ffffff');
    }
    const out = ctx.getImageData(0, 0, width, height).data;
    const data = new Uint8Array(width * height * 3);
    for (let i = 0, j = 0; i < data.length; i += 3, j += 4) {
      data[i] = out[j];
      data[i + 1] = out[j + 1];
      data[i + 2] = out[j + 2];
    }
    return { data, width, height };
  }

  private text(text: string, x: number, y: number, colour: string, size = this.fontSize): void {
    const { ctx } = this;
    ctx.font = `bold ${size}px "${this.family}"`;
    // A dark outline keeps the label readable on any background.
    ctx.strokeStyle = 'rgba(0, 0, 0, 0.8)';
    ctx.lineWidth = Math.max(2, size / 6);
    ctx.lineJoin = 'round';
    ctx.strokeText(text, x, y);
    ctx.fillStyle = colour;
    ctx.fillText(text, x, y);
  }

  private drawFace(face: FaceResult, lineWidth: number): void {
    const { ctx } = this;
    const [x1, y1, x2, y2] = face.box;
    const colour = COLOURS[face.verdict];
    ctx.strokeStyle = colour;
    ctx.lineWidth = lineWidth;
    ctx.strokeRect(x1, y1, x2 - x1, y2 - y1);
    const above = y1 - lineWidth * 2 > this.fontSize ? y1 - lineWidth * 2 : y2 + this.fontSize + lineWidth;
    this.text(faceLabel(face, this.threshold), x1, above, colour);
    const small = Math.max(10, Math.round(this.fontSize * 0.7));
    const below = above > y2 ? above + small + lineWidth : y2 + small + lineWidth * 2;
    this.text(`#${face.trackId}  blinks: ${face.evidence.blinks}`, x1, below, '#ffffff', small);
    if (this.drawLandmarks && face.landmarks) {
      ctx.fillStyle = '#00c8ff';
      for (const [x, y] of face.landmarks) {
        ctx.beginPath();
        ctx.arc(x, y, Math.max(1.5, lineWidth * 0.75), 0, Math.PI * 2);
        ctx.fill();
      }
    }
  }
}
