import { extractText, getDocumentProxy } from 'unpdf';

/** The text of a PDF as a reader extracts it, one string per page (to check what a record says). */
export async function pdfText(pdf: Buffer): Promise<string[]> {
  const document = await getDocumentProxy(new Uint8Array(pdf));
  const { text } = await extractText(document, { mergePages: false });
  return text;
}
