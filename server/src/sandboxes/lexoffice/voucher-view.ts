/**
 * Read-only fields Lexware adds when a sales voucher is read back (GET /v1/invoices/{id},
 * /v1/quotations/{id}, voucherlist rows), beyond what was sent.
 */
import { randomUUID } from 'node:crypto';
import { lexMidnight } from './clock';
import type { VoucherCreate } from './validation';

type PaymentConditions = NonNullable<VoucherCreate['paymentConditions']>;

/**
 * Without `paymentConditions` the organisation's (or contact's) default applies (docs "Create an
 * Invoice", accounting.md §1.6; a create without them was measured to succeed on 2026-08-21,
 * benethos-hub/lexware-office-mcp SPECS.md). The sandbox
 * organisation's default is immediate payment (its own setting; a real account may differ).
 */
const organizationDefault = { paymentTermLabel: 'Zahlbar sofort, rein netto', paymentTermLabelTemplate: 'Zahlbar sofort, rein netto', paymentTermDuration: 0 };

/**
 * Read back, the conditions carry `paymentTermLabelTemplate` (docs getInvoice sample; live shape of
 * 2026-10-10, benethos-hub/lexware-office-mcp live/shapes). With a cash discount the docs sample shows
 * the template below; without one the sandbox repeats the label (UNCONFIRMED).
 */
export function readPaymentConditions(sent: PaymentConditions | undefined): Record<string, unknown> {
  if (!sent) return organizationDefault;
  const template = sent.paymentDiscountConditions ? '{discountRange} Tage -{discount}, {paymentRange} Tage netto' : (sent.paymentTermLabel ?? '');
  return { ...sent, paymentTermLabelTemplate: template };
}

/** `dueDate`: voucher date plus the payment term, German midnight (docs voucherlist sample: 14.05. + 10 days → 24.05.). */
export function dueDateOf(body: VoucherCreate): string {
  const days = Number(body.paymentConditions?.paymentTermDuration ?? organizationDefault.paymentTermDuration);
  const day = new Date(Date.parse(`${body.voucherDate.slice(0, 10)}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
  return lexMidnight(day);
}

/**
 * Fields a live read carries beyond the docs' lean retrieve sample (live shape of 2026-10-10,
 * benethos-hub/lexware-office-mcp live/shapes; docs "Invoices Properties"): `electronicDocumentProfile`
 * (NONE for plain documents and drafts) and `relatedVouchers` on every sales voucher, `closingInvoice`
 * on invoices. Once out of draft: `dueDate` and the deprecated `files.documentFileId`; a draft has
 * neither (measured 2026-08-21, same repository's SPECS.md).
 */
export function readOnlyExtras(
  kind: 'invoice' | 'quotation' | 'creditnote',
  body: VoucherCreate,
  isDraft: boolean,
  fileId: string,
  profile = 'NONE',
): Record<string, unknown> {
  return {
    electronicDocumentProfile: profile,
    relatedVouchers: [],
    ...(kind === 'invoice' ? { closingInvoice: false } : {}),
    // A credit note has no due date (docs credit-note sample).
    ...(isDraft ? {} : { ...(kind === 'creditnote' ? {} : { dueDate: dueDateOf(body) }), files: { documentFileId: fileId } }),
  };
}

export const newFileId = (): string => randomUUID();
