/** bexio's account reference data: company profile, current user, currencies, taxes, countries (BXD; fixtures/). */
import { Router } from 'express';
import { sendError, sendPage } from './http';
import type { BexioStore } from './store';

export function referenceRoutes(store: BexioStore): Router {
  const router = Router();
  router.get('/2.0/company_profile', (_req, res) => res.json(store.companyProfiles));
  router.get('/3.0/users/me', (_req, res) => res.json(store.user));
  router.get('/3.0/currencies', (_req, res) => res.json(store.currencies));
  router.get('/2.0/country', (req, res) => sendPage(req, res, store.countries, ['id', 'name', 'name_short']));

  // `scope` active|inactive, `types` sales_tax|pre_tax, `date`: taxes valid then (BXD §Taxes).
  router.get('/3.0/taxes', (req, res) => {
    const { scope, types, date } = req.query as Record<string, string | undefined>;
    if (scope !== undefined && scope !== 'active' && scope !== 'inactive') return sendError(res, 422, 'scope: must be active or inactive');
    if (types !== undefined && types !== 'sales_tax' && types !== 'pre_tax') return sendError(res, 422, 'types: must be sales_tax or pre_tax');
    if (date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(date)) return sendError(res, 422, 'date: must be YYYY-MM-DD');
    const year = date ? Number(date.slice(0, 4)) : undefined;
    const rows = store.taxes.filter(
      (t) =>
        (scope === undefined || t.is_active === (scope === 'active')) &&
        (types === undefined || t.type === types) &&
        (year === undefined || (t.start_year <= year && (t.end_year === null || t.end_year >= year))),
    );
    sendPage(req, res, rows, ['id']);
  });
  return router;
}
