import { formatMegabytes, formatNumber } from '../domain/format';

/**
 * What an uploaded Plan Indicativo or Hoja de Captura may weigh, enforced before anything is
 * built from it. A 600-goal municipality's real files are a few MB at most (the import benchmark's
 * 5,000-goal plan is 0.5 MB as XLSX, its 30,000-row Hoja de Captura 0.7 MB); the defaults leave
 * ample room for that and stop a zip bomb long before it costs memory. Configured in
 * config/index.ts (UPLOAD_*), documented in the README.
 */
export interface UploadLimits {
  /** The file as sent (XLSX zipped, CSV as is). */
  maxFileBytes: number;
  /** XLSX: the sum of every entry once unzipped, counted while it inflates. */
  maxUncompressedBytes: number;
  /** XLSX: entries in the zip (an Excel workbook has a few dozen). */
  maxZipEntries: number;
  /** Rows of every sheet together (CSV: lines). */
  maxRows: number;
  /** Cells of every sheet together, merged ranges counted in full. */
  maxCells: number;
  /** Characters of one cell (Excel's own maximum is 32,767). */
  maxCellChars: number;
  /** Heap of the worker thread that reads the file; exceeding it ends the worker, not the app. */
  parseMemoryMb: number;
  /** Time the worker thread may take to read the file. */
  parseTimeoutMs: number;
  /** Files read at the same time (each in its own worker thread); the rest wait their turn. */
  parseConcurrency: number;
}

export const MB = 1024 * 1024;

export const defaultUploadLimits: UploadLimits = {
  maxFileBytes: 10 * MB,
  maxUncompressedBytes: 50 * MB,
  maxZipEntries: 500,
  maxRows: 100_000,
  maxCells: 1_000_000,
  maxCellChars: 32_767,
  parseMemoryMb: 512,
  parseTimeoutMs: 60_000,
  parseConcurrency: 2,
};

/** `10 MB`, `1,5 MB`. */
export const megabytes = formatMegabytes;
export const count = (n: number) => formatNumber(n);

/** A refusal as it crosses the worker boundary (structured clone keeps no class). */
export interface Refusal {
  status: 413 | 422;
  message: string;
  details?: string[];
}

/** C0 control characters and DEL; tab, line feed and carriage return are ordinary text. */
// eslint-disable-next-line no-control-regex -- finding control characters is its purpose
export const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

export const describeCharacter = (ch: string) => `U+${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
