/**
 * Reads a PDF back for assertions: pdf-lib parses it (so it is a well-formed PDF), and the text
 * shown on each page is recovered from the page content streams (Flate-decoded; pdf-lib writes
 * the standard fonts' text as WinAnsi hex strings).
 */
import { inflateSync } from 'node:zlib';
import { PDFArray, PDFDocument, PDFName, PDFRawStream, type PDFRef } from 'pdf-lib';

/** The parsed document, its page count and the text of each page. */
export async function readPdf(bytes: Uint8Array): Promise<{ pageCount: number; pages: string[]; title: string | undefined }> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  const decoder = new TextDecoder('windows-1252');
  const pages = doc.getPages().map((page) => {
    const contents = page.node.get(PDFName.of('Contents'));
    const refs: PDFRef[] = contents instanceof PDFArray ? (contents.asArray() as PDFRef[]) : [contents as PDFRef];
    let text = '';
    for (const ref of refs) {
      const stream = doc.context.lookup(ref);
      if (!(stream instanceof PDFRawStream)) continue;
      const filter = stream.dict.get(PDFName.of('Filter'));
      const raw = filter === PDFName.of('FlateDecode') ? inflateSync(Buffer.from(stream.contents)) : Buffer.from(stream.contents);
      for (const m of raw.toString('latin1').matchAll(/<([0-9A-Fa-f]*)>\s*Tj/g)) text += `${decoder.decode(Buffer.from(m[1] ?? '', 'hex'))}\n`;
    }
    return text;
  });
  return { pageCount: doc.getPageCount(), pages, title: doc.getTitle() };
}
