/**
 * What the deal card shows before anything exists: the customer that will be used or created, the
 * lines with tax, the totals as the connected vendor will compute them, and each condition.
 */
import { and, eq } from 'drizzle-orm';
import type { AccountingProvider, CustomerQuery, DocumentDraft, DraftLine } from '../accounting/provider';
import type { RoundingReadings } from '../accounting/rounding';
import { customerLinks } from '../db/schema';
import { matchCustomer } from '../sync/matching';
import { toMoneyString } from '../money/decimal';
import type { HubspotParty } from './deal-data';
import {
  buildLines,
  dealCurrency,
  decideDraft,
  evaluateConditions,
  linesWithDefaultRate,
  type BuiltLines,
  type DraftDecision,
  type TaxRateSource,
} from './draft';
import { checkAccountCurrency } from './account-currency-check';
import { checkMoney, exactLineAmount } from './money-check';
import { checkCustomer, fitDraft, noticeParams, type FitNotice } from './fit';
import { eInvoicePreflight, eInvoiceRequest } from './einvoice';
import { gatherDeal } from './gather';
import { formatMessage } from './messages';
import { isoDate, type InvoicingDeps } from './process-deal';
import { invoiceReference } from './records';
import { withDefaultTaxRate } from './settings';
import { documentTriggeredBy } from './triggers';

export interface InvoicePreview {
  customer: { name: string; action: 'use' | 'create' | 'ambiguous' | 'none'; vendorId?: string };
  currency: string;
  /** Whether the line prices are net or include VAT (invoice setting "prices include VAT"). */
  priceBasis: 'net' | 'gross';
  /** `net` is the exact line amount on the price basis, before the vendor's rounding; `taxRateSource` says where the rate came from. */
  lines: Array<DraftLine & { net: string; taxRateSource: TaxRateSource }>;
  totals: { net: string; tax: string; gross: string } | null;
  conditions: Array<{ code: string; passed: boolean; message: string }>;
  skip: { code: string; message: string } | null;
  /**
   * How the draft is fitted to the connected vendor's field limits and money rules: moved text
   * (informational), lines on the default tax rate (informational), the reading of each rounding rule
   * the vendor leaves unsettled (informational), and what cannot be sent unchanged (blocking: the run
   * would skip with this reason).
   */
  notices: Array<{ code: string; blocking: boolean; message: string }>;
  /**
   * The document "create now" makes (the kind the deal's stage triggers, else the default type), and
   * whether the deal's current stage triggers it by itself (the per-pipeline choice, triggers.ts).
   */
  document: { kind: 'invoice' | 'quotation'; triggeredByStage: boolean };
}

type Notice = { code: string; blocking: boolean; params: Record<string, string | number> };

export async function previewInvoice(deps: InvoicingDeps, portalId: string, dealId: string, locale: 'de' | 'en'): Promise<InvoicePreview> {
  const deal = await gatherDeal(deps.hubspot, deps.taxRates, portalId, dealId);
  const connection = await deps.connections.providerFor(portalId);
  const settings = withDefaultTaxRate((await deps.settings.get(portalId)).invoice, connection?.provider.defaultTaxRatePercent);
  const features = await deps.subscriptions.features(portalId);
  const defaultCurrency = deal.currency ? undefined : await deps.accountCurrency.companyCurrency(portalId);
  const currency = dealCurrency(deal, defaultCurrency);
  const conditions = features.conditions
    ? evaluateConditions(deal, settings, currency).map((c) => ({ code: c.code, passed: c.passed, message: formatMessage(c.code, locale, c.params) }))
    : [];
  const built = buildLines(deal, settings);
  const lines = 'lines' in built ? built.lines : [];
  const sources = 'lines' in built ? built.taxRateSources : [];
  const priceBasis = settings.pricesIncludeVat ? 'gross' : 'net';
  const customer = await previewCustomer(deps, portalId, connection, deal.company ?? deal.contact);
  const stage = deal.stageId ? await deps.pipelines.stage(portalId, deal.stageId) : undefined;
  const triggered = documentTriggeredBy(settings, deal.stageId, stage);
  const kind = triggered ?? settings.documentType;
  const decision = decideDraft({
    deal,
    settings: { ...settings, documentType: kind },
    features,
    reference: invoiceReference(portalId, dealId),
    today: isoDate(deps.now()),
    defaultCurrency,
  });
  const checked = connection && decision.kind === 'draft' ? checkDraft(decision, connection.provider, customer.action === 'create') : undefined;
  const eInvoice = connection && decision.kind === 'draft' ? eInvoiceRequest(deal, settings) : undefined;
  const eInvoiceNotices = connection && eInvoice ? await eInvoicePreflight(connection.provider, deal, eInvoice) : [];
  const accountCurrency = connection && checked && !checked.refused ? await checkAccountCurrency(connection.provider, checked.draft.currency) : undefined;
  const rounding = connection && lines.length > 0 ? roundingNotices(connection.provider, settings.roundingRules[connection.id]) : [];
  const notices: Notice[] = [
    ...defaultRateNotices('lines' in built ? built : undefined),
    ...(checked?.notices ?? []),
    ...(accountCurrency ? [accountCurrency] : []),
    ...rounding,
    ...eInvoiceNotices,
  ];
  const blocking = notices.find((n) => n.blocking);
  const failed = conditions.find((c) => !c.passed);
  const decided = decision.kind === 'skip' && !decision.code.startsWith('condition_') ? decision : undefined;
  const skip = !features.invoicing
    ? { code: 'plan_required' }
    : !connection
      ? { code: 'no_accounting_connection' }
      : (decided ?? (failed ? { code: failed.code } : blocking ? { code: blocking.code, params: blocking.params } : undefined));
  return {
    customer,
    currency,
    priceBasis,
    lines: lines.map((l, i) => ({ ...l, net: toMoneyString(exactLineAmount(l)), taxRateSource: sources[i] ?? 'default' })),
    // Totals the vendor would never compute (the money check refuses the draft) are not shown.
    totals:
      connection && lines.length > 0 && !checked?.refused && !accountCurrency
        ? connection.provider.predictTotals(checked?.draft ?? { lines, priceBasis, currency })
        : null,
    conditions,
    skip: skip ? { code: skip.code, message: formatMessage(skip.code, locale, 'params' in skip ? skip.params : undefined) } : null,
    notices: notices.map((n) => ({ code: n.code, blocking: n.blocking, message: formatMessage(n.code, locale, n.params) })),
    document: { kind, triggeredByStage: triggered !== null },
  };
}

