/**
 * In-memory data of the sevDesk emulator: contacts with their addresses and communication ways,
 * invoices with positions, sent e-mails, and the account's user and company. Ids are numeric
 * strings as sevDesk returns them (accounting.md §2.2).
 */
import { computeInvoiceSums, type DocumentDiscount, type InvoiceSums } from './money';

export interface SevClientData {
  id: string;
  name: string;
  addressStreet: string | null;
  addressZip: string | null;
  addressCity: string | null;
  bankIban: string | null;
  bankBic: string | null;
  contactEmail: string | null;
  contactPhone: string | null;
  taxNumber: string | null;
  vatNumber: string | null;
}

export interface StoredContact {
  id: string;
  name?: string;
  surename?: string;
  familyname?: string;
  /** Salutation line, e.g. "Herr" (sic, SVS `titel`). */
  titel?: string;
  description?: string;
  name2?: string;
  customerNumber?: string;
  vatNumber?: string;
  /** Leitweg-ID / buyer reference (SVS Model_Contact `buyerReference`), needed for e-invoices. */
  buyerReference?: string;
  categoryId: string;
  parentId?: string;
  status: string;
  createdMs: number;
  updatedMs: number;
}

export interface StoredAddress {
  id: string;
  contactId: string;
  street?: string;
  zip?: string;
  city?: string;
  countryId: string;
  categoryId?: string;
  createdMs: number;
  updatedMs: number;
}

export interface StoredWay {
  id: string;
  contactId: string;
  type: 'EMAIL' | 'PHONE' | 'WEB' | 'MOBILE';
  value: string;
  keyId: string;
  main: boolean;
  createdMs: number;
  updatedMs: number;
}

export interface StoredPosition {
  id: string;
  name?: string;
  text?: string;
  /** Decimal strings, as parsed from the JSON numbers. */
  quantity: string;
  price: string;
  taxRate: string;
  discount?: string;
  unityId: string;
  positionNumber: number;
}

export interface StoredInvoice {
  id: string;
  invoiceNumber?: string;
  /** RE normal, SR cancellation invoice (SVS Invoice tag, "Types and status of invoices"). */
  invoiceType: 'RE' | 'SR';
  /** The order (`createInvoiceFromOrder`) or invoice (`cancelInvoice`) this one came from. */
  origin?: { id: string; objectName: 'Order' | 'Invoice' };
  /** Set by `cancelInvoice`: the source invoice's status "changes to 'cancelled'" (SVS `cancelInvoice`). */
  cancelledById?: string;
  contactId: string;
  contactPersonId: string;
  /** `YYYY-MM-DD`. */
  invoiceDate: string;
  status: '100' | '200' | '750' | '1000';
  header?: string;
  headText?: string;
  footText?: string;
  timeToPay?: number;
  /** Early-payment (Skonto) percent and days: `invoice.discount` / `discountTime`, not a price discount (money.md §4.1). */
  cashDiscountPercent?: number;
  discountTime?: number;
  currency: string;
  showNet: boolean;
  taxRuleId?: string;
  taxType?: string;
  taxText: string;
  addressCountryId: string;
  customerInternalNote?: string;
  /** `propertyIsEInvoice` (SVS Model_Invoice): created as an e-invoice; `getXml` serves its XML. */
  isEInvoice: boolean;
  paymentMethodId?: string;
  address?: { street?: string; zip?: string; city?: string };
  positions: StoredPosition[];
  /** `discountSave[]` entries (SVS `saveInvoice`). */
  discounts: DocumentDiscount[];
  totals: InvoiceSums;
  sendType?: string;
  sendDateMs?: number;
  /** `YYYY-MM-DD`, once paid. */
  payDate?: string;
  paidAmount?: string;
  createdMs: number;
  updatedMs: number;
}

/**
 * An order (SVS Order tag): AN estimate/proposal, AB order confirmation, LI delivery note. Status 100
 * draft, 200 delivered, 300 rejected, 500 accepted, 750 partially calculated, 1000 calculated.
 */
export interface StoredOrder {
  id: string;
  orderNumber: string;
  orderType: 'AN' | 'AB' | 'LI';
  contactId: string;
  contactPersonId: string;
  /** `YYYY-MM-DD`. */
  orderDate: string;
  status: '100' | '200' | '300' | '500' | '750' | '1000';
  header: string;
  headText?: string;
  footText?: string;
  currency: string;
  showNet: boolean;
  taxRuleId?: string;
  taxType?: string;
  taxText: string;
  addressCountryId: string;
  customerInternalNote?: string;
  version: number;
  positions: StoredPosition[];
  totals: InvoiceSums;
  sendType?: string;
  sendDateMs?: number;
  createdMs: number;
  updatedMs: number;
}

export interface StoredEmail {
  id: number;
  invoiceId: string;
  to: string;
  subject: string;
  text: string;
  createdMs: number;
}

export class SevdeskStore {
  readonly contacts = new Map<string, StoredContact>();
  readonly addresses = new Map<string, StoredAddress>();
  readonly ways = new Map<string, StoredWay>();
  readonly invoices = new Map<string, StoredInvoice>();
  readonly orders = new Map<string, StoredOrder>();
  readonly emails: StoredEmail[] = [];
  /** The account's only user (contactPerson of invoices) and the company behind the token. */
  readonly user = { id: '1001', username: 'sandbox@apiup.example' };
  /**
   * The account (SevClient) with the company data an e-invoice needs, complete by default; the fields are the
   * ones SVS lists under `propertyIsEInvoice` ("sevClient": addressStreet … vatNumber). Tests blank them.
   */
  readonly client: SevClientData = {
    id: '501',
    name: 'APIUP Sandbox GmbH',
    addressStreet: 'Friedrichstraße 123',
    addressZip: '10117',
    addressCity: 'Berlin',
    bankIban: 'DE89370400440532013000',
    bankBic: 'COBADEFFXXX',
    contactEmail: 'buchhaltung@apiup-sandbox.example',
    contactPhone: '+49 30 1234567',
    taxNumber: '30/123/45678',
    vatNumber: 'DE123456789',
  };
  private nextId = 10_000;
  private nextInvoiceNumber = 1001;

  constructor(private readonly now: () => number) {}

  newId(): string {
    return String(this.nextId++);
  }

  timestamp(): number {
    return this.now();
  }

  /** Numbers follow `RE-<n>`; assigned when the invoice leaves draft (accounting.md §2.4, §8.4: our reading). */
  assignNumber(invoice: StoredInvoice): void {
    invoice.invoiceNumber ??= `RE-${this.nextInvoiceNumber++}`;
  }

  /** The sums sevDesk stores with an invoice (money.ts). */
  static totalsOf(showNet: boolean, positions: StoredPosition[], discounts: DocumentDiscount[] = []): InvoiceSums {
    return computeInvoiceSums(showNet, positions, discounts);
  }

  isContactReferenced(contactId: string): boolean {
    return (
      [...this.invoices.values(), ...this.orders.values()].some((i) => i.contactId === contactId) ||
      [...this.contacts.values()].some((c) => c.parentId === contactId)
    );
  }
}
