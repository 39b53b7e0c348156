/**
 * What the deal card shows before anything exists: the customer that will be used or created, the
 * lines with tax, the totals as the connected vendor will compute them, and each condition.
 */
import { and, eq } from 'drizzle-orm';
import type { CustomerQuery, DraftLine, FieldLimits } from '../accounting/provider';
import { customerLinks } from '../db/schema';
import { matchCustomer } from '../sync/matching';
import { dec, toMoneyString } from '../money/decimal';
import type { DealData, HubspotParty } from './deal-data';
import { buildLines, dealCurrency, decideDraft, evaluateConditions } from './draft';
import { checkCustomer, fitDraft, noticeParams, type FitNotice } from './fit';
import { gatherDeal } from './gather';
import { formatMessage } from './messages';
import { isoDate, type InvoicingDeps } from './process-deal';
import { invoiceReference } from './records';

export interface InvoicePreview {
  customer: { name: string; action: 'use' | 'create' | 'ambiguous' | 'none'; vendorId?: string };
  currency: string;
  lines: Array<DraftLine & { net: string }>;
  totals: { net: string; tax: string; gross: string } | null;
  conditions: Array<{ code: string; passed: boolean; message: string }>;
  skip: { code: string; message: string } | null;
  /**
   * How the draft is fitted to the connected vendor's field limits: moved text (informational) and
   * what cannot be fitted (blocking: the run would skip with this reason).
   */
  notices: Array<{ code: string; blocking: boolean; message: string }>;
}

export async function previewInvoice(deps: InvoicingDeps, portalId: string, dealId: string, locale: 'de' | 'en'): Promise<InvoicePreview> {
  const deal = await gatherDeal(deps.hubspot, deps.taxRates, portalId, dealId);
  const settings = deps.settings.get(portalId).invoice;
  const features = deps.subscriptions.features(portalId);
  const currency = dealCurrency(deal);
  const conditions = features.conditions
    ? evaluateConditions(deal, settings, currency).map((c) => ({ code: c.code, passed: c.passed, message: formatMessage(c.code, locale, c.params) }))
    : [];
  const built = buildLines(deal, settings);
  const lines = 'lines' in built ? built.lines : [];
  const connection = deps.connections.providerFor(portalId);
  const customer = await previewCustomer(deps, portalId, connection, deal.company ?? deal.contact);
  const notices = connection ? fitNotices(deps, portalId, dealId, deal, connection.provider.fieldLimits, customer.action === 'create') : [];
  const blocking = notices.find((n) => n.blocking);
  const skipCode = !features.invoicing ? 'plan_required' : !connection ? 'no_accounting_connection' : 'code' in built ? built.code : (conditions.find((c) => !c.passed)?.code ?? blocking?.code);
  const skipParams = 'code' in built ? built.params : blocking && skipCode === blocking.code ? noticeParams(blocking) : undefined;
  return {
    customer,
    currency,
    lines: lines.map((l) => ({ ...l, net: lineNet(l) })),
    totals: connection && lines.length > 0 ? connection.provider.predictTotals({ lines, priceBasis: 'net', currency }) : null,
    conditions,
    skip: skipCode ? { code: skipCode, message: formatMessage(skipCode, locale, skipParams) } : null,
    notices: notices.map((n) => ({ code: n.code, blocking: n.blocking, message: formatMessage(n.code, locale, noticeParams(n)) })),
  };
}

/** The fitting the run would do, from the same draft the run would build. */
function fitNotices(deps: InvoicingDeps, portalId: string, dealId: string, deal: DealData, limits: FieldLimits, createsCustomer: boolean): FitNotice[] {
  const decision = decideDraft({
    deal,
    settings: deps.settings.get(portalId).invoice,
    features: deps.subscriptions.features(portalId),
    reference: invoiceReference(portalId, dealId),
    today: isoDate(deps.now()),
  });
  if (decision.kind !== 'draft') return [];
  const customer = createsCustomer ? checkCustomer(decision.customer, limits.customer) : [];
  return [...fitDraft(decision.draft, limits.document).notices, ...customer];
}

function lineNet(line: DraftLine): string {
  const gross = dec(line.quantity).times(line.unitPrice);
  const discounted = line.discountPercent ? gross.times(dec(100).minus(line.discountPercent)).dividedBy(100) : gross;
  return toMoneyString(discounted);
}

async function previewCustomer(deps: InvoicingDeps, portalId: string, connection: ReturnType<InvoicingDeps['connections']['providerFor']>, party: HubspotParty | undefined): Promise<InvoicePreview['customer']> {
  if (!party) return { name: '', action: 'none' };
  const c = party.customer;
  const name = c.kind === 'company' ? (c.companyName ?? '') : [c.firstName, c.lastName].filter(Boolean).join(' ');
  if (!connection) return { name, action: 'create' };
  const link = deps.db
    .select()
    .from(customerLinks)
    .where(and(eq(customerLinks.portalId, portalId), eq(customerLinks.objectType, party.objectType), eq(customerLinks.hubspotId, party.id), eq(customerLinks.provider, connection.id)))
    .get();
  if (link) return { name, action: 'use', vendorId: link.vendorId };
  const query: CustomerQuery = c.kind === 'company' ? { kind: 'company', name: c.companyName ?? '' } : { kind: 'person', firstName: c.firstName ?? '', lastName: c.lastName ?? '' };
  const match = matchCustomer(c, await connection.provider.findCustomers(query));
  if (match.kind === 'one') return { name, action: 'use', vendorId: match.match.id };
  return { name, action: match.kind === 'ambiguous' ? 'ambiguous' : 'create' };
}
