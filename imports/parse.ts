import { type ParseRequest, type ParseResponse, Refuse } from './parseResult';
import { readXlsx } from './xlsxReader';
import { readCsv } from './csvReader';

/**
 * Reading an uploaded file into rows of cell values. This module runs inside a worker thread
 * (parseWorker.cjs): it is the only code that unzips or parses what a person sent, so a file that
 * blows up in memory or time ends the worker, never the web app or the Temporal worker.
 *
 * XLSX is checked before a workbook is built: the central directory (entries, declared sizes),
 * then every entry is inflated through a running byte budget (declared sizes may lie; entries may
 * overlap) while its XML is scanned for rows, cells (merged ranges in full) and text length. Only
 * a file within every limit is given to exceljs, which reads the same entries with the same zip
 * library (jszip), so it inflates exactly the bytes that were counted.
 */

export async function parseUpload(request: ParseRequest): Promise<ParseResponse> {
  try {
    return request.format === 'csv' ? readCsv(request) : await readXlsx(request);
  } catch (error) {
    if (error instanceof Refuse) return { kind: 'refused', refusal: error.refusal };
    throw error;
  }
}
