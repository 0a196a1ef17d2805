import { inArray } from 'drizzle-orm';
import type { Database } from '../db/client';
import * as t from '../db/schema';

const accountActor = /^user:(\d{1,15})$/;

/**
 * How records name the people who acted: records keep `user:<id>` (auth/roles actorOf), pages show
 * the account's name (its e-mail when it has none; an account whose personal data was removed is
 * already renamed "Usuario eliminado N"). Anything else (a name typed in a form, "sistema") is already a name and stays as it is.
 */
export async function actorNames(db: Database, actors: Iterable<string>): Promise<Map<string, string>> {
  const ids = [...new Set([...actors].map((a) => accountActor.exec(a)?.[1]).filter((id): id is string => id !== undefined))].map(Number);
  if (!ids.length) return new Map();
  const rows = await db
    .select({ id: t.users.id, name: t.users.name, email: t.users.email })
    .from(t.users)
    .where(inArray(t.users.id, ids));
  return new Map(rows.map((r) => [`user:${r.id}`, r.name.trim() || r.email]));
}

/** One actor's name with a lookup from `actorNames`. */
export const nameOf = (names: Map<string, string>, actor: string) => names.get(actor) ?? actor;
