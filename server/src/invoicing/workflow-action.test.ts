import { describe, expect, it } from 'vitest';
import { noteBody, reachedEvents } from './deal-timeline';
import type { InvoiceRecord } from './records';
import { answersRequest, documentKindOf, outputsFor } from './workflow-action';

const invoice = {
  portalId: '24681357',
  dealId: '9001',
  status: 'created',
  kind: 'invoice',
  documentId: 'c8a1f0e2-0a6e-4b64-9d7b-3f1f2c1d4e5f',
  documentNumber: 'RE-2027-0042',
  totalGross: '12543.81',
  currency: 'EUR',
  emailSentAt: null,
  paidDate: null,
  reasonCode: null,
  reasonDetail: null,
} as unknown as InvoiceRecord;

describe('workflow action answers', () => {
  it('gives the document number and status when the deal has its document', () => {
    expect(outputsFor({ ...invoice, status: 'sent' }, 'de')).toEqual({
      hs_execution_state: 'SUCCESS',
      document_number: 'RE-2027-0042',
      document_status: 'sent',
      failure_reason: '',
    });
  });

  it('fails and continues with the reason in the portal language when no document was made', () => {
    const skipped = { ...invoice, status: 'skipped', documentId: null, documentNumber: null, reasonCode: 'no_customer' } as InvoiceRecord;
    expect(outputsFor(skipped, 'en')).toEqual({
      hs_execution_state: 'FAIL_CONTINUE',
      document_number: '',
      document_status: 'skipped',
      failure_reason: 'The deal has no associated company or contact.',
    });
    expect(outputsFor(undefined, 'de')).toMatchObject({
      hs_execution_state: 'FAIL_CONTINUE',
      document_status: 'failed',
      failure_reason: 'Es wurde kein Dokument erstellt.',
    });
  });

  it('never reports a document that is still being created as done', () => {
    expect(outputsFor({ ...invoice, status: 'creating' }, 'en').hs_execution_state).toBe('FAIL_CONTINUE');
    expect(answersRequest({ ...invoice, status: 'creating' }, 'invoice')).toBe(false);
  });

  it('answers at once only when the deal already has what was asked for', () => {
    expect(answersRequest(invoice, 'invoice')).toBe(true);
    expect(answersRequest(invoice, 'quote')).toBe(true);
    const quotation = { ...invoice, kind: 'quotation', documentNumber: 'AN-2027-0007' } as InvoiceRecord;
    expect(answersRequest(quotation, 'quote')).toBe(true);
    // An invoice asked for on a deal with its quotation: the invoice follows the quotation, so the job runs.
    expect(answersRequest(quotation, 'invoice')).toBe(false);
    expect(answersRequest({ ...invoice, status: 'cancelled' }, 'invoice')).toBe(false);
    expect(answersRequest(undefined, 'invoice')).toBe(false);
  });

  it('maps the input "quote" to a quotation', () => {
    expect(documentKindOf('quote')).toBe('quotation');
    expect(documentKindOf('invoice')).toBe('invoice');
  });
});

describe('deal notes', () => {
  it('lists the events a record has reached, in order', () => {
    expect(reachedEvents({ ...invoice, status: 'creating' })).toEqual([]);
    expect(reachedEvents(invoice)).toEqual(['created']);
    expect(reachedEvents({ ...invoice, status: 'paid', emailSentAt: 1_700_000_000_000, paidDate: '2027-04-14' })).toEqual(['created', 'sent', 'paid']);
    // A quotation is never paid.
    expect(reachedEvents({ ...invoice, kind: 'quotation', paidDate: '2027-04-14' } as InvoiceRecord)).toEqual(['created']);
  });

  it('writes the note in the portal language and escapes what comes from the vendor', () => {
    expect(noteBody(invoice, 'created', 'de')).toBe('<p><strong>APIUP</strong>: Rechnung RE-2027-0042 in der Buchhaltung erstellt (brutto 12543.81 EUR).</p>');
    expect(noteBody({ ...invoice, paidDate: '2027-04-14' }, 'paid', 'en')).toBe('<p><strong>APIUP</strong>: Invoice RE-2027-0042 paid on 2027-04-14.</p>');
    expect(noteBody({ ...invoice, documentNumber: 'RE<1>&"2"' }, 'sent', 'en')).toBe(
      '<p><strong>APIUP</strong>: Invoice RE&#60;1&#62;&#38;&#34;2&#34; sent to the customer by e-mail.</p>',
    );
  });
});
