import { createHmac, timingSafeEqual } from 'node:crypto';
import type { GoalState } from '../machines/goalStatus';

export { deriveKey } from './keys';

/**
 * Personal links a department's liaison receives to answer one review (`/responder/<token>`).
 * The token carries no expiry: the review's deadline can be extended, so validity is decided at
 * use time against the current deadline (`linkStatus`).
 */
export interface ReviewLinkPayload {
  reviewWorkflowId: string;
  departmentCode: string;
  issuedAt: Date;
}

export type ReviewLinkVerification = { ok: true; payload: ReviewLinkPayload } | { ok: false; reason: 'tampered' | 'malformed' };

const VERSION = 'v1';
const MAX_TOKEN_LENGTH = 512;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
/** HMAC-SHA256 in base64url without padding. */
const SIGNATURE_LENGTH = 43;

const signatureOf = (payloadPart: string, key: Buffer | string) =>
  createHmac('sha256', key).update(`${VERSION}.${payloadPart}`).digest('base64url');

/** `<payload>.<signature>`, both base64url; the payload is `["v1", workflowId, department, issuedAt ms]`. */
export function signReviewLink({ reviewWorkflowId, departmentCode, issuedAt }: ReviewLinkPayload, key: Buffer | string): string {
  if (!reviewWorkflowId || !departmentCode || Number.isNaN(issuedAt.getTime())) throw new Error('Enlace de revisión incompleto');
  const payloadPart = Buffer.from(JSON.stringify([VERSION, reviewWorkflowId, departmentCode, issuedAt.getTime()]), 'utf8').toString('base64url');
  return `${payloadPart}.${signatureOf(payloadPart, key)}`;
}

/**
 * Checks a link's signature in constant time. 'malformed': not a link at all; 'tampered': the
 * shape is right but the signature does not match (edited, or signed with another key).
 */
export function verifyReviewLink(token: string, key: Buffer | string): ReviewLinkVerification {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: 'malformed' };
  const parts = token.split('.');
  if (parts.length !== 2) return { ok: false, reason: 'malformed' };
  const [payloadPart = '', signaturePart = ''] = parts;
  if (!BASE64URL.test(payloadPart) || !BASE64URL.test(signaturePart) || signaturePart.length !== SIGNATURE_LENGTH) {
    return { ok: false, reason: 'malformed' };
  }
  // Compare the encoded text, not decoded bytes: base64url's last character has unused bits, and
  // a link with them changed must not pass as the original.
  const expected = Buffer.from(signatureOf(payloadPart, key), 'ascii');
  if (!timingSafeEqual(expected, Buffer.from(signaturePart, 'ascii'))) return { ok: false, reason: 'tampered' };
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(payloadPart, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (
    !Array.isArray(decoded) ||
    decoded.length !== 4 ||
    decoded[0] !== VERSION ||
    typeof decoded[1] !== 'string' ||
    typeof decoded[2] !== 'string' ||
    typeof decoded[3] !== 'number' ||
    !Number.isFinite(decoded[3])
  ) {
    return { ok: false, reason: 'malformed' };
  }
  return { ok: true, payload: { reviewWorkflowId: decoded[1], departmentCode: decoded[2], issuedAt: new Date(decoded[3]) } };
}

/** Review states in which the department can still answer; any other state is answered or closed. */
export const reviewStatesOpenForResponse: readonly GoalState[] = ['alerted', 'awaitingResponse'];

export type ReviewLinkStatus = 'valid' | 'expired' | 'foreign' | 'closed-readonly';

/**
 * What a verified link allows now, given the review as stored:
 * - 'foreign': the link is for another review or department;
 * - 'closed-readonly': the review was answered or closed — the page opens without the form;
 * - 'expired': still open but the (current) deadline has passed;
 * - 'valid': the department can answer.
 */
export function linkStatus(
  payload: ReviewLinkPayload,
  review: { workflowId: string; departmentCode: string; deadline: string | Date | null; state: string },
  now: Date = new Date(),
): ReviewLinkStatus {
  if (payload.reviewWorkflowId !== review.workflowId || payload.departmentCode !== review.departmentCode) return 'foreign';
  if (!(reviewStatesOpenForResponse as readonly string[]).includes(review.state)) return 'closed-readonly';
  if (review.deadline !== null && new Date(review.deadline).getTime() <= now.getTime()) return 'expired';
  return 'valid';
}

/** Spanish explanations for the page a link opens. */
export const reviewLinkMessages = {
  tampered: 'El enlace no es válido: parece modificado. Use el enlace completo del correo de alerta.',
  malformed: 'El enlace no es válido. Copie el enlace completo del correo de alerta.',
  foreign: 'Este enlace no corresponde a esta revisión ni a su secretaría.',
  expired: 'El plazo para responder esta revisión ya venció. Comuníquese con la coordinación del MMSE.',
  'closed-readonly': 'Esta revisión ya fue respondida o cerrada: puede consultarla, pero no modificarla.',
} as const;
