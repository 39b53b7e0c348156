/**
 * The hosted pages of the Stripe sandbox: a Checkout page with the buyer's fields and a pay button,
 * and a customer-portal page listing the customer's subscriptions with cancel at period end. Plain
 * HTML forms, so a developer can click through the booking flow in sandbox mode.
 */
import type { StripeObject, StripeStore } from './store';

const escape = (value: unknown) => String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const euros = (cents: number, currency: string) => `${(cents / 100).toFixed(2)} ${currency.toUpperCase()}`;

export function renderCheckoutPage(session: StripeObject, store: StripeStore): string {
  const lines = (session._lineItems as Array<{ price: string; quantity: number }>).map((line) => {
    const price = store.prices.get(line.price)!;
    return `<li>${escape(price.nickname ?? price.product)}: ${line.quantity} × ${euros(price.unit_amount, price.currency)} / month</li>`;
  });
  const trial = session._trialEnd ? `<p>Free until ${new Date(session._trialEnd * 1000).toISOString().slice(0, 10)}</p>` : '';
  const form =
    session.status === 'open'
      ? `<form method="post" action="/c/pay/${escape(session.id)}">
  <label>Email <input name="email" value="buchhaltung@example.de"></label>
  <label>Business name <input name="businessName" value=""></label>
  <label>Country <input name="country" value="DE" maxlength="2"></label>
  ${session._taxIdCollection ? '<label>VAT id <input name="vatId" value=""></label>' : ''}
  <label>Card <select name="card"><option value="ok">4242 4242 4242 4242 (pays)</option><option value="declined">4000 0000 0000 0341 (declined)</option></select></label>
  <button type="submit">Subscribe</button>
</form>`
      : `<p>This Checkout Session is ${escape(session.status)}.</p>`;
  return `<!doctype html><meta charset="utf-8"><title>Stripe sandbox Checkout</title><h1>Checkout (Stripe sandbox)</h1><ul>${lines.join('')}</ul>${trial}${form}`;
}

export function renderPortalPage(portal: StripeObject, store: StripeStore): string {
  const rows = store.subscriptionsOf(portal.customer).map((s) => {
    const item = s.items.data[0];
    const action =
      s.status === 'canceled'
        ? 'canceled'
        : `<form method="post" action="/p/session/${escape(portal.id)}/cancel/${escape(s.id)}"><input type="hidden" name="undo" value="${s.cancel_at_period_end}"><button>${s.cancel_at_period_end ? 'Renew' : 'Cancel at period end'}</button></form>`;
    return `<li>${escape(item.price.nickname ?? item.price.product)}: ${escape(s.status)}, period ends ${new Date(item.current_period_end * 1000).toISOString().slice(0, 10)} ${action}</li>`;
  });
  const back = portal.return_url ? `<p><a href="${escape(portal.return_url)}">Return</a></p>` : '';
  return `<!doctype html><meta charset="utf-8"><title>Stripe sandbox customer portal</title><h1>Subscriptions</h1><ul>${rows.join('')}</ul>${back}`;
}
