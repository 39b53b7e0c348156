/** In-memory state of the Lexware Office emulator: contacts, sales vouchers, payments, numbering. */
import type { ElectronicDocumentProfile } from './einvoice';
import { randomUUID } from 'node:crypto';
import Decimal from 'decimal.js';
import { lexTimestamp } from './clock';
import { counterpartUnitPrice, voucherTotals, type VoucherTotals } from './totals';
import type { ContactWrite, VoucherCreate } from './validation';
import { newFileId, readOnlyExtras, readPaymentConditions } from './voucher-view';

/** Sales vouchers the emulator keeps; `voucherType` in relatedVouchers and the voucherlist spells them so. */
export type VoucherKind = 'invoice' | 'quotation' | 'creditnote';

export interface StoredContact extends Omit<ContactWrite, 'roles' | 'version'> {
  id: string;
  organizationId: string;
  version: number;
  roles: { customer?: { number: number }; vendor?: { number: number } };
  archived: boolean;
}

export interface StoredVoucher {
  kind: VoucherKind;
  id: string;
  createdAtMs: number;
  updatedAtMs: number;
  version: number;
  /** `paidoff`: a credit note pursued from an invoice and finalized (it settles the invoice's open amount). */
  status: 'draft' | 'open' | 'paid' | 'paidoff' | 'voided';
  voucherNumber: string;
  /** The rendered document's id, shown as the deprecated `files.documentFileId` once out of draft. */
  fileId: string;
  body: VoucherCreate;
  paidDate?: string;
  /** Vouchers linked to this one (an invoice pursuing a quotation links both ways). */
  related: string[];
  /** Read-only `electronicDocumentProfile` (einvoice.ts). */
  profile: ElectronicDocumentProfile;
}

export class LexofficeStore {
  readonly organizationId = randomUUID();
  readonly companyName = 'APIUP Sandbox GmbH';
  /**
   * The organisation's company data (web app settings; the API exposes none of it, GET /v1/profile has no such
   * fields) and its e-invoice setting; tests blank fields to see an XRechnung refused (einvoice.ts).
   */
  readonly company: { taxNumber?: string; vatRegistrationId?: string; street?: string; zip?: string; city?: string; iban?: string; zugferd: boolean } = {
    taxNumber: '30/123/45678',
    vatRegistrationId: 'DE123456789',
    street: 'Friedrichstraße 123',
    zip: '10117',
    city: 'Berlin',
    iban: 'DE89370400440532013000',
    zugferd: true,
  };
  readonly contacts = new Map<string, StoredContact>();
  readonly vouchers = new Map<string, StoredVoucher>();
  private nextCustomerNumber = 10_000;
  private nextVendorNumber = 70_000;
  private readonly nextVoucherNumber: Record<VoucherKind, number> = { invoice: 1, quotation: 1, creditnote: 1 };
  /** Told about every change that Lexware reports as an event (events.ts delivers them to subscribers). */
  onEvent: (eventType: string, resourceId: string) => void = () => undefined;

  constructor(private readonly now: () => number) {}

  createContact(body: ContactWrite): StoredContact {
    const { version: _v, roles, ...rest } = body;
    const contact: StoredContact = {
      ...rest,
      id: randomUUID(),
      organizationId: this.organizationId,
      // POST answers version 1 (docs sample; LX26 live: 0 → 1).
      version: 1,
      roles: {
        customer: roles.customer ? { number: this.nextCustomerNumber++ } : undefined,
        vendor: roles.vendor ? { number: this.nextVendorNumber++ } : undefined,
      },
      archived: false,
    };
    this.contacts.set(contact.id, contact);
    this.onEvent('contact.created', contact.id);
    return contact;
  }

  /** Full replacement; role numbers stay (they are read-only). */
  updateContact(existing: StoredContact, body: ContactWrite): StoredContact {
    const { version: _v, roles, ...rest } = body;
    const updated: StoredContact = {
      ...rest,
      id: existing.id,
      organizationId: existing.organizationId,
      version: existing.version + 1,
      roles: {
        customer: roles.customer ? (existing.roles.customer ?? { number: this.nextCustomerNumber++ }) : undefined,
        vendor: roles.vendor ? (existing.roles.vendor ?? { number: this.nextVendorNumber++ }) : undefined,
      },
      archived: existing.archived,
    };
    this.contacts.set(existing.id, updated);
    this.onEvent('contact.changed', existing.id);
    return updated;
  }

  /**
   * A contact deleted in the web app (the API has no DELETE, accounting.md §1.5): reads answer 404 from now on and
   * subscribers get `contact.deleted` (docs "Event Types").
   */
  deleteContactInWebApp(id: string): void {
    if (!this.contacts.delete(id)) throw new Error(`no contact ${id} in the lexoffice sandbox`);
    this.onEvent('contact.deleted', id);
  }

  createVoucher(kind: VoucherKind, body: VoucherCreate, finalize: boolean, xRechnung = false): StoredVoucher {
    const at = this.now();
    // Drafts already carry their number: docs retrieve sample (a draft, "RE1019"); a draft listed in the
    // voucherlist with its number, measured 2026-08-21 (benethos-hub/lexware-office-mcp SPECS.md).
    const voucherNumber = this.assignNumber(kind);
    const status = finalize ? 'open' : 'draft';
    const profile: ElectronicDocumentProfile = kind !== 'invoice' || !finalize ? 'NONE' : xRechnung ? 'XRechnung' : this.company.zugferd ? 'EN16931' : 'NONE';
    const voucher: StoredVoucher = {
      kind,
      id: randomUUID(),
      createdAtMs: at,
      updatedAtMs: at,
      version: 1,
      status,
      voucherNumber,
      fileId: newFileId(),
      body,
      related: [],
      profile,
    };
    this.vouchers.set(voucher.id, voucher);
    // Event types are spelled with a hyphen for credit notes: `credit-note.created` (docs, Event Subscriptions).
    const eventPrefix = kind === 'creditnote' ? 'credit-note' : kind;
    this.onEvent(`${eventPrefix}.created`, voucher.id);
    // Created with finalize=true, the voucher leaves draft at once: a status change (sandbox choice, UNCONFIRMED).
    if (finalize) this.onEvent(`${eventPrefix}.status.changed`, voucher.id);
    return voucher;
  }

