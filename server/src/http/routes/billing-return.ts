/**
 * `GET /billing/return`: where Stripe Checkout and the customer portal send the buyer back. It only
 * says what happens next; the package state changes when Stripe's signed webhook arrives, never here.
 */
import { Router } from 'express';

const texts = {
  success: {
    de: 'Danke! Die Zahlung wird bestätigt; das Paket erscheint gleich als gebucht. Sie können dieses Fenster schließen.',
    en: 'Thank you! The payment is being confirmed; the package shows as booked in a moment. You can close this window.',
  },
  cancelled: { de: 'Die Buchung wurde abgebrochen. Sie können dieses Fenster schließen.', en: 'The booking was cancelled. You can close this window.' },
  portal: { de: 'Sie können dieses Fenster schließen.', en: 'You can close this window.' },
} as const;

export function billingReturnRoute(): Router {
  const router = Router();
  router.get('/billing/return', (req, res) => {
    const kind = req.query.checkout === 'success' ? 'success' : req.query.checkout === 'cancelled' ? 'cancelled' : 'portal';
    const lang = String(req.headers['accept-language'] ?? '')
      .toLowerCase()
      .startsWith('de')
      ? 'de'
      : 'en';
    res.type('text/plain; charset=utf-8').send(texts[kind][lang]);
  });
  return router;
}
