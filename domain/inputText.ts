import { formatMegabytes } from './format';

/**
 * What no text a person sends may carry: the NUL character and the other control characters
 * (tab, line feed and carriage return are fine), and broken Unicode (a lone surrogate). PostgreSQL
 * cannot store NUL or a lone surrogate in text or JSON, and none of them belongs in a justification.
 * Nesting is limited too, so no JSON body is deep enough to exhaust the stack of whatever walks it.
 */
export const MAX_INPUT_DEPTH = 20;

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const controlCharacter = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
/** Half of a surrogate pair without the other half (String.prototype.isWellFormed needs ES2024 types). */
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export type UnsafeInput =
  | { problem: 'control'; path: (string | number)[]; inKey: boolean; codePoint: number }
  | { problem: 'encoding'; path: (string | number)[]; inKey: boolean }
  | { problem: 'depth'; path: (string | number)[]; maxDepth: number };

function textProblem(text: string, path: (string | number)[], inKey: boolean): UnsafeInput | null {
  const control = controlCharacter.exec(text);
  if (control) return { problem: 'control', path, inKey, codePoint: control[0].charCodeAt(0) };
  if (loneSurrogate.test(text)) return { problem: 'encoding', path, inKey };
  return null;
}

/** The first problem in a parsed body (strings, keys and nesting), walked without recursion; null when clean. */
export function findUnsafeInput(value: unknown, { maxDepth = MAX_INPUT_DEPTH, text = true }: { maxDepth?: number; text?: boolean } = {}): UnsafeInput | null {
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  while (stack.length) {
    const { value: current, path } = stack.pop() as { value: unknown; path: (string | number)[] };
    if (typeof current === 'string') {
      const problem = text ? textProblem(current, path, false) : null;
      if (problem) return problem;
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    if (path.length >= maxDepth) return { problem: 'depth', path, maxDepth };
    const entries: [string | number, unknown][] = Array.isArray(current) ? current.map((v, i) => [i, v]) : Object.entries(current);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i] as [string | number, unknown];
      if (text && typeof key === 'string') {
        const problem = textProblem(key, [...path, key], true);
        if (problem) return problem;
      }
      stack.push({ value: child, path: [...path, key] });
    }
  }
  return null;
}

const characterNames: Record<number, string> = { 0: 'carácter nulo', 0x1b: 'escape', 0x7f: 'borrado' };

/** A Spanish message naming the field (`label` turns a path into the field's name for the person). */
export function describeUnsafeInput(problem: UnsafeInput, label: (path: (string | number)[]) => string = defaultLabel): string {
  if (problem.problem === 'depth') return `La solicitud tiene demasiados niveles anidados (máximo ${problem.maxDepth}); envíe datos más simples.`;
  const field = problem.path.length ? `«${label(problem.path)}»` : 'del cuerpo de la solicitud';
  const where = problem.inKey ? `El nombre del campo ${field}` : `El campo ${field}`;
  if (problem.problem === 'encoding') return `${where} contiene texto mal codificado (un carácter Unicode incompleto); escríbalo de nuevo.`;
  const code = `U+${problem.codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
  const name = characterNames[problem.codePoint] ?? 'carácter de control';
  return `${where} contiene un carácter no permitido (${code}, ${name}); quítelo y envíe de nuevo.`;
}

const defaultLabel = (path: (string | number)[]) => path.map((p) => (typeof p === 'string' ? sanitizeForMessage(p) : p)).join('.');

/** A name to echo in a message: control characters shown as their code, at most 80 characters. */
export const sanitizeForMessage = (text: string) =>
  text
    .slice(0, 80)
    .replace(new RegExp(controlCharacter.source, 'g'), (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(new RegExp(loneSurrogate.source, 'g'), '\uFFFD');

/** 1048576 → "1 MB", 65536 → "64 KB". */
export function sizeWords(bytes: number): string {
  if (bytes >= 1024 * 1024) return formatMegabytes(bytes);
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}
