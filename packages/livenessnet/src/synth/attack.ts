import type { Rng } from '@face-liveness/core';
import { assertFrame, encodeImage, type Frame, InvalidInputError, readImage } from '@face-liveness/core';
import { renderPrint } from './print.js';
import { renderReplay } from './replay.js';

/** The presentation attacks {@link synthesizeAttack} can imitate. */
export const ATTACK_KINDS = ['print', 'replay'] as const;
/** `print`: a printed photo held to the camera; `replay`: the face shown on a phone or tablet screen. */
export type AttackKind = (typeof ATTACK_KINDS)[number];

/** A synthetic recapture before its JPEG compression: the pure, synchronous part of {@link synthesizeAttack}. */
export interface RenderedAttack {
  frame: Frame;
  /** JPEG quality (50..92) the recapture is to be stored at. */
  jpegQuality: number;
}

export function isAttackKind(kind: string): kind is AttackKind {
  return (ATTACK_KINDS as readonly string[]).includes(kind);
}

/**
 * Renders `frame` (a bona fide face, ideally a crop with some context) as a recaptured attack of
 * `kind`. Deterministic: the same frame, kind and random state give the same bytes. Every parameter
 * (halftone cell, screen pitch and angle, gamut, glare, tilt, blur, noise, JPEG quality) is drawn
 * from `rng`, so one face yields many different attacks.
 */
export function renderAttack(frame: Frame, kind: AttackKind, rng: Rng): RenderedAttack {
  assertFrame(frame);
  if (!isAttackKind(kind)) {
    throw new InvalidInputError(`unknown attack kind "${kind}": use one of ${ATTACK_KINDS.join(', ')}`);
  }
  return kind === 'print' ? renderPrint(frame, rng) : renderReplay(frame, rng);
}

/**
 * {@link renderAttack} followed by the recapturing camera's JPEG compression (encoded and decoded
 * with sharp, so the blocking and ringing are real libjpeg artefacts).
 */
export async function synthesizeAttack(frame: Frame, kind: AttackKind, rng: Rng): Promise<Frame> {
  const { frame: rendered, jpegQuality } = renderAttack(frame, kind, rng);
  return readImage(await encodeImage(rendered, 'jpeg', jpegQuality));
}
