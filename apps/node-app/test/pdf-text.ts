/**
 * Reads a PDF back for assertions: pdf-lib parses it (so it is a well-formed PDF), and the text
 * shown on each page is recovered from the page content streams (Flate-decoded; pdf-lib writes
 * the standard fonts' text as WinAnsi hex strings).
 */
import { inflateSync } from 'node:zlib';
import { PDFArray, PDFDocument, PDFName, PDFRawStream, type PDFRef } from 'pdf-lib';

/** Windows-1252 bytes 0x80-0x9F (the rest is Latin-1); `?` where the code page has no character. */
const CP1252_80 = '€?‚ƒ„…†‡ˆ‰Š‹Œ?Ž??‘’“”•–—˜™š›œ?žŸ';

function decodeWinAnsi(bytes: Buffer): string {
  let out = '';
  for (const b of bytes) out += b >= 0x80 && b <= 0x9f ? (CP1252_80[b - 0x80] ?? '?') : String.fromCharCode(b);
  return out;
}

/** The parsed document, its page count and the text of each page. */
export async function readPdf(bytes: Uint8Array): Promise<{ pageCount: number; pages: string[]; title: string | undefined }> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  const pages = doc.getPages().map((page) => {
    const contents = page.node.get(PDFName.of('Contents'));
    const refs: PDFRef[] = contents instanceof PDFArray ? (contents.asArray() as PDFRef[]) : [contents as PDFRef];
    let text = '';
    for (const ref of refs) {
      const stream = doc.context.lookup(ref);
      if (!(stream instanceof PDFRawStream)) continue;
      const filter = stream.dict.get(PDFName.of('Filter'));
      const raw = filter === PDFName.of('FlateDecode') ? inflateSync(Buffer.from(stream.contents)) : Buffer.from(stream.contents);
      for (const m of raw.toString('latin1').matchAll(/<([0-9A-Fa-f]*)>\s*Tj/g)) text += `${decodeWinAnsi(Buffer.from(m[1] ?? '', 'hex'))}\n`;
    }
    return text;
  });
  return { pageCount: doc.getPageCount(), pages, title: doc.getTitle() };
}
