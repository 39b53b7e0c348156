/**
 * In-memory state of the Qonto emulator: one organisation, its clients, client invoices, rendered
 * attachments and the idempotency keys it has seen (Qonto keeps them 30 minutes).
 */
import { randomUUID } from 'node:crypto';
import organizationFixture from './fixtures/getOrganization.json';
import type { QontoClientRecord, QontoInvoiceRecord } from './types';
import type { InvoiceBody, QuoteBody } from './validation';
import type { WebhookSubscription } from './webhooks';

export type StoredClient = QontoClientRecord;

export interface StoredInvoice {
  invoice: QontoInvoiceRecord;
  /** The create body as received, kept to recompute totals on PATCH. */
  request: InvoiceBody;
  /** The PDF is rendered asynchronously after finalize: hidden from the finalize answer (§4.4). */
  isAttachmentVisible: boolean;
}

/** A credit note (credit-notes.ts), with its positive total for the cumulative check against its invoice. */
export interface StoredCreditNote {
  id: string;
  invoiceId: string;
  record: Record<string, unknown>;
  totalAbs: string;
}

/** A quote (quotes.ts) and the invoices made from it (`quote_id` on the invoice create). */
export interface StoredQuote {
  record: Record<string, unknown> & { id: string; status: string; number: string; terms_and_conditions: string | null };
  request: QuoteBody;
  invoiceIds: string[];
}

export interface StoredAttachment {
  id: string;
  /** The invoice or quote the PDF shows. */
  invoiceId: string;
  quoteId?: string;
  createdAt: string;
  pdf?: Buffer;
  /** Download tokens handed out by GET /v2/attachments/{id}, with their expiry (epoch ms). */
  tokens: Map<string, number>;
}

export const idempotencyWindowMs = 30 * 60_000;
/** Attachment download links are valid 30 minutes (QD retrieve-an-attachment). */
export const downloadLinkValidityMs = 30 * 60_000;

export class QontoStore {
  readonly organization = structuredClone(organizationFixture.organization);
  readonly clients = new Map<string, StoredClient>();
  readonly invoices = new Map<string, StoredInvoice>();
  readonly creditNotes = new Map<string, StoredCreditNote>();
  readonly quotes = new Map<string, StoredQuote>();
  readonly attachments = new Map<string, StoredAttachment>();
  readonly webhookSubscriptions = new Map<string, WebhookSubscription>();
  private readonly idempotencyKeys = new Map<string, { resourceId: string; atMs: number }>();
  private invoiceSequence = 0;

  constructor(readonly now: () => number) {}

  newId(): string {
    return randomUUID();
  }

  isoNow(): string {
    return new Date(this.now()).toISOString();
  }

  today(): string {
    return this.isoNow().slice(0, 10);
  }

  /** Qonto-style numbering, assigned at finalize: INV-<year>-<3-digit sequence>. */
  nextInvoiceNumber(issueDate: string): string {
    this.invoiceSequence += 1;
    return `INV-${issueDate.slice(0, 4)}-${String(this.invoiceSequence).padStart(3, '0')}`;
  }

  /** The resource an earlier request with this key created, within Qonto's 30-minute window. */
  replay(key: string | undefined, scope: string): string | undefined {
    if (!key) return undefined;
    const hit = this.idempotencyKeys.get(`${scope}:${key}`);
    return hit && this.now() - hit.atMs < idempotencyWindowMs ? hit.resourceId : undefined;
  }

  remember(key: string | undefined, scope: string, resourceId: string): void {
    if (key) this.idempotencyKeys.set(`${scope}:${key}`, { resourceId, atMs: this.now() });
  }

  listClients(): StoredClient[] {
    return [...this.clients.values()];
  }

  listInvoices(): StoredInvoice[] {
    return [...this.invoices.values()];
  }
}
