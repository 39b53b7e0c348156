/**
 * Tax rate library (spec taxRates.json: `GET /tax-rates/v1/tax-rates`, `/{taxRateGroupId}`; hubspot.md §6.6),
 * seeded per portal from fixtures/tax-rates.json with 19 %, 7 % and 0 %.
 */
import { Router } from 'express';
import { authOf } from './context';
import { notFound } from './errors';
import { intParam } from './request-helpers';
import { isoTime, type TaxRateDef } from './store';

export function taxRatesRouter(): Router {
  const router = Router();

  router.get('/tax-rates/v1/tax-rates', (req, res) => {
    const { portal } = authOf(res);
    const limit = Math.min(intParam(req.query.limit, 100, 'limit'), 100);
    const offset = intParam(req.query.after, 0, 'after');
    const active = req.query.active === undefined ? undefined : String(req.query.active) === 'true';
    const all = portal.taxRates.filter((r) => active === undefined || r.active === active);
    res.json({
      results: all.slice(offset, offset + limit).map(toPublicTaxRate),
      ...(offset + limit < all.length ? { paging: { next: { after: String(offset + limit) } } } : {}),
    });
  });

  router.get('/tax-rates/v1/tax-rates/:taxRateGroupId', (req, res) => {
    const rate = authOf(res).portal.taxRates.find((r) => r.id === req.params.taxRateGroupId);
    if (!rate) throw notFound(`Tax rate ${req.params.taxRateGroupId} not found`);
    res.json(toPublicTaxRate(rate));
  });

  return router;
}

/** `percentageRate` is a JSON number in the spec; the decimal string converts exactly for library rates like 19 or 7.7. */
function toPublicTaxRate(rate: TaxRateDef) {
  return {
    id: rate.id,
    name: rate.name,
    label: rate.label,
    percentageRate: Number(rate.percentageRate),
    active: rate.active,
    createdAt: isoTime(rate.createdAt),
    updatedAt: isoTime(rate.updatedAt),
  };
}
