/**
 * In-memory state of the bexio emulator: one company with its user, currencies, taxes and countries
 * (seeded from fixtures/), contacts, invoices (`kb_invoice`) and quotes (`kb_offer`) with payments.
 */
import { zurichTimestamp } from './clock';
import { Money } from './money';
import companyProfiles from './fixtures/v2ListCompanyProfiles.json';
import currencies from './fixtures/ListCurrencies.json';
import countries from './fixtures/v2ListCountries.json';
import taxes from './fixtures/v3ListTaxes.json';
import units from './fixtures/v2ListUnits.json';
import me from './fixtures/v3ShowMe.json';

export type DocumentResource = 'kb_invoice' | 'kb_offer';

export interface StoredContact {
  id: number;
  /** The validated write body (Contact_write fields). */
  fields: Record<string, unknown>;
  nr: string;
  updatedAt: string;
  isDeleted: boolean;
}

/** A contact relation as bexio shows it (docs.bexio.com "Contact Relations"). */
export interface StoredRelation {
  id: number;
  contact_id: number | null;
  contact_sub_id: number | null;
  description: string | null;
  updated_at: string;
}

export type StoredPosition =
  | {
      id: number;
      type: 'KbPositionCustom';
      amount: string;
      unit_price: string;
      discount_in_percent: string;
      tax_id: number;
      text: string;
      unit_id?: number;
      account_id?: number;
    }
  | { id: number; type: 'KbPositionText'; text: string; show_pos_nr: boolean };

export interface StoredPayment {
  id: number;
  date: string;
  value: string;
  bank_account_id: number | null;
  payment_service_id: number | null;
}

export interface StoredDocument {
  resource: DocumentResource;
  id: number;
  documentNr: string;
  /** Validated header fields (title, contact_id, currency_id, mwst_type, is_valid_*, api_reference …). */
  fields: Record<string, unknown>;
  positions: StoredPosition[];
  statusId: number;
  payments: StoredPayment[];
  sentEmails: Array<{ recipient: string; subject: string }>;
  updatedAt: string;
}

/** Draft status per resource (accounting.md §3.4: invoices 7, quotes 1). */
export const draftStatus: Record<DocumentResource, number> = { kb_invoice: 7, kb_offer: 1 };
/** Issued ("pending") status per resource: invoices 8, quotes 2. */
export const pendingStatus: Record<DocumentResource, number> = { kb_invoice: 8, kb_offer: 2 };
/** Number prefixes from the docs samples: "RE-00001" (invoices), "AN-00001" (quotes). */
const numberPrefix: Record<DocumentResource, string> = { kb_invoice: 'RE', kb_offer: 'AN' };

export class BexioStore {
  readonly user = me.data;
  readonly companyProfiles = companyProfiles.data;
  /** Per account (bexio Settings → Currencies): a copy, so that one sandbox's account can add a currency. */
  readonly currencies = currencies.data.map((c) => ({ ...c }));
  readonly taxes = taxes.data;
  readonly countries = countries.data;
  readonly units = units.data;
  readonly contacts = new Map<number, StoredContact>();
  readonly relations = new Map<number, StoredRelation>();
  readonly documents: Record<DocumentResource, Map<number, StoredDocument>> = { kb_invoice: new Map(), kb_offer: new Map() };
  private readonly counters = { contact: 0, relation: 0, kb_invoice: 0, kb_offer: 0, position: 0, payment: 0 };

  constructor(private readonly now: () => number) {}

  timestamp(): string {
    return zurichTimestamp(this.now());
  }

  today(): string {
    return this.timestamp().slice(0, 10);
  }

  createContact(fields: Record<string, unknown>): StoredContact {
    const id = ++this.counters.contact;
    const nr = fields.nr == null || fields.nr === '' ? String(id).padStart(6, '0') : String(fields.nr);
    const contact: StoredContact = { id, fields, nr, updatedAt: this.timestamp(), isDeleted: false };
    this.contacts.set(id, contact);
    return contact;
  }

  editContact(contact: StoredContact, fields: Record<string, unknown>): StoredContact {
    contact.fields = fields;
    if (fields.nr != null && fields.nr !== '') contact.nr = String(fields.nr);
    contact.updatedAt = this.timestamp();
    return contact;
  }

  /** "marked as deleted and can still be accessed by using the show deleted filter" (§3.3). */
  deleteContact(contact: StoredContact): void {
    contact.isDeleted = true;
    contact.updatedAt = this.timestamp();
  }

  createRelation(fields: Omit<StoredRelation, 'id' | 'updated_at'>): StoredRelation {
    const relation: StoredRelation = { id: ++this.counters.relation, ...fields, updated_at: this.timestamp() };
    this.relations.set(relation.id, relation);
    return relation;
  }

  editRelation(relation: StoredRelation, fields: Omit<StoredRelation, 'id' | 'updated_at'>): StoredRelation {
    Object.assign(relation, fields, { updated_at: this.timestamp() });
    return relation;
  }

  /**
   * Creates a document in draft. The number is assigned at creation: the docs' create response sample
   * carries `document_nr`, and so does a live create answer of a draft (kb_item_status_id 7, "RE-00002";
   * github codebar-ag/laravel-bexio tests/Fixtures/Saloon/Invoices/create-an-invoice.json@b68256a4).
   */
  createDocument(resource: DocumentResource, fields: Record<string, unknown>, positions: Array<Omit<StoredPosition, 'id'>>): StoredDocument {
    const id = ++this.counters[resource];
    const doc: StoredDocument = {
      resource,
      id,
      documentNr: `${numberPrefix[resource]}-${String(id).padStart(5, '0')}`,
      fields,
      positions: positions.map((p) => ({ ...p, id: ++this.counters.position }) as StoredPosition),
      statusId: draftStatus[resource],
      payments: [],
      sentEmails: [],
      updatedAt: this.timestamp(),
    };
    this.documents[resource].set(id, doc);
    return doc;
  }

  issue(doc: StoredDocument): void {
    doc.statusId = pendingStatus[doc.resource];
    doc.updatedAt = this.timestamp();
  }

  /** Records a payment and moves the invoice to paid (9) or partially paid (16) against its `total`. */
  addPayment(doc: StoredDocument, payment: Omit<StoredPayment, 'id'>, total: string): StoredPayment {
    const stored = { ...payment, id: ++this.counters.payment };
    doc.payments.push(stored);
    const received = doc.payments.reduce((acc, p) => acc.add(p.value), new Money(0));
    doc.statusId = received.gte(total) ? 9 : 16;
    doc.updatedAt = this.timestamp();
    return stored;
  }

  taxRate(taxId: number): string | undefined {
    const tax = this.taxes.find((t) => t.id === taxId && t.type === 'sales_tax' && t.is_active);
    return tax ? String(tax.value) : undefined;
  }

  roundFactor(currencyId: number): string {
    return String(this.currencies.find((c) => c.id === currencyId)?.round_factor ?? 0.01);
  }
}
