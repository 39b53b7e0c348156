/**
 * Stored records → bexio's response JSON (Contact, InvoiceWithDetails, Payment in
 * specs/bexio/openapi.assembled.json), with totals computed by bexio's rule (accounting/bexio/totals.ts).
 */
import { computeBexioTotals, type BexioTotals } from '../../accounting/bexio/totals';
import { dec, sum } from '../../money/decimal';
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

export function documentTotals(store: BexioStore, doc: StoredDocument): BexioTotals {
  const positions = doc.positions.flatMap((p) =>
    p.type === 'KbPositionCustom'
      ? [{ amount: p.amount, unitPrice: p.unit_price, discountPercent: p.discount_in_percent, taxPercent: store.taxRate(p.tax_id) ?? '0' }]
      : [],
  );
  return computeBexioTotals(positions, {
    mwstType: doc.fields.mwst_type as 0 | 1 | 2,
    mwstIsNet: doc.fields.mwst_is_net as boolean,
    roundFactor: store.roundFactor(doc.fields.currency_id as number),
  });
}

export function renderDocument(store: BexioStore, doc: StoredDocument, withPositions = true): Record<string, unknown> {
  const totals = documentTotals(store, doc);
  const received = sum(doc.payments.map((p) => p.value));
  const six = (d: ReturnType<typeof dec>) => d.toFixed(6);
  let customIndex = 0;
  const positions = doc.positions.map((p) => {
    if (p.type === 'KbPositionText') return { ...p, pos: null, internal_pos: doc.positions.indexOf(p) + 1, is_optional: false, parent_id: null };
    const index = customIndex++;
    return {
      ...p,
      amount: six(dec(p.amount)),
      unit_price: six(dec(p.unit_price)),
      discount_in_percent: six(dec(p.discount_in_percent)),
      tax_value: dec(store.taxRate(p.tax_id) ?? '0').toFixed(2),
      position_total: totals.positionTotals[index],
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
    total_gross: six(totals.totalGross),
    total_net: six(totals.totalNet),
    // The docs sample prints total_taxes without padding ("1.3706").
    total_taxes: totals.totalTaxes.toFixed(Math.max(2, totals.totalTaxes.decimalPlaces())),
    ...(doc.resource === 'kb_invoice'
      ? {
          total_received_payments: six(received),
          total_credit_vouchers: six(dec(0)),
          total_remaining_payments: six(totals.total.minus(received).clampedTo(0, Infinity)),
        }
      : {}),
    total: six(totals.total),
    total_rounding_difference: totals.totalRoundingDifference.toNumber(),
    kb_item_status_id: doc.statusId,
    reference: null,
    viewed_by_client_at: null,
    updated_at: doc.updatedAt,
    taxs: totals.taxes.map((t) => ({ percentage: t.percentage.toFixed(2), value: t.value.toFixed(Math.max(2, t.value.decimalPlaces())) })),
    network_link: `https://office.bexio.com/index.php/kb_${doc.resource === 'kb_invoice' ? 'invoice' : 'offer'}/show/id/${doc.id}`,
    ...(withPositions ? { positions } : {}),
  };
}

/** Payment as bexio returns it; `title` is a string in practice (the spec's `integer` is a known defect, SOURCES.md). */
export function renderPayment(doc: StoredDocument, p: StoredPayment): Record<string, unknown> {
  return {
    id: p.id,
    date: p.date,
    value: dec(p.value).toFixed(6),
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
