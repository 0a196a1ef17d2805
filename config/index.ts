import path from 'node:path';
import { z } from 'zod';
import { parseResponseWindow } from '../domain/responseWindow';
import { workflowIdPrefixPattern } from '../domain/workflowIds';
import { defaultUploadLimits, MB, type UploadLimits } from '../imports/limits';

/** Text flags in the environment: only these spellings, so a typo is an error and not "false". */
const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'debe ser true o false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** A whole number between `min` and `max`, with its default. */
const wholeNumber = (fallback: number, min: number, max: number) =>
  z.coerce.number({ message: 'debe ser un número' }).int('debe ser un número entero').min(min, `debe ser al menos ${min}`).max(max, `debe ser a lo sumo ${max}`).default(fallback);

const percent = (fallback: number) =>
  z.coerce.number({ message: 'debe ser un número' }).min(0, 'no puede ser negativo').max(1000).default(fallback);

export const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number({ message: 'debe ser un número de puerto' }).int().min(1).max(65535).default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    PUBLIC_URL: z.url({ message: 'debe ser una URL (p. ej. https://metas.municipio.gov.co)' }).optional(),
    DATA_DIR: z.string().min(1).default('./data'),
    DATABASE_URL: z
      .url({ message: 'debe ser una URL postgres://usuario:clave@servidor:5432/base' })
      .refine((u) => /^postgres(ql)?:\/\//.test(u), 'debe empezar por postgres:// o postgresql://')
      .optional(),
    TEMPORAL_ADDRESS: z
      .string()
      .regex(/^[^\s:]+:\d+$/, 'debe tener la forma servidor:puerto, p. ej. temporal.municipio.gov.co:7233')
      .optional(),
    TEMPORAL_NAMESPACE: z.string().regex(/^[A-Za-z0-9._-]+$/, 'solo letras, números, punto, guion y guion bajo').default('metas-pdm'),
    TEMPORAL_TASK_QUEUE: z.string().min(1).default('metas-pdm'),
    // Many municipalities in one namespace: each one's workflow IDs start with its code. Set it
    // before the first cycle; a municipality's own deployment leaves it empty.
    TEMPORAL_WORKFLOW_ID_PREFIX: z
      .string()
      .trim()
      .regex(workflowIdPrefixPattern, 'solo letras sin tilde, números y guion bajo (hasta 40), p. ej. 52001')
      .optional(),
    TEMPORAL_TLS: booleanFlag.default(false),
    TEMPORAL_TLS_CERT_PATH: z.string().min(1).optional(),
    TEMPORAL_TLS_KEY_PATH: z.string().min(1).optional(),
    TEMPORAL_API_KEY: z.string().min(1).optional(),
    TEMPORAL_DEV_SERVER_PORT: z.coerce.number().int().min(1).max(65535).default(7233),
    TEMPORAL_UI_PORT: z.coerce.number().int().min(1).max(65535).default(8233),
    TEMPORAL_CLI_PATH: z.string().min(1).optional(),
    APP_SECRET: z.string().min(32, 'debe tener al menos 32 caracteres').optional(),
    TZ: z
      .string()
      .default('America/Bogota')
      .refine((tz) => {
        try {
          new Intl.DateTimeFormat('es-CO', { timeZone: tz });
          return true;
        } catch {
          return false;
        }
      }, 'no es una zona horaria IANA válida (p. ej. America/Bogota)'),
    RESPONSE_WINDOW: z
      .string()
      .default('10d')
      .refine((w) => parseResponseWindow(w).ok, 'debe ser un plazo como 10d (días hábiles), 48h, 2m o 30s'),
    /**
     * Days after a review's deadline during which the e-mailed link still takes an answer, kept as
     * a respuesta extemporánea (default 90: about a quarter, until the next quarter's review).
     */
    LATE_RESPONSE_DAYS: wholeNumber(90, 0, 730),
    BEHIND_BELOW_PERCENT: percent(90),
    OVERACHIEVED_ABOVE_PERCENT: percent(100),
    LOAD_DEMO_DATA: booleanFlag.default(true),
    /** Cookies only over HTTPS; default: on in production. */
    SECURE_COOKIES: booleanFlag.optional(),
    /** Lifetime of new API tokens (`metas login`, POST /api/auth/tokens), in days. */
    API_TOKEN_DAYS: z.coerce
      .number({ message: 'debe ser un número de días' })
      .int('debe ser un número entero de días')
      .min(1, 'al menos 1 día')
      .max(3650, 'como máximo 3650 días')
      .default(90),
    /** Behind a reverse proxy: Express's "trust proxy" (true, a hop count or addresses). */
    TRUST_PROXY: z.string().min(1).optional(),
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\/[^\s]+$/, 'debe ser una URL smtp:// o smtps://, p. ej. smtp://usuario:clave@correo.municipio.gov.co:587')
      .optional(),
    SMTP_IGNORE_TLS: booleanFlag.default(false),
    MAIL_FROM: z.string().min(3).default('Oficina de Planeación <planeacion@municipio.gov.co>'),
    /** The coordinador general del MMSE: copied on constancias and told of responses. */
    COORDINATOR_EMAIL: z.email('debe ser un correo válido').optional(),
    /** Reminders before the deadline, in business days (PE-P-008 practice: 5 and 1). */
    REMINDER_BUSINESS_DAYS: z
      .string()
      .default('5,1')
      .refine((v) => v === '' || v.split(',').every((d) => /^\d{1,2}$/.test(d.trim()) && Number(d) > 0), 'lista de días hábiles, p. ej. 5,1'),
    /** The municipality's name and DANE code (services/municipality.ts); both or neither. A name set on the page /admin/municipio wins. */
    MUNICIPALITY_NAME: z.string().trim().min(2, 'debe tener al menos 2 caracteres').max(120, 'debe tener a lo sumo 120 caracteres').optional(),
    MUNICIPALITY_DANE_CODE: z.string().trim().regex(/^\d{5}$/, 'debe ser el código DANE del municipio, 5 dígitos (p. ej. 52001)').optional(),
    /** Uploaded Plan Indicativo and Hoja de Captura files (imports/limits.ts; README, "Límites de los archivos"). */
    UPLOAD_MAX_FILE_MB: wholeNumber(defaultUploadLimits.maxFileBytes / MB, 1, 200),
    UPLOAD_MAX_UNCOMPRESSED_MB: wholeNumber(defaultUploadLimits.maxUncompressedBytes / MB, 1, 2000),
    UPLOAD_MAX_ZIP_ENTRIES: wholeNumber(defaultUploadLimits.maxZipEntries, 10, 100_000),
    UPLOAD_MAX_ROWS: wholeNumber(defaultUploadLimits.maxRows, 10, 10_000_000),
    UPLOAD_MAX_CELLS: wholeNumber(defaultUploadLimits.maxCells, 100, 100_000_000),
    UPLOAD_MAX_CELL_CHARS: wholeNumber(defaultUploadLimits.maxCellChars, 100, 1_000_000),
    UPLOAD_PARSE_MEMORY_MB: wholeNumber(defaultUploadLimits.parseMemoryMb, 32, 16_384),
    UPLOAD_PARSE_TIMEOUT_SECONDS: wholeNumber(defaultUploadLimits.parseTimeoutMs / 1000, 1, 3600),
    UPLOAD_PARSE_CONCURRENCY: wholeNumber(defaultUploadLimits.parseConcurrency, 1, 16),
  });

