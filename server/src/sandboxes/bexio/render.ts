/**
 * Stored records → bexio's response JSON (Contact, InvoiceWithDetails, Payment in
 * specs/bexio/openapi.assembled.json), with totals by bexio's documented arithmetic (./money.ts).
 */
import { documentSums, fourPlaces, Money, sixPlaces, unpadded, type DocumentSums } from './money';
import type { BexioStore, StoredContact, StoredDocument, StoredPayment } from './store';

/**
 * Unset contact texts come back as "" and unset references as null: a contact created with every
 * optional field null (live company, 2026-06-18; github codebar-ag/laravel-bexio
 * tests/Fixtures/Saloon/Contacts/create-contact.json@b68256a4) answers name_2, postcode, city, mail …
 * remarks with "" and street_name, country_id, language_id, contact_group_ids … with null.
 */
const emptyTexts = [
  'name_2',
  'postcode',
  'city',
  'mail',
  'mail_second',
  'phone_fixed',
  'phone_fixed_second',
  'phone_mobile',
  'fax',
  'url',
  'skype_name',
  'remarks',
] as const;
const nullables = [
  'salutation_id',
  'salutation_form',
  'birthday',
  'street_name',
  'house_number',
  'address_addition',
  'country_id',
  'language_id',
  'contact_group_ids',
  'contact_branch_ids',
] as const;

/**
 * GET one contact, create and edit answer with `profile_image` (base64 PNG; ContactWithDetails in the
 * spec, and in the recorded answers); lists and searches leave it out. The sandbox's image is a 1×1 PNG.
 */
const profileImage = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

export function renderContact(c: StoredContact, withDetails = false): Record<string, unknown> {
  const f = c.fields;
  const text = (key: string) => (f[key] == null ? '' : String(f[key]));
  const ref = (key: string) => (f[key] === undefined ? null : f[key]);
  const street = [f.street_name, f.house_number].filter((v) => v != null && v !== '').join(' ');
  return {
    id: c.id,
    nr: c.nr,
    contact_type_id: f.contact_type_id,
    name_1: f.name_1,
    ...Object.fromEntries(nullables.map((k) => [k, ref(k)])),
    ...Object.fromEntries(emptyTexts.map((k) => [k, text(k)])),
    // Written as `titel_id` (Contact_write), read as `title_id`.
    title_id: f.titel_id ?? f.title_id ?? null,
    // The read model carries the combined `address` line besides street_name/house_number.
    address: street || null,
    is_lead: false,
    user_id: f.user_id,
    owner_id: f.owner_id,
    ...(withDetails ? { profile_image: profileImage } : {}),
    updated_at: c.updatedAt,
  };
}

export function documentTotals(store: BexioStore, doc: StoredDocument): DocumentSums {
  const positions = doc.positions.flatMap((p) =>
    p.type === 'KbPositionCustom'
      ? [{ amount: p.amount, unitPrice: p.unit_price, discountPercent: p.discount_in_percent, taxPercent: store.taxRate(p.tax_id) ?? '0' }]
      : [],
  );
  return documentSums(positions, {
    mwstType: doc.fields.mwst_type as number,
    mwstIsNet: doc.fields.mwst_is_net as boolean,
    roundFactor: store.roundFactor(doc.fields.currency_id as number),
  });
}

/**
 * A document as bexio answers it. Keys, nulls and "" follow the recorded answers of a live company
 * (2026-06-18; github codebar-ag/laravel-bexio tests/Fixtures/Saloon/Invoices/create-an-invoice.json and
 * fetch-an-invoice.json@b68256a4): `project_id` (written as `pr_project_id`), `contact_address`,
 * `esr_id`/`qr_invoice_id` (equal to the invoice id there), `reference` and `template_slug` "" when unset,
 * positions numbered in `pos` including text positions shown with a number.
 */
