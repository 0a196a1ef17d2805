/**
 * Spreadsheet (CSV/formula) injection: a text that starts with one of these characters is read as a
 * formula by Excel, LibreOffice or Google Sheets when the file is opened or re-imported. Goal names,
 * justifications and commitments are typed by people outside the office, so every text cell passes here.
 * Full-width forms are included because some spreadsheet apps normalise them to their ASCII twins.
 */
const FORMULA_TRIGGERS = ['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠'];

/** A text that a spreadsheet would evaluate gets a leading apostrophe; any other text is returned as is. */
export function neutralizeText(text: string): string {
  return FORMULA_TRIGGERS.some((c) => text.startsWith(c)) ? `'${text}` : text;
}

export type CellValue = string | number | null;

/**
 * The value to write in a cell: numbers stay numbers (a negative number is data, not a formula),
 * texts are neutralised, and anything else becomes text first so it cannot reach a formula either.
 */
export function safeCell(value: unknown): CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  return neutralizeText(String(value));
}

/** One CSV field (RFC 4180 quoting) after neutralisation. */
export function csvField(value: unknown): string {
  const cell = safeCell(value);
  if (cell === null) return '';
  const text = typeof cell === 'number' ? String(cell) : cell;
  return /[",\r\n;]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A whole CSV document; CRLF line ends as RFC 4180 and Excel expect. */
export function toCsv(rows: readonly (readonly unknown[])[]): string {
  return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}