/**
 * Rules across variables, checked on the raw environment so they are reported together with
 * per-variable problems (zod skips refinements of an object that already has issues).
 */
function crossVariableProblems(env: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  if (env.NODE_ENV === 'production' && !env.APP_SECRET) problems.push('APP_SECRET: es obligatorio en producción');
  if (Boolean(env.MUNICIPALITY_NAME) !== Boolean(env.MUNICIPALITY_DANE_CODE)) {
    problems.push('MUNICIPALITY_NAME: MUNICIPALITY_NAME y MUNICIPALITY_DANE_CODE van juntos (nombre y código DANE del municipio)');
  }
  if (Boolean(env.TEMPORAL_TLS_CERT_PATH) !== Boolean(env.TEMPORAL_TLS_KEY_PATH)) {
    problems.push('TEMPORAL_TLS_CERT_PATH: TEMPORAL_TLS_CERT_PATH y TEMPORAL_TLS_KEY_PATH van juntos');
  }
  return problems;
}

export type RawConfig = z.infer<typeof configSchema>;

export interface Config extends RawConfig {
  /** Absolute data folder: PGlite files and the dev server's database live here. */
  dataDir: string;
  /** True when we must run our own Temporal dev server (no TEMPORAL_ADDRESS given). */
  embeddedTemporal: boolean;
  temporalAddress: string;
  thresholds: { behindBelowPercent: number; overachievedAbovePercent: number };
  publicUrl: string;
  secureCookies: boolean;
  trustProxy: boolean | number | string | undefined;
  uploadLimits: UploadLimits;
  /** MUNICIPALITY_NAME and MUNICIPALITY_DANE_CODE, when both are set. */
  municipality: { name: string; daneCode: string } | null;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuración inválida:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads the environment once; throws ConfigError listing every problem at the same time. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings in .env files mean "not set", as users expect.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = configSchema.safeParse(cleaned);
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.') || '(entorno)'}: ${i.message}`)),
    ...crossVariableProblems(cleaned),
  ];
  if (!parsed.success || problems.length) throw new ConfigError(problems);
  const raw = parsed.data;
  const embeddedTemporal = !raw.TEMPORAL_ADDRESS;
  return {
    ...raw,
    dataDir: path.resolve(raw.DATA_DIR),
    embeddedTemporal,
    temporalAddress: raw.TEMPORAL_ADDRESS ?? `127.0.0.1:${raw.TEMPORAL_DEV_SERVER_PORT}`,
    thresholds: {
      behindBelowPercent: raw.BEHIND_BELOW_PERCENT,
      overachievedAbovePercent: raw.OVERACHIEVED_ABOVE_PERCENT,
    },
    publicUrl: raw.PUBLIC_URL ?? `http://localhost:${raw.PORT}`,
    secureCookies: raw.SECURE_COOKIES ?? raw.NODE_ENV === 'production',
    municipality: raw.MUNICIPALITY_NAME && raw.MUNICIPALITY_DANE_CODE ? { name: raw.MUNICIPALITY_NAME, daneCode: raw.MUNICIPALITY_DANE_CODE } : null,
    uploadLimits: {
      maxFileBytes: raw.UPLOAD_MAX_FILE_MB * MB,
      maxUncompressedBytes: raw.UPLOAD_MAX_UNCOMPRESSED_MB * MB,
      maxZipEntries: raw.UPLOAD_MAX_ZIP_ENTRIES,
      maxRows: raw.UPLOAD_MAX_ROWS,
      maxCells: raw.UPLOAD_MAX_CELLS,
      maxCellChars: raw.UPLOAD_MAX_CELL_CHARS,
      parseMemoryMb: raw.UPLOAD_PARSE_MEMORY_MB,
      parseTimeoutMs: raw.UPLOAD_PARSE_TIMEOUT_SECONDS * 1000,
      parseConcurrency: raw.UPLOAD_PARSE_CONCURRENCY,
    },
    trustProxy:
      raw.TRUST_PROXY === undefined
        ? undefined
        : raw.TRUST_PROXY === 'true'
          ? true
          : /^\d+$/.test(raw.TRUST_PROXY)
            ? Number(raw.TRUST_PROXY)
            : raw.TRUST_PROXY,
  };
}