export function renderDocument(store: BexioStore, doc: StoredDocument, withPositions = true, isCreateAnswer = false): Record<string, unknown> {
  const totals = documentTotals(store, doc);
  const received = doc.payments.reduce((acc, p) => acc.add(p.value), new Money(0));
  const { pr_project_id: projectId, template_slug: templateSlug, ...header } = doc.fields;
  return {
    id: doc.id,
    document_nr: doc.documentNr,
    contact_sub_id: null,
    project_id: projectId ?? null,
    logopaper_id: 1,
    ...header,
    total_gross: sixPlaces(totals.totalGross),
    total_net: sixPlaces(totals.totalNet),
    // Four decimals: the docs sample's "1.3706", the recorded "0.0000" (create-an-invoice.json, fetch-an-invoice.json).
    total_taxes: fourPlaces(totals.totalTaxes),
    ...(doc.resource === 'kb_invoice'
      ? {
          total_received_payments: sixPlaces(received),
          total_credit_vouchers: sixPlaces('0'),
          // Four decimals as recorded ("100.0000").
          total_remaining_payments: fourPlaces(Money.max(totals.total.sub(received), 0)),
        }
      : {}),
    total: sixPlaces(totals.total),
    total_rounding_difference: totals.totalRoundingDifference.toNumber(),
    contact_address: contactAddress(store, doc.fields.contact_id as number),
    kb_item_status_id: doc.statusId,
    reference: '',
    viewed_by_client_at: null,
    updated_at: doc.updatedAt,
    ...(doc.resource === 'kb_invoice' ? { esr_id: doc.id, qr_invoice_id: doc.id } : {}),
    template_slug: templateSlug ?? '',
    taxs: totals.taxs.map((t) => ({ percentage: t.percentage.toFixed(2), value: unpadded(t.value) })),
    network_link: `https://office.bexio.com/index.php/kb_${doc.resource === 'kb_invoice' ? 'invoice' : 'offer'}/show/id/${doc.id}`,
    ...(withPositions ? { positions: renderPositions(store, doc, totals, isCreateAnswer) } : {}),
  };
}

/** Stock quantities (`amount_reserved/_open/_completed`) are null in the create answer and "0.000000" when read back (recorded). */
function renderPositions(store: BexioStore, doc: StoredDocument, totals: DocumentSums, isCreateAnswer: boolean): Array<Record<string, unknown>> {
  const stock = isCreateAnswer ? null : sixPlaces('0');
  let numbered = 0;
  let customIndex = 0;
  return doc.positions.map((p, i) => {
    const common = { internal_pos: i + 1, parent_id: null, is_optional: false };
    if (p.type === 'KbPositionText') {
      return { id: p.id, type: p.type, text: p.text, show_pos_nr: p.show_pos_nr, pos: p.show_pos_nr ? String(++numbered) : null, ...common };
    }
    const unitId = p.unit_id ?? null;
    return {
      id: p.id,
      type: p.type,
      amount: sixPlaces(p.amount),
      amount_reserved: stock,
      amount_open: stock,
      amount_completed: stock,
      unit_id: unitId,
      account_id: p.account_id ?? null,
      unit_name: store.units.find((u) => u.id === unitId)?.name ?? null,
      tax_id: p.tax_id,
      tax_value: new Money(store.taxRate(p.tax_id) ?? '0').toFixed(2),
      text: p.text,
      unit_price: sixPlaces(p.unit_price),
      // Four decimals, as a live company reads it back ("0.0000", fetch-an-invoice.json@b68256a4).
      discount_in_percent: fourPlaces(new Money(p.discount_in_percent)),
      position_total: sixPlaces(totals.positionTotals[customIndex++]),
      pos: String(++numbered),
      ...common,
    };
  });
}

/** The recipient block bexio prints: name, street line, postcode and city, country name (recorded `contact_address`). */
function contactAddress(store: BexioStore, contactId: number): string {
  const contact = store.contacts.get(contactId);
  if (!contact) return '';
  const f = contact.fields;
  const name = f.contact_type_id === 2 ? [f.name_2, f.name_1].filter(Boolean).join(' ') : String(f.name_1);
  const street = [f.street_name, f.house_number].filter(Boolean).join(' ');
  const place = [f.postcode, f.city].filter((v) => v != null && v !== '').join(' ');
  const country = store.countries.find((c) => c.id === f.country_id)?.name;
  return [name, street, place, country].filter(Boolean).join('\n');
}

/** Payment as bexio returns it; `title` is a string in practice (the spec's `integer` is a known defect, SOURCES.md). */
export function renderPayment(doc: StoredDocument, p: StoredPayment): Record<string, unknown> {
  return {
    id: p.id,
    date: p.date,
    value: sixPlaces(p.value),
    bank_account_id: p.bank_account_id,
    title: 'Received Payment',
    payment_service_id: p.payment_service_id,
    is_client_account_redemption: false,
    is_cash_discount: false,
    kb_invoice_id: doc.id,
    kb_credit_voucher_id: null,
    kb_bill_id: null,
    kb_credit_voucher_text: '',
  };
}
