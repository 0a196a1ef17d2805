import { randomBytes } from 'node:crypto';
import { hash, parseOptions, verify, type Algorithm, type Options } from '@node-rs/argon2';
import { AppError } from '../domain/errors';

/**
 * argon2id with OWASP's baseline (19 MiB, 2 passes, 1 lane): about 50 ms per hash here. Raise
 * memoryCost when the server allows; stored hashes with other parameters are upgraded at the next
 * successful login (`needsRehash`).
 */
export const passwordHashOptions = {
  algorithm: 2 as Algorithm, // Algorithm.Argon2id (a const enum, not importable under isolatedModules)
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
  outputLen: 32,
} satisfies Options;

export const PASSWORD_MIN_LENGTH = 12;
/** Long enough for any passphrase; bounds the work an anonymous request can cause. */
export const PASSWORD_MAX_LENGTH = 256;

export function hashPassword(password: string): Promise<string> {
  return hash(password, passwordHashOptions);
}

/** Constant-time comparison inside the library; a malformed stored hash counts as a mismatch. */
export async function verifyPassword(storedHash: string, password: string): Promise<boolean> {
  try {
    return await verify(storedHash, password);
  } catch {
    return false;
  }
}

/** True when the stored hash was made with other parameters than the current ones. */
export function needsRehash(storedHash: string): boolean {
  try {
    const p = parseOptions(storedHash);
    return (
      p.algorithm !== passwordHashOptions.algorithm ||
      p.memoryCost !== passwordHashOptions.memoryCost ||
      p.timeCost !== passwordHashOptions.timeCost ||
      p.parallelism !== passwordHashOptions.parallelism ||
      p.outputLen !== passwordHashOptions.outputLen
    );
  } catch {
    return true;
  }
}

let dummyHash: Promise<string> | undefined;
/**
 * A hash of a random password with the current parameters: verifying against it costs what a real
 * verification costs, so unknown e-mails cannot be told apart by response time.
 */
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(32).toString('base64url'));
  return dummyHash;
}

/** Problems with a new password (empty when acceptable), in Spanish for the person choosing it. */
export function passwordProblems(password: string, email?: string): string[] {
  const problems: string[] = [];
  const chars = [...password];
  if (chars.length < PASSWORD_MIN_LENGTH) problems.push(`La contraseña debe tener al menos ${PASSWORD_MIN_LENGTH} caracteres.`);
  if (chars.length > PASSWORD_MAX_LENGTH) problems.push(`La contraseña puede tener como máximo ${PASSWORD_MAX_LENGTH} caracteres.`);
  if (chars.length > 0 && chars.every((c) => c === chars[0])) problems.push('La contraseña no puede repetir un solo carácter.');
  if (email && password.trim().toLowerCase() === email.trim().toLowerCase()) {
    problems.push('La contraseña no puede ser igual al correo electrónico.');
  }
  return problems;
}

/** Throws `invalid_input` listing every problem of the password. */
export function assertPasswordPolicy(password: string, email?: string): void {
  const problems = passwordProblems(password, email);
  if (problems.length) throw new AppError('invalid_input', 'La contraseña no cumple la política de seguridad', problems);
}
