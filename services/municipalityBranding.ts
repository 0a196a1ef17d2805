import { createHash } from 'node:crypto';
import { desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../db/client';
import * as t from '../db/schema';
import { formatNumber } from '../domain/format';
import { contrastOnWhite, defaultIdentityColors, minimumContrast, normalizeHexColor, type IdentityColors } from '../domain/identityColors';
import { AppError } from './errors';
import { municipalityName } from './municipality';

/**
 * The municipality's escudo and colours, set by an administrator on /admin/municipio. Both are
 * append-only (each upload or choice is a new row; the latest is in use), so a record issued with
 * an earlier escudo keeps naming the version it carried. Pages show them in their header; records
 * (PDF, XLSX, PPTX) read the escudo through `currentEscudo`.
 */

type Executor = Database | Parameters<Parameters<Database['transaction']>[0]>[0];

/** What an escudo may weigh: a header image, not a photograph. */
export const MAX_ESCUDO_BYTES = 512 * 1024;
/** Wider or taller PNGs are refused (a small file can declare a huge image). */
const MAX_ESCUDO_PIXELS = 4096;

export const escudoMediaTypes = ['image/png', 'image/jpeg'] as const;
export type EscudoMediaType = (typeof escudoMediaTypes)[number];

/** The type the file's first bytes say, whatever its name or declared type claims. */
export function sniffEscudoType(bytes: Buffer): EscudoMediaType | null {
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  return null;
}

/** Width and height from a PNG's IHDR chunk (null when it has none where the format puts it). */
function pngSize(bytes: Buffer): { width: number; height: number } | null {
  if (bytes.length < 24 || bytes.toString('latin1', 12, 16) !== 'IHDR') return null;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

const looksLikeSvg = (bytes: Buffer) => /<svg[\s>]/i.test(bytes.subarray(0, 4096).toString('utf8'));

export const escudoUploadSchema = z
  .object({
    fileName: z.string().trim().max(255, 'el nombre del archivo es demasiado largo').default('escudo'),
    content: z.instanceof(Buffer, { message: 'elija un archivo de imagen' }),
  })
  .superRefine(({ content }, ctx) => {
    const fail = (message: string) => ctx.addIssue({ code: 'custom', path: ['content'], message });
    if (content.length === 0) return fail('elija un archivo de imagen');
    if (content.length > MAX_ESCUDO_BYTES) return fail(`el archivo pesa ${formatNumber(Math.ceil(content.length / 1024))} KB; el máximo es ${formatNumber(MAX_ESCUDO_BYTES / 1024)} KB`);
    const type = sniffEscudoType(content);
    if (!type) {
      return fail(
        looksLikeSvg(content)
          ? 'no se aceptan imágenes SVG (pueden contener programas); exporte el escudo como PNG o JPEG'
          : 'el archivo no es una imagen PNG ni JPEG',
      );
    }
    const size = type === 'image/png' ? pngSize(content) : null;
    if (type === 'image/png' && !size) return fail('el archivo PNG está dañado');
    if (size && (size.width === 0 || size.height === 0 || size.width > MAX_ESCUDO_PIXELS || size.height > MAX_ESCUDO_PIXELS)) {
      return fail(`la imagen mide ${formatNumber(size.width)} × ${formatNumber(size.height)} píxeles; el máximo es ${formatNumber(MAX_ESCUDO_PIXELS)} por lado`);
    }
  });

const fields: Record<string, { label: string; subject: string }> = {
  content: { label: 'Escudo', subject: 'El escudo' },
  fileName: { label: 'Escudo', subject: 'El escudo' },
  primary: { label: 'Color principal', subject: 'El color principal' },
  accent: { label: 'Color de acento', subject: 'El color de acento' },
};

/** A refusal naming the field: "El color principal no es válido: …", details "Color principal: …". */
function refuse(error: z.ZodError): never {
  const fieldOf = (issue: z.core.$ZodIssue) => fields[String(issue.path[0])] ?? fields.content!;
  const details = error.issues.map((i) => `${fieldOf(i).label}: ${i.message}`);
  const first = error.issues[0]!;
  throw new AppError('invalid_input', `${fieldOf(first).subject} no es válido: ${first.message}`, details);
}

export interface EscudoInfo {
  version: number;
  mediaType: EscudoMediaType;
  byteLength: number;
  sha256: string;
  fileName: string | null;
  uploadedBy: string;
  createdAt: string;
}
export interface Escudo extends EscudoInfo {
  content: Buffer;
}

type EscudoRow = typeof t.municipalityEscudos.$inferSelect;
const toEscudo = (row: EscudoRow): Escudo | null =>
  row.content && row.mediaType && row.sha256
    ? { version: row.id, mediaType: row.mediaType, content: row.content, byteLength: row.byteLength, sha256: row.sha256, fileName: row.fileName, uploadedBy: row.uploadedBy, createdAt: row.createdAt }
    : null;

/** The escudo in use, with its bytes and type (null: none uploaded, or removed). For pages and records. */
export async function currentEscudo(db: Executor): Promise<Escudo | null> {
  const [row] = await db.select().from(t.municipalityEscudos).orderBy(desc(t.municipalityEscudos.id)).limit(1);
  return row ? toEscudo(row) : null;
}

/** One version of the escudo, current or not (a record printed with it names it). */
export async function escudoVersion(db: Executor, version: number): Promise<Escudo | null> {
  if (!Number.isSafeInteger(version) || version < 1) return null;
  const [row] = await db.select().from(t.municipalityEscudos).where(eq(t.municipalityEscudos.id, version));
  return row ? toEscudo(row) : null;
}

/** Records a new escudo (the earlier ones are kept). Validated: PNG or JPEG by its bytes, size. */
export async function saveEscudo(db: Executor, input: unknown, actor: string): Promise<EscudoInfo> {
  const parsed = escudoUploadSchema.safeParse(input);
  if (!parsed.success) refuse(parsed.error);
  const { content, fileName } = parsed.data;
  const [row] = await db
    .insert(t.municipalityEscudos)
    .values({
      mediaType: sniffEscudoType(content),
      content,
      byteLength: content.length,
      sha256: createHash('sha256').update(content).digest('hex'),
      fileName,
      uploadedBy: actor,
    })
    .returning();
  forgetBrand();
  const { content: _bytes, ...info } = toEscudo(row!)!;
  return info;
}

/** Pages and records go back to no escudo (recorded as a row: the earlier escudos are kept). */
export async function removeEscudo(db: Executor, actor: string): Promise<void> {
  await db.insert(t.municipalityEscudos).values({ uploadedBy: actor });
  forgetBrand();
}

const colorField = (label: string, minimum: number) =>
  z
    .string({ message: `indique el ${label} como #rrggbb` })
    .transform((text, ctx) => {
      const hex = normalizeHexColor(text);
      if (!hex) {
        ctx.addIssue({ code: 'custom', message: `«${text.slice(0, 20)}» no es un color; escríbalo como #rrggbb (p. ej. #004884)` });
        return z.NEVER;
      }
      const ratio = contrastOnWhite(hex);
      if (ratio < minimum) {
        ctx.addIssue({
          code: 'custom',
          message: `${hex} contrasta ${formatNumber(Math.floor(ratio * 100) / 100)}:1 con el blanco; se necesita al menos ${formatNumber(minimum)}:1 para que se pueda leer (elija un tono más oscuro)`,
        });
        return z.NEVER;
      }
      return hex;
    });

export const colorsSchema = z.object({
  primary: colorField('color principal', minimumContrast.primary),
  accent: colorField('color de acento', minimumContrast.accent),
});

export function parseColors(input: unknown): IdentityColors {
  const parsed = colorsSchema.safeParse(input);
  if (!parsed.success) refuse(parsed.error);
  return parsed.data;
}

export interface ColorsInUse extends IdentityColors {
  /** Null: the default (no administrator chose colours). */
  updatedBy: string | null;
  updatedAt: string | null;
}

export async function currentColors(db: Executor): Promise<ColorsInUse> {
  const [row] = await db.select().from(t.municipalityColors).orderBy(desc(t.municipalityColors.id)).limit(1);
  return row ? { primary: row.primary, accent: row.accent, updatedBy: row.updatedBy, updatedAt: row.createdAt } : { ...defaultIdentityColors, updatedBy: null, updatedAt: null };
}

/** Records a choice of colours (validated; the earlier ones are kept). */
export async function saveColors(db: Executor, input: unknown, actor: string): Promise<ColorsInUse> {
  const colors = parseColors(input);
  await db.insert(t.municipalityColors).values({ ...colors, updatedBy: actor });
  forgetBrand();
  return currentColors(db);
}

// ---------------------------------------------------------------- for every page's header

/** What every page's header shows: the name, the escudo's version (its URL), the colours. */
export interface Brand {
  name: string | null;
  escudo: { version: number; mediaType: EscudoMediaType } | null;
  colors: IdentityColors;
}

let brandCache = new WeakMap<Database, { brand: Omit<Brand, 'name'>; at: number }>();
const BRAND_CACHE_MS = 5000;

/**
 * Read at most every few seconds per process (and database; the name has its own cache, forgotten
 * when the identity is saved); a change made through this module shows at once.
 */
export async function currentBrand(db: Database): Promise<Brand> {
  const name = await municipalityName(db);
  const cached = brandCache.get(db);
  if (cached && Date.now() - cached.at < BRAND_CACHE_MS) return { name, ...cached.brand };
  const [escudoRows, colors] = await Promise.all([
    db
      .select({ id: t.municipalityEscudos.id, mediaType: t.municipalityEscudos.mediaType })
      .from(t.municipalityEscudos)
      .orderBy(desc(t.municipalityEscudos.id))
      .limit(1),
    currentColors(db),
  ]);
  const latest = escudoRows[0];
  const brand = {
    escudo: latest?.mediaType ? { version: latest.id, mediaType: latest.mediaType } : null,
    colors: { primary: colors.primary, accent: colors.accent },
  };
  brandCache.set(db, { brand, at: Date.now() });
  return { name, ...brand };
}

export const forgetBrand = () => {
  brandCache = new WeakMap();
};
