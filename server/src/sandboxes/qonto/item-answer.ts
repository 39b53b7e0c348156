/**
 * The item object of Qonto's document answers (client invoice, quote, credit note), from the docs' retrieve
 * samples, with the emulator's own line amounts. A credit note's items carry the negated amounts ("the system
 * will negate them", create-a-credit-note); only the quote sample's discount shows `amount_cents`.
 */
import { cents, computeInvoiceAmounts, type InvoiceAmounts, type LineAmounts } from './money';
import type { ItemBody } from './validation';

export const eur = (value: string) => ({ value, currency: 'EUR' });

/** `-x` for a positive amount, unchanged for zero. */
export const negate = (value: string) => (value.startsWith('-') ? value.slice(1) : /^0(\.0+)?$/.test(value) ? value : `-${value}`);

/** The emulator's amounts for a request's items. */
export function amountsOf(items: ItemBody[]): InvoiceAmounts {
  return computeInvoiceAmounts(items.map((i) => ({ quantity: i.quantity, unitPrice: i.unit_price.value, vatRate: i.vat_rate, discount: i.discount })));
}

export function itemAnswer(item: ItemBody, t: LineAmounts, options: { negative?: boolean; discountCents?: boolean } = {}) {
  const sign = options.negative ? negate : (value: string) => value;
  const signedCents = (value: string) => (options.negative ? -cents(value) : cents(value));
  return {
    title: item.title,
    description: item.description ?? null,
    quantity: sign(item.quantity),
    unit: item.unit ?? null,
    unit_price: eur(t.unitPrice),
    unit_price_cents: cents(t.unitPrice),
    vat_rate: item.vat_rate,
    vat_exemption_reason: item.vat_exemption_reason ?? null,
    discount: item.discount ? { ...item.discount, amount: eur(t.discount), ...(options.discountCents ? { amount_cents: cents(t.discount) } : {}) } : null,
    subtotal: eur(sign(t.subtotal)),
    subtotal_cents: signedCents(t.subtotal),
    total_vat: eur(sign(t.vat)),
    total_vat_cents: signedCents(t.vat),
    total_amount: eur(sign(t.total)),
    total_amount_cents: signedCents(t.total),
  };
}
