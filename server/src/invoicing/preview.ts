/**
 * What the deal card shows before anything exists: the customer that will be used or created, the
 * lines with tax, the totals as the connected vendor will compute them, and each condition.
 */
import { and, eq } from 'drizzle-orm';
import type { CustomerQuery, DraftLine } from '../accounting/provider';
import { customerLinks } from '../db/schema';
import { matchCustomer } from '../sync/matching';
import { dec, toMoneyString } from '../money/decimal';
import type { HubspotParty } from './deal-data';
import { buildLines, dealCurrency, evaluateConditions } from './draft';
import { gatherDeal } from './gather';
import { formatMessage } from './messages';
import type { InvoicingDeps } from './process-deal';

export interface InvoicePreview {
  customer: { name: string; action: 'use' | 'create' | 'ambiguous' | 'none'; vendorId?: string };
  currency: string;
  lines: Array<DraftLine & { net: string }>;
  totals: { net: string; tax: string; gross: string } | null;
  conditions: Array<{ code: string; passed: boolean; message: string }>;
  skip: { code: string; message: string } | null;
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
  const skipCode = !features.invoicing ? 'plan_required' : !connection ? 'no_accounting_connection' : 'code' in built ? built.code : conditions.find((c) => !c.passed)?.code;
  const skipParams = 'code' in built ? built.params : undefined;
  return {
    customer: await previewCustomer(deps, portalId, connection, deal.company ?? deal.contact),
    currency,
    lines: lines.map((l) => ({ ...l, net: lineNet(l) })),
    totals: connection && lines.length > 0 ? connection.provider.predictTotals({ lines, priceBasis: 'net', currency }) : null,
    conditions,
    skip: skipCode ? { code: skipCode, message: formatMessage(skipCode, locale, skipParams) } : null,
  };
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
