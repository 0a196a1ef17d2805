
/**
 * Departments a Plan Indicativo names in "Dependencia responsable" without being registered: the
 * import proposes them, each with a generated code the operator may change, and creates them when
 * the import is confirmed. No imports: the command line reads this file too.
 */

/** Codes end up in workflow IDs (`revision-2026-T2-SEDU`) and file names: no spaces, no accents. */
export const departmentCodePattern = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,19}$/;
export const departmentCodeRule = 'de 1 a 20 caracteres: letras sin tilde, números, punto, guion o guion bajo (p. ej. SEDU)';

/** The start of the refusal to create departments nobody confirmed (the command line recognises it). */
export const UNCONFIRMED_DEPARTMENTS = 'El Plan Indicativo nombra dependencias que no están registradas';

/** "Secretaría de Educación" and "SECRETARIA DE EDUCACION " are the same department. */
export function departmentNameKey(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

const minorWords = new Set(['de', 'del', 'la', 'las', 'el', 'los', 'y', 'e', 'para', 'en', 'a', 'al', 'con', 'por', 'municipal', 'distrital']);
/** What a Colombian municipality's departments are called; the code starts with its initial (SEDU, OPLA, IDRE). */
const kindWords = new Set(['secretaria', 'oficina', 'instituto', 'departamento', 'direccion', 'gerencia', 'unidad', 'despacho', 'subsecretaria', 'empresa', 'alcaldia', 'jefatura', 'coordinacion', 'control', 'asesoria']);

const ascii = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toUpperCase().replace(/[^A-Z0-9]/g, '');

/** A code in the office's usual shape: the kind's initial and the first letters of the subject (Secretaría de Educación → SEDU). */
export function baseDepartmentCode(name: string): string {
  const words = departmentNameKey(name)
    .split(' ')
    .filter((w) => w && !minorWords.has(w));
  if (!words.length) return 'DEP';
  const [first, ...rest] = words;
  if (kindWords.has(first!) && rest.length) {
    const subject = ascii(rest[0]!);
    const code = `${ascii(first!).slice(0, 1)}${subject.slice(0, 3)}`;
    // A one-letter subject (Secretaría de TIC → STIC is fine; "Secretaría A" → SA) is padded by the next word.
    return code.length >= 3 ? code : `${code}${ascii(rest[1] ?? '').slice(0, 3 - code.length + 1)}`;
  }
  if (words.length === 1) return ascii(first!).slice(0, 4) || 'DEP';
  return words.map((w) => ascii(w).slice(0, 1)).join('').slice(0, 6);
}

/** Codes for new departments, unique among themselves and the registered ones (SEDU, SEDU2, SEDU3…). */
export function generateDepartmentCodes(names: readonly string[], taken: Iterable<string>): string[] {
  const used = new Set([...taken].map((c) => c.toUpperCase()));
  return names.map((name) => {
    const base = baseDepartmentCode(name);
    let code = base;
    for (let n = 2; used.has(code); n++) code = `${base}${n}`;
    used.add(code);
    return code;
  });
}

/** Why a code chosen by the operator cannot be used; null when it can. */
export function departmentCodeProblem(code: string, name: string, registered: ReadonlySet<string>, chosen: ReadonlyMap<string, string>): string | null {
  if (!departmentCodePattern.test(code)) return `El código "${code}" de la dependencia nueva "${name}" no es válido: ${departmentCodeRule}`;
  if (registered.has(code.toUpperCase())) return `El código "${code}" de la dependencia nueva "${name}" ya es de una dependencia registrada; elija otro`;
  const other = chosen.get(code.toUpperCase());
  if (other !== undefined && other !== name) return `El código "${code}" se eligió para dos dependencias nuevas ("${other}" y "${name}"); cada una necesita el suyo`;
  return null;
}
