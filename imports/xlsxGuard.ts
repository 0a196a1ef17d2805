/**
 * XLSX is checked before a workbook is built: the central directory (entries, declared sizes),
 * then every entry is inflated through a running byte budget (declared sizes may lie; entries may
 * overlap) while its XML is scanned for rows, cells (merged ranges in full) and text length.
 */
import { StringDecoder } from 'node:string_decoder';
import { unzipSync } from 'fflate';
import type JSZip from 'jszip';
import { count, megabytes, type UploadLimits } from './limits';
import { Refuse, tooBig, rowsMessage, cellsMessage, cellCharsMessage } from './parseResult';

// Loaded when needed: a worker that refuses a file from its central directory, or reads a CSV,
// starts in a fraction of the time the zip and workbook libraries take to load.
const loadJSZip = (): typeof JSZip => require('jszip');

/** `AB` → 28. */
function columnNumber(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

/** Cells of a range `A1:XFD1048576` (1 for a single cell). */
function rangeArea(ref: string): number {
  const match = /^\$?([A-Za-z]{1,3})\$?(\d{1,7})(?::\$?([A-Za-z]{1,3})\$?(\d{1,7}))?$/.exec(ref.trim());
  if (!match) return 1;
  if (!match[3]) return 1;
  const cols = Math.abs(columnNumber(match[3]) - columnNumber(match[1]!)) + 1;
  const rows = Math.abs(Number(match[4]) - Number(match[2])) + 1;
  return cols * rows;
}

/** Counts of the whole workbook, across entries. */
interface Tally {
  bytes: number;
  rows: number;
  cells: number;
}

/**
 * Scans a part's XML as it inflates: every `<row>` and `<c>` of a worksheet and the cells of its
 * merged ranges (exceljs fills every cell of a merge), and the length of every text node (a cell's
 * text, shared string or number). The unfinished tail of a chunk is kept, bounded by the longest
 * text allowed, so a single endless string is refused as it arrives.
 */
class XmlScanner {
  private carry = '';
  private readonly maxCarry: number;

  constructor(
    private readonly tally: Tally,
    private readonly limits: UploadLimits,
    private readonly worksheet: boolean,
  ) {
    // An entity (`&#x10FFFF;`) is at most 10 characters for one; a tag is short.
    this.maxCarry = limits.maxCellChars * 10 + 4096;
  }

  write(chunk: string): void {
    const text = this.carry + chunk;
    const tags = /<([^<>]*)>/g;
    let last = 0;
    for (let m = tags.exec(text); m; m = tags.exec(text)) {
      // Only text longer than a cell allows is looked at (entities shorten it): the rest is not copied.
      if (m.index - last > this.limits.maxCellChars) this.text(text.slice(last, m.index));
      this.tag(m[1]!);
      last = tags.lastIndex;
    }
    this.carry = text.slice(last);
    if (this.carry.length > this.maxCarry) throw tooBig(cellCharsMessage(this.limits));
  }

  end(): void {
    if (this.carry) this.text(this.carry);
    this.carry = '';
  }

  private text(raw: string): void {
    if (raw.length <= this.limits.maxCellChars) return;
    const length = raw.replace(/&[#\w]{1,10};/g, '_').length;
    if (length > this.limits.maxCellChars) throw tooBig(cellCharsMessage(this.limits));
  }

  private tag(content: string): void {
    if (!this.worksheet) return;
    const first = content.charCodeAt(0);
    if (first === 47 /* / */ || first === 63 /* ? */ || first === 33 /* ! */) return;
    const name = /^(?:[\w.-]+:)?([\w.-]+)/.exec(content)?.[1];
    if (name === 'c') this.tally.cells++;
    else if (name === 'row') {
      if (++this.tally.rows > this.limits.maxRows) throw tooBig(rowsMessage(this.limits));
    } else if (name === 'col') {
      // A column range exceljs creates one by one.
      const max = Number(/\bmax\s*=\s*["'](\d+)["']/.exec(content)?.[1] ?? 0);
      if (max > EXCEL_COLUMNS) throw outsideSheet('una columna');
      return;
    } else if (name === 'mergeCell') {
      const ref = /\bref\s*=\s*["']([^"']*)["']/.exec(content)?.[1];
      if (ref) this.tally.cells += rangeArea(ref);
    } else return;
    if (this.tally.cells > this.limits.maxCells) throw tooBig(cellsMessage(this.limits));
  }
}

// exceljs drops a leading "/" from entry names, so the same names are scanned here.
const isScanned = (name: string) => /^\/*xl\/(worksheets\/[^/]+\.xml|sharedStrings\.xml)$/i.test(name);
const isWorksheet = (name: string) => /^\/*xl\/worksheets\/[^/]+\.xml$/i.test(name);

/** Excel's own sheet size: exceljs would fill columns and rows up to whatever a file says. */
export const EXCEL_COLUMNS = 16_384;
export const EXCEL_ROWS = 1_048_576;
export const outsideSheet = (what: string) =>
  new Refuse({ status: 422, message: `El archivo tiene ${what} fuera de una hoja de Excel (${count(EXCEL_ROWS)} filas × ${count(EXCEL_COLUMNS)} columnas); ábralo en Excel y guárdelo de nuevo` });

/** The central directory alone (nothing inflated): how many entries, and the sizes they declare. */
function checkCentralDirectory(content: Uint8Array, limits: UploadLimits): void {
  let entries = 0;
  let declared = 0;
  unzipSync(content, {
    filter: (file) => {
      if (++entries > limits.maxZipEntries) {
        throw tooBig(`El archivo XLSX tiene más de ${count(limits.maxZipEntries)} partes internas, el máximo; guárdelo de nuevo desde Excel sin imágenes ni objetos incrustados`);
      }
      declared += file.originalSize;
      if (declared > limits.maxUncompressedBytes) throw tooBig(unzippedMessage(limits));
      return false;
    },
  });
}

const unzippedMessage = (limits: UploadLimits) =>
  `El archivo descomprimido supera ${megabytes(limits.maxUncompressedBytes)}, el máximo (un XLSX es un ZIP); quite hojas, imágenes o filas que no se importan`;

/** Inflates one entry through the workbook's byte budget, scanning it; aborts as soon as a limit is exceeded. */
function inflateCounted(entry: JSZip.JSZipObject, tally: Tally, limits: UploadLimits): Promise<void> {
  const scanner = isScanned(entry.name) ? new XmlScanner(tally, limits, isWorksheet(entry.name)) : null;
  const decoder = new StringDecoder('utf8');
  return new Promise((resolve, reject) => {
    let stopped = false;
    // jszip's streams are not in its public types; this is the stream `entry.async` reads.
    const stream = (entry as unknown as { internalStream(type: 'uint8array'): JSZipStream }).internalStream('uint8array');
    const stop = (error: unknown) => {
      if (stopped) return;
      stopped = true;
      stream.pause();
      reject(error);
    };
    stream
      .on('data', (chunk: Uint8Array) => {
        if (stopped) return;
        try {
          tally.bytes += chunk.length;
          if (tally.bytes > limits.maxUncompressedBytes) throw tooBig(unzippedMessage(limits));
          scanner?.write(decoder.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length)));
        } catch (error) {
          stop(error);
        }
      })
      .on('error', (error: unknown) => stop(error))
      .on('end', () => {
        if (stopped) return;
        try {
          scanner?.write(decoder.end());
          scanner?.end();
          stopped = true;
          resolve();
        } catch (error) {
          stop(error);
        }
      })
      .resume();
  });
}

interface JSZipStream {
  on(event: 'data', listener: (chunk: Uint8Array) => void): JSZipStream;
  on(event: 'error', listener: (error: unknown) => void): JSZipStream;
  on(event: 'end', listener: () => void): JSZipStream;
  resume(): JSZipStream;
  pause(): JSZipStream;
}

/** Every limit checked on the zip and its XML; throws Refuse, or returns false when it is no zip. */
export async function guardXlsx(content: Uint8Array, limits: UploadLimits): Promise<boolean> {
  try {
    checkCentralDirectory(content, limits);
  } catch (error) {
    if (error instanceof Refuse) throw error;
    return false;
  }
  let zip: JSZip;
  try {
    zip = await loadJSZip().loadAsync(content);
  } catch {
    return false;
  }
  const tally: Tally = { bytes: 0, rows: 0, cells: 0 };
  // The entries exceljs reads: every file of the central directory, in its order.
  for (const entry of Object.values(zip.files)) {
    if (entry.dir) continue;
    try {
      await inflateCounted(entry, tally, limits);
    } catch (error) {
      if (error instanceof Refuse) throw error;
      return false;
    }
  }
  return true;
}
