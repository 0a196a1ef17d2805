/** What a file's format says about how it was read; a leaf every reader module may import. */

/** CSV separators tried, in order of preference when two read the header equally well. */
export const SEPARATORS = [';', ',', '\t', '|'] as const;
export type Separator = (typeof SEPARATORS)[number];

export type TableFormat = 'xlsx' | 'csv';

/** How a file was read, as the preview tells it and the import's record keeps it. */
export interface FileReading {
  format: TableFormat;
  sheet: string | null;
  separator: Separator | null;
  encoding: string | null;
  headerRow: number;
  /** `separador ';', codificación Windows-1252, encabezados en la fila 5`. */
  description: string;
}
