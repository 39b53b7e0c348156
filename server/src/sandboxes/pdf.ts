/** Renders a simple but real PDF for an emulated document (pdfkit), so downloads are genuine PDFs. */
import PDFDocument from 'pdfkit';

export interface PdfDocumentInput {
  vendor: string;
  title: string;
  number?: string;
  date?: string;
  customer: string;
  currency: string;
  lines: Array<{ name: string; quantity: string; unitPrice: string; taxRatePercent: string; total: string }>;
  totals: { net: string; tax: string; gross: string };
}

export function renderPdf(input: PdfDocumentInput): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: input.title, Producer: `${input.vendor} sandbox` } });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.fontSize(18).text(`${input.title}${input.number ? ` ${input.number}` : ''}`);
    doc
      .fontSize(10)
      .text(`${input.vendor} sandbox · ${input.date ?? ''}`)
      .moveDown();
    doc.fontSize(11).text(input.customer).moveDown();
    for (const line of input.lines) {
      doc.text(`${line.quantity} × ${line.name} à ${line.unitPrice} ${input.currency} (${line.taxRatePercent} %) = ${line.total}`);
    }
    doc.moveDown().text(`Net ${input.totals.net} · Tax ${input.totals.tax} · Total ${input.totals.gross} ${input.currency}`);
    doc.end();
  });
}
