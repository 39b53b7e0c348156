/**
 * Stored records → bexio's response JSON (Contact, InvoiceWithDetails, Payment in
 * specs/bexio/openapi.assembled.json), with totals by bexio's documented arithmetic (./money.ts).
 */
import { documentSums, Money, sixPlaces, unpadded, type DocumentSums } from './money';
import type { BexioStore, StoredContact, StoredDocument, StoredPayment } from './store';

const contactDefaults = {
  name_2: null, salutation_id: null, salutation_form: null, title_id: null, birthday: null,
  street_name: null, house_number: null, address_addition: null, postcode: null, city: null, country_id: null,
  mail: null, mail_second: null, phone_fixed: null, phone_fixed_second: null, phone_mobile: null, fax: null,
  url: null, skype_name: null, remarks: null, language_id: null, contact_group_ids: null, contact_branch_ids: null,
};

export function renderContact(c: StoredContact): Record<string, unknown> {
  const f = { ...contactDefaults, ...c.fields } as Record<string, unknown>;
  const { titel_id: titleId, ...rest } = f;
  const street = [f.street_name, f.house_number].filter((v) => v != null && v !== '').join(' ');
  return {
    id: c.id,
    ...rest,
    nr: c.nr,
    title_id: titleId ?? f.title_id ?? null,
    postcode: f.postcode == null ? null : String(f.postcode),
    // The read model carries the combined `address` line (Contact schema) besides street_name/house_number.
    address: street || null,
    is_lead: false,
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

export function renderDocument(store: BexioStore, doc: StoredDocument, withPositions = true): Record<string, unknown> {
  const totals = documentTotals(store, doc);
  const received = doc.payments.reduce((acc, p) => acc.add(p.value), new Money(0));
  let customIndex = 0;
  const positions = doc.positions.map((p) => {
    if (p.type === 'KbPositionText') return { ...p, pos: null, internal_pos: doc.positions.indexOf(p) + 1, is_optional: false, parent_id: null };
    const index = customIndex++;
    return {
      ...p,
      amount: sixPlaces(p.amount),
      unit_price: sixPlaces(p.unit_price),
      discount_in_percent: sixPlaces(p.discount_in_percent),
      tax_value: new Money(store.taxRate(p.tax_id) ?? '0').toFixed(2),
      position_total: sixPlaces(totals.positionTotals[index]),
      pos: String(index + 1),
      internal_pos: doc.positions.indexOf(p) + 1,
      is_optional: false,
      parent_id: null,
    };
  });
  return {
    id: doc.id,
    document_nr: doc.documentNr,
    contact_sub_id: null,
    project_id: null,
    logopaper_id: 1,
    ...doc.fields,
    total_gross: sixPlaces(totals.totalGross),
    total_net: sixPlaces(totals.totalNet),
    // The docs sample prints total_taxes without padding ("1.3706").
    total_taxes: unpadded(totals.totalTaxes),
    ...(doc.resource === 'kb_invoice'
      ? {
          total_received_payments: sixPlaces(received),
          total_credit_vouchers: sixPlaces('0'),
          total_remaining_payments: sixPlaces(Money.max(totals.total.sub(received), 0)),
        }
      : {}),
    total: sixPlaces(totals.total),
    total_rounding_difference: totals.totalRoundingDifference.toNumber(),
    kb_item_status_id: doc.statusId,
    reference: null,
    viewed_by_client_at: null,
    updated_at: doc.updatedAt,
    taxs: totals.taxs.map((t) => ({ percentage: t.percentage.toFixed(2), value: unpadded(t.value) })),
    network_link: `https://office.bexio.com/index.php/kb_${doc.resource === 'kb_invoice' ? 'invoice' : 'offer'}/show/id/${doc.id}`,
    ...(withPositions ? { positions } : {}),
  };
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
