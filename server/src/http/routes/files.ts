/**
 * PDF downloads for the card's link. A browser opening a link carries no HubSpot signature, so the
 * link itself is signed: HMAC over portal, deal and expiry with a key derived from our secret box
 * key; it works for an hour and only for that deal.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import type { AccountingConnections } from '../../accounting/connections';
import { AppError } from '../../errors';
import type { InvoiceRecords } from '../../invoicing/records';

const linkTtlMs = 60 * 60_000;

export class FileLinks {
  constructor(private readonly key: Buffer, private readonly baseUrl: () => string, private readonly now: () => number = Date.now) {}

  pdfLink(portalId: string, dealId: string): string {
    const expires = this.now() + linkTtlMs;
    return `${this.baseUrl()}/files/invoices/${portalId}/${dealId}.pdf?expires=${expires}&signature=${this.sign(portalId, dealId, expires)}`;
  }

  verify(portalId: string, dealId: string, expires: number, signature: string): boolean {
    if (expires < this.now()) return false;
    const expected = Buffer.from(this.sign(portalId, dealId, expires));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  private sign(portalId: string, dealId: string, expires: number): string {
    return createHmac('sha256', this.key).update(`${portalId}:${dealId}:${expires}`).digest('base64url');
  }
}

const Params = z.object({ portalId: z.string().regex(/^\d+$/), dealId: z.string().regex(/^\d+$/) });
const Query = z.object({ expires: z.coerce.number().int(), signature: z.string().min(1) });

export function fileRoutes(deps: { links: FileLinks; records: InvoiceRecords; connections: AccountingConnections }): Router {
  const router = Router();
  router.get('/files/invoices/:portalId/:dealId.pdf', async (req, res) => {
    const { portalId, dealId } = Params.parse(req.params);
    const { expires, signature } = Query.parse(req.query);
    if (!deps.links.verify(portalId, dealId, expires, signature)) throw new AppError('unauthenticated', 'This download link is not valid or has expired.');
    const record = deps.records.get(portalId, dealId);
    const connection = deps.connections.providerFor(portalId);
    if (!record?.documentId || !record.kind || !connection) throw new AppError('not_found', 'No document for this deal.');
    const pdf = await connection.provider.fetchPdf(record.documentId, record.kind).catch((cause: unknown) => {
      throw new AppError('upstream_failed', 'The accounting system did not deliver the PDF.', undefined, { cause });
    });
    res.type('application/pdf').setHeader('content-disposition', `inline; filename="${record.documentNumber ?? dealId}.pdf"`);
    res.send(pdf);
  });
  return router;
}
