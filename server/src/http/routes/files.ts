/**
 * PDF and e-invoice XML downloads for the card's links. A browser opening a link carries no HubSpot
 * signature, so the link itself is signed: HMAC over portal, deal, expiry (and, for the XML, the
 * format) with a key derived from our secret box key; it works for an hour and only for that deal.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import type { AccountingConnections } from '../../accounting/connections';
import { AppError } from '../../errors';
import type { InvoiceRecords } from '../../invoicing/records';
import { rateLimit } from '../middleware/rate-limit';

const linkTtlMs = 60 * 60_000;

export type FileFormat = 'pdf' | 'xml';

export class FileLinks {
  constructor(
    private readonly key: Buffer,
    private readonly baseUrl: () => string,
    private readonly now: () => number = Date.now,
  ) {}

  pdfLink(portalId: string, dealId: string): string {
    return this.link(portalId, dealId, 'pdf');
  }

  /** The e-invoice XML of the deal's invoice (a link of its own: a PDF link does not open the XML, nor the other way round). */
  xmlLink(portalId: string, dealId: string): string {
    return this.link(portalId, dealId, 'xml');
  }

  verify(portalId: string, dealId: string, expires: number, signature: string, format: FileFormat = 'pdf'): boolean {
    if (expires < this.now()) return false;
    const expected = Buffer.from(this.sign(portalId, dealId, expires, format));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  private link(portalId: string, dealId: string, format: FileFormat): string {
    const expires = this.now() + linkTtlMs;
    return `${this.baseUrl()}/files/invoices/${portalId}/${dealId}.${format}?expires=${expires}&signature=${this.sign(portalId, dealId, expires, format)}`;
  }

  private sign(portalId: string, dealId: string, expires: number, format: FileFormat): string {
    // The PDF message stays as it was, so PDF links handed out before the XML existed keep working.
    const message = format === 'pdf' ? `${portalId}:${dealId}:${expires}` : `${portalId}:${dealId}:${expires}:${format}`;
    return createHmac('sha256', this.key).update(message).digest('base64url');
  }
}

/**
 * PDFs fetched for links, kept until the link expires, so opening a link again does not call the
 * vendor with the customer's credentials again. Bounded: at most `maxEntries` documents and
 * `maxBytes`, the oldest dropped first; a fetch already under way is shared.
 */
export class PdfCache {
  private readonly entries = new Map<string, { pdf: Promise<Buffer>; until: number; bytes: number }>();
  private bytes = 0;

  constructor(
    private readonly now: () => number = Date.now,
    private readonly maxEntries = 200,
    private readonly maxBytes = 64 * 1024 * 1024,
  ) {}

  get(key: string, until: number, fetch: () => Promise<Buffer>): Promise<Buffer> {
    const hit = this.entries.get(key);
    if (hit && hit.until > this.now()) return hit.pdf;
    if (hit) this.drop(key);
    const entry = { pdf: fetch(), until, bytes: 0 };
    this.entries.set(key, entry);
    entry.pdf.then(
      (pdf) => {
        if (this.entries.get(key) !== entry) return;
        entry.bytes = pdf.length;
        this.bytes += pdf.length;
        this.evict();
      },
      () => this.entries.get(key) === entry && this.drop(key),
    );
    this.evict();
    return entry.pdf;
  }

  private evict(): void {
    for (const key of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) return;
      this.drop(key);
    }
  }

  private drop(key: string): void {
    this.bytes -= this.entries.get(key)?.bytes ?? 0;
    this.entries.delete(key);
  }
}

const Params = z.object({ portalId: z.string().regex(/^\d+$/), dealId: z.string().regex(/^\d+$/) });
const Query = z.object({ expires: z.coerce.number().int(), signature: z.string().min(1) });

export function fileRoutes(deps: {
  links: FileLinks;
  records: InvoiceRecords;
  connections: AccountingConnections;
  cache?: PdfCache;
  now?: () => number;
}): Router {
  const router = Router();
  const cache = deps.cache ?? new PdfCache(deps.now);
  // Per document: a leaked link cannot make us call the vendor (or serve the file) without limit.
  const perDocument = rateLimit({
    perClient: 20,
    windowMs: 60_000,
    key: (req) => req.path,
    message: 'This document was opened too often; try again in a minute.',
    now: deps.now,
  });
  router.get('/files/invoices/:portalId/:dealId.pdf', perDocument, async (req, res) => {
    const { portalId, dealId } = Params.parse(req.params);
    const { expires, signature } = Query.parse(req.query);
    if (!deps.links.verify(portalId, dealId, expires, signature)) throw new AppError('unauthenticated', 'This download link is not valid or has expired.');
    const record = await deps.records.get(portalId, dealId);
    const connection = await deps.connections.providerFor(portalId);
    if (!record?.documentId || !record.kind || !connection) throw new AppError('not_found', 'No document for this deal.');
    const { documentId, kind } = record;
    const pdf = await cache
      .get(`${portalId}:${dealId}:${documentId}`, expires, () => connection.provider.fetchPdf(documentId, kind))
      .catch((cause: unknown) => {
        throw new AppError('upstream_failed', 'The accounting system did not deliver the PDF.', undefined, { cause });
      });
    res.type('application/pdf').setHeader('content-disposition', `inline; filename="${record.documentNumber ?? dealId}.pdf"`);
    res.send(pdf);
  });
  router.get('/files/invoices/:portalId/:dealId.xml', perDocument, async (req, res) => {
    const { portalId, dealId } = Params.parse(req.params);
    const { expires, signature } = Query.parse(req.query);
    if (!deps.links.verify(portalId, dealId, expires, signature, 'xml'))
      throw new AppError('unauthenticated', 'This download link is not valid or has expired.');
    const record = await deps.records.get(portalId, dealId);
    const eInvoicing = (await deps.connections.providerFor(portalId))?.provider.eInvoicing;
    if (!record?.documentId || record.kind !== 'invoice' || !record.eInvoiceXml || !eInvoicing)
      throw new AppError('not_found', 'No e-invoice XML for this deal.');
    const { documentId } = record;
    const xml = await cache
      .get(`${portalId}:${dealId}:${documentId}:xml`, expires, async () => {
        const text = await eInvoicing.fetchXml(documentId);
        if (text === null) throw new AppError('not_found', 'The accounting system has no e-invoice XML for this invoice.');
        return Buffer.from(text, 'utf8');
      })
      .catch((cause: unknown) => {
        if (cause instanceof AppError) throw cause;
        throw new AppError('upstream_failed', 'The accounting system did not deliver the e-invoice XML.', undefined, { cause });
      });
    res.type('application/xml').setHeader('content-disposition', `attachment; filename="${record.documentNumber ?? dealId}.xml"`);
    res.send(xml);
  });
  return router;
}