/** The fitting and money check the run would do, on the same draft the run would build; the draft it would send. */
function checkDraft(
  decision: Extract<DraftDecision, { kind: 'draft' }>,
  provider: AccountingProvider,
  createsCustomer: boolean,
): { draft: DocumentDraftLike; notices: Notice[]; refused: boolean } {
  const limits = provider.fieldLimits;
  const fitted = fitDraft(decision.draft, limits.document);
  const customer = createsCustomer ? checkCustomer(decision.customer, limits.customer) : [];
  const fitNotices: Notice[] = [...fitted.notices, ...customer].map((n: FitNotice) => ({ code: n.code, blocking: n.blocking, params: noticeParams(n) }));
  const money = checkMoney(fitted.draft, provider.moneyRules, (d) => provider.predictTotals(d));
  return { draft: money.draft, notices: [...fitNotices, ...money.notices], refused: money.notices.length > 0 };
}

type DocumentDraftLike = Pick<DocumentDraft, 'lines' | 'priceBasis' | 'currency'>;

/**
 * Which reading of each rounding rule the vendor leaves unsettled the totals above use (the portal's choice or
 * the default), and that the vendor's read-back totals are compared with them after creation.
 */
function roundingNotices(provider: AccountingProvider, chosen: RoundingReadings | undefined): Notice[] {
  return provider.rounding.choices.map((c) => ({
    code: 'rounding_reading',
    blocking: false,
    params: {
      rule: c.rule,
      reading: `${c.option}.${provider.rounding.readings[c.option]}`,
      chosenBy: chosen?.[c.option] !== undefined ? 'setting' : 'default',
    },
  }));
}

function defaultRateNotices(built: BuiltLines | undefined): Notice[] {
  if (!built) return [];
  return linesWithDefaultRate(built).map((l) => ({
    code: 'default_tax_rate_used',
    blocking: false,
    params: { line: l.line, name: l.name, rate: built.lines[l.line - 1].taxRatePercent },
  }));
}

async function previewCustomer(
  deps: InvoicingDeps,
  portalId: string,
  connection: Awaited<ReturnType<InvoicingDeps['connections']['providerFor']>>,
  party: HubspotParty | undefined,
): Promise<InvoicePreview['customer']> {
  if (!party) return { name: '', action: 'none' };
  const c = party.customer;
  const name = c.kind === 'company' ? (c.companyName ?? '') : [c.firstName, c.lastName].filter(Boolean).join(' ');
  if (!connection) return { name, action: 'create' };
  const [link] = await deps.db
    .select()
    .from(customerLinks)
    .where(
      and(
        eq(customerLinks.portalId, portalId),
        eq(customerLinks.objectType, party.objectType),
        eq(customerLinks.hubspotId, party.id),
        eq(customerLinks.provider, connection.id),
      ),
    )
    .limit(1);
  if (link) return { name, action: 'use', vendorId: link.vendorId };
  const query: CustomerQuery =
    c.kind === 'company' ? { kind: 'company', name: c.companyName ?? '' } : { kind: 'person', firstName: c.firstName ?? '', lastName: c.lastName ?? '' };
  const match = matchCustomer(c, await connection.provider.findCustomers(query));
  if (match.kind === 'one') return { name, action: 'use', vendorId: match.match.id };
  return { name, action: match.kind === 'ambiguous' ? 'ambiguous' : 'create' };
}
