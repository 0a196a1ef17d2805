/** Roles of the office's accounts (users.role). */
export const roles = ['admin', 'operator', 'coordinator', 'liaison', 'viewer'] as const;
export type Role = (typeof roles)[number];

/** The account as the rest of the application sees it (`res.locals.user`). */
export interface AuthUser {
  id: number;
  email: string;
  name: string;
  role: Role;
  departmentCode: string | null;
}

export const roleLabels: Record<Role, string> = {
  admin: 'Administrador',
  operator: 'Operador de la Oficina de Planeación',
  coordinator: 'Coordinador del MMSE',
  liaison: 'Enlace de secretaría',
  viewer: 'Consulta',
};

/**
 * What each role may act as. Admin is a superset of every role; every account may read
 * (`viewer`), which is how routes marked `viewer` stay open to operators, coordinators and liaisons.
 */
const implied: Record<Role, readonly Role[]> = {
  admin: roles,
  operator: ['operator', 'viewer'],
  coordinator: ['coordinator', 'viewer'],
  liaison: ['liaison', 'viewer'],
  viewer: ['viewer'],
};

/** True when a user with `role` may use a route that requires any of `required`. */
export function roleSatisfies(role: Role, required: readonly Role[]): boolean {
  return required.some((r) => implied[role].includes(r));
}

/** The actor written in records and the audit log: stable and without personal data. */
export function actorOf(user: { id: number }): string {
  return `user:${user.id}`;
}

/** The audit subject for an account. */
export const userSubject = (userId: number) => `user:${userId}`;
