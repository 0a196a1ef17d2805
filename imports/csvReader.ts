/** Reading a CSV: its encoding and separator detected from the header it should have, then its records within the limits. */
import { parse as parseCsvText } from 'csv-parse/sync';
import { SEPARATORS, type Separator } from './fileFormat';
import { type ColumnSet, HEADER_SEARCH_ROWS, headerScore } from './headers';
import { CONTROL_CHARACTER } from './limits';
import { type CellValue, type ControlCharacter, type ParseRequest, type ParseResponse, CONTROL_CHARACTERS_LISTED, Refuse, tooBig, fileError, rowsMessage, cellsMessage, cellCharsMessage } from './parseResult';

/**
 * Bytes 0x80–0x9F of Windows-1252 (–, —, “, ”, €, …). Node 20's TextDecoder('windows-1252')
 * decodes them as Latin-1 control characters, so they are mapped here.
 */
const windows1252High = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

function decodeWindows1252(content: Uint8Array): string {
  return new TextDecoder('windows-1252').decode(content).replace(/[\u0080-\u009f]/g, (ch) => windows1252High[ch.charCodeAt(0) - 0x80]!);
}

interface Decoding {
  encoding: string;
  text: string;
}

/**
 * The readings a CSV's bytes allow: UTF-16 or UTF-8 when a BOM says so; else UTF-8 when they are
 * valid UTF-8, and Windows-1252 (Excel's "CSV" on a Spanish Windows) whenever a byte is not ASCII.
 */
function decodings(content: Uint8Array): Decoding[] {
  if (content[0] === 0xff && content[1] === 0xfe) return [{ encoding: 'UTF-16', text: new TextDecoder('utf-16le').decode(content) }];
  if (content[0] === 0xef && content[1] === 0xbb && content[2] === 0xbf) return [{ encoding: 'UTF-8 con BOM', text: new TextDecoder('utf-8').decode(content) }];
  const readings: Decoding[] = [];
  try {
    readings.push({ encoding: 'UTF-8', text: new TextDecoder('utf-8', { fatal: true }).decode(content) });
  } catch {
    // Not UTF-8: Windows-1252 below.
  }
  if (!readings.length || content.some((byte) => byte > 0x7f)) readings.push({ encoding: 'Windows-1252', text: decodeWindows1252(content) });
  return readings;
}

/** The first rows under a separator, enough to find the header (a cut-off last record does no harm). */
const SAMPLE_CHARS = 256 * 1024;
function sampleRows(text: string, delimiter: Separator): string[][] {
  try {
    return parseCsvText(text.slice(0, SAMPLE_CHARS), { delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, to: HEADER_SEARCH_ROWS }) as string[][];
  } catch {
    return [];
  }
}

/**
 * The encoding and separator under which some row of the first ones reads best as the header
 * (headers.ts `headerScore`), whatever the title rows above it. Without expected columns, or when
 * no row names any, the separator that splits a row into the most cells.
 */
export function detectCsvReading(content: Uint8Array, columns?: ColumnSet): { encoding: string; text: string; delimiter: Separator } {
  const score = columns ? headerScore(columns) : () => 0;
  let best: { encoding: string; text: string; delimiter: Separator; score: number; width: number } | null = null;
  for (const { encoding, text } of decodings(content)) {
    for (const delimiter of SEPARATORS) {
      let rowScore = 0;
      let width = 0;
      for (const row of sampleRows(text, delimiter)) {
        const cells = row.map((c) => c.trim());
        rowScore = Math.max(rowScore, score(cells));
        width = Math.max(width, cells.filter((c) => c !== '').length);
      }
      if (!best || rowScore > best.score || (rowScore === best.score && width > best.width)) best = { encoding, text, delimiter, score: rowScore, width };
    }
  }
  return best!;
}

const csvMessages: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'hay unas comillas (") que no se cierran',
  CSV_INVALID_CLOSING_QUOTE: 'hay comillas (") mal cerradas',
  INVALID_OPENING_QUOTE: 'hay comillas (") en medio de un valor',
};

export function readCsv({ content, sheetName, limits, columns }: ParseRequest): ParseResponse {
  const { text, encoding, delimiter } = detectCsvReading(content, columns);
  let records: string[][];
  let cells = 0;
  let refusal: Refuse | null = null;
  try {
    records = parseCsvText(text, {
      delimiter,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
      bom: true,
      // Checked record by record, so an oversized file stops at the first record beyond a limit.
      on_record: (record: string[], { records: n }: { records: number }) => {
        if (n > limits.maxRows) refusal = tooBig(rowsMessage(limits));
        else if ((cells += record.length) > limits.maxCells) refusal = tooBig(cellsMessage(limits));
        else {
          const long = record.findIndex((v) => v.length > limits.maxCellChars);
          if (long >= 0) refusal = tooBig(cellCharsMessage(limits, `Fila ${n}, columna ${long + 1}`));
        }
        if (refusal) throw refusal;
        return record;
      },
    }) as string[][];
  } catch (error) {
    if (refusal) throw refusal;
    const { code, lines } = error as { code?: string; lines?: number };
    const what = (code && csvMessages[code]) || 'el contenido no es un CSV válido';
    return { kind: 'invalid', errors: [fileError(`No se pudo leer el CSV${lines ? ` (línea ${lines})` : ''}: ${what}`)] };
  }
  const formulas: { row: number; col: number; value: string }[] = [];
  const controlCharacters: ControlCharacter[] = [];
  // Record i is row i+1 when the file is opened in a spreadsheet (empty lines included).
  const rows = records.map((record, i) => ({
    rowNumber: i + 1,
    cells: record.map((raw, col): CellValue => {
      const value = raw.trim();
      if (value.startsWith('=')) formulas.push({ row: i + 1, col, value });
      const control = CONTROL_CHARACTER.exec(value);
      if (control && controlCharacters.length < CONTROL_CHARACTERS_LISTED) {
        controlCharacters.push({ sheet: sheetName, row: i + 1, col: col + 1, character: control[0] });
      }
      return value === '' ? null : value;
    }),
  }));
  return {
    kind: 'parsed',
    main: { requested: sheetName, name: sheetName, rows, cellProblems: [] },
    extra: [],
    delimiter,
    encoding,
    formulas,
    controlCharacters,
  };
}
