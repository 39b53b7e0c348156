/**
 * Account details of the HubSpot sandbox: `GET /account-info/v3/details` as HubSpot documents it (spec
 * accountInfo.json, PortalInformationResponse, every field required; scope `oauth`;
 * https://developers.hubspot.com/docs/api-reference/latest/account/account-information/get-account-details).
 * `companyCurrency` is what a deal without `deal_currency_code` is in; a portal starts with EUR, Europe/Berlin
 * and EU hosting, and `/_sandbox/portals/:portalId/account-details` changes its currencies and time zone.
 */
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { authOf } from './context';
import { requireAnyScope } from './scopes';

export interface AccountDetails {
  companyCurrency: string;
  additionalCurrencies: string[];
  timeZone: string;
}

const AccountDetailsPatch = z.object({
  companyCurrency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .optional(),
  additionalCurrencies: z.array(z.string().regex(/^[A-Z]{3}$/)).optional(),
  timeZone: z.string().min(1).optional(),
});

const defaults: AccountDetails = { companyCurrency: 'EUR', additionalCurrencies: [], timeZone: 'Europe/Berlin' };

/** The spec's `security` for the operation: `oauth` only. */
const acceptedScopes = ['oauth'];

/** `authenticate` and `limit` are the sandbox's bearer-auth and rate-limit middleware, so the call counts like every other. */
export function accountInfoRouter(now: () => number, authenticate: RequestHandler, limit: RequestHandler): Router {
  const router = Router();
  const byPortal = new Map<number, AccountDetails>();
  const detailsOf = (portalId: number) => byPortal.get(portalId) ?? defaults;

  router.get(
    '/account-info/v3/details',
    authenticate,
    requireAnyScope(acceptedScopes, (res) => authOf(res).scopes),
    limit,
    (_req, res) => {
      const portalId = authOf(res).portal.portalId;
      const details = detailsOf(portalId);
      const offsetMs = utcOffsetMs(details.timeZone, now());
      res.json({
        portalId,
        accountType: 'STANDARD',
        timeZone: details.timeZone,
        companyCurrency: details.companyCurrency,
        additionalCurrencies: details.additionalCurrencies,
        utcOffset: formatOffset(offsetMs),
        utcOffsetMilliseconds: offsetMs,
        uiDomain: 'app-eu1.hubspot.com',
        dataHostingLocation: 'eu1',
      });
    },
  );

  router.put('/_sandbox/portals/:portalId/account-details', (req, res) => {
    const parsed = AccountDetailsPatch.safeParse(req.body);
    if (!parsed.success) return res.status(400).json({ error: 'companyCurrency, additionalCurrencies (ISO 4217) or timeZone', issues: parsed.error.issues });
    const portalId = Number(req.params.portalId);
    const next = { ...detailsOf(portalId), ...parsed.data };
    byPortal.set(portalId, next);
    res.json(next);
  });

  return router;
}

/** The zone's offset from UTC at `at` (daylight saving included), from the runtime's time zone data. */
function utcOffsetMs(timeZone: string, at: number): number {
  const name =
    new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  if (!match) return 0;
  return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 3_600_000 + Number(match[3]) * 60_000);
}

function formatOffset(ms: number): string {
  const sign = ms < 0 ? '-' : '+';
  const minutes = Math.abs(ms) / 60_000;
  return `${sign}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