  markPaid(id: string, paidDate: string): void {
    const voucher = this.vouchers.get(id);
    if (!voucher || voucher.kind !== 'invoice') throw new Error(`no invoice ${id} in the lexoffice sandbox`);
    if (voucher.status === 'draft') throw new Error(`invoice ${id} is a draft and cannot be paid`);
    voucher.status = 'paid';
    voucher.paidDate = paidDate;
    voucher.updatedAtMs = this.now();
    voucher.version++;
    this.onEvent('invoice.status.changed', id);
    this.onEvent('payment.changed', id);
  }

  /** An invoice's gross less the finalized credit notes pursued from it. */
  openAmount(invoice: StoredVoucher): Decimal {
    const credited = invoice.related
      .map((id) => this.vouchers.get(id))
      .filter((v): v is StoredVoucher => v?.kind === 'creditnote' && v.status !== 'draft')
      .reduce((sum, v) => sum.plus(this.totals(v).totalGrossAmount), new Decimal(0));
    return this.totals(invoice).totalGrossAmount.minus(credited);
  }

  /**
   * A finalized credit note pursued from the invoice is `paidoff` at once and reduces the invoice's open
   * amount (lazyants/lexware-mcp-server, "Pursue to a Credit Note", after the docs). What the invoice's
   * `voucherStatus` becomes once nothing is open is not documented: it stays as it is here (UNCONFIRMED).
   */
  settleWithCreditNote(invoice: StoredVoucher, note: StoredVoucher): void {
    note.status = 'paidoff';
    invoice.updatedAtMs = this.now();
    invoice.version++;
    this.onEvent('payment.changed', invoice.id);
  }

  totals(voucher: StoredVoucher): VoucherTotals {
    return voucherTotals(voucher.body);
  }

  /** The voucher as GET /v1/invoices/{id} (getInvoice) or GET /v1/quotations/{id} shows it. */
  render(voucher: StoredVoucher): Record<string, unknown> {
    const totals = this.totals(voucher);
    const isGross = voucher.body.taxConditions.taxType === 'gross';
    let custom = 0;
    const lineItems = voucher.body.lineItems.map((l) => {
      if (l.type !== 'custom') return l;
      const unitPrice = { currency: 'EUR', ...counterpartUnitPrice(l, isGross), taxRatePercentage: l.unitPrice.taxRatePercentage };
      return { ...l, unitPrice, discountPercentage: l.discountPercentage ?? 0, lineItemAmount: totals.lineItemAmounts[custom++].toNumber() };
    });
    const { shippingConditions, expirationDate, ...body } = voucher.body;
    return JSON.parse(
      JSON.stringify({
        id: voucher.id,
        organizationId: this.organizationId,
        createdDate: lexTimestamp(voucher.createdAtMs),
        updatedDate: lexTimestamp(voucher.updatedAtMs),
        version: voucher.version,
        language: body.language ?? 'de',
        archived: false,
        voucherStatus: voucher.status,
        voucherNumber: voucher.voucherNumber,
        ...body,
        paymentConditions: readPaymentConditions(body.paymentConditions),
        ...readOnlyExtras(voucher.kind, voucher.body, voucher.status === 'draft', voucher.fileId, voucher.profile),
        relatedVouchers: voucher.related.flatMap((id) => {
          const other = this.vouchers.get(id);
          return other ? [{ id: other.id, voucherNumber: other.voucherNumber, voucherType: other.kind }] : [];
        }),
        address: this.renderAddress(body.address),
        lineItems,
        totalPrice: {
          currency: 'EUR',
          totalNetAmount: totals.totalNetAmount.toNumber(),
          totalGrossAmount: totals.totalGrossAmount.toNumber(),
          totalTaxAmount: totals.totalTaxAmount.toNumber(),
          totalDiscountPercentage: body.totalPrice.totalDiscountPercentage,
        },
        taxAmounts: totals.taxAmounts.map((t) => ({
          taxRatePercentage: t.taxRatePercentage.toNumber(),
          taxAmount: t.taxAmount.toNumber(),
          netAmount: t.netAmount.toNumber(),
        })),
        ...(voucher.kind === 'invoice' ? { shippingConditions } : voucher.kind === 'quotation' ? { expirationDate } : {}),
      }),
    ) as Record<string, unknown>;
  }

  private renderAddress(address: VoucherCreate['address']): Record<string, unknown> {
    const contact = address.contactId ? this.contacts.get(address.contactId) : undefined;
    if (!contact) return address;
    const billing = contact.addresses?.billing?.[0];
    const name = contact.company?.name ?? [contact.person?.firstName, contact.person?.lastName].filter(Boolean).join(' ');
    return { contactId: contact.id, name, ...billing, ...address };
  }

  private assignNumber(kind: VoucherKind): string {
    // Credit notes are numbered GS… (docs retrieve sample "GS0007").
    const prefix = { invoice: 'RE', quotation: 'AG', creditnote: 'GS' }[kind];
    return `${prefix}${String(this.nextVoucherNumber[kind]++).padStart(4, '0')}`;
  }
}
