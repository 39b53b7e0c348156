/**
 * Quote events re-open deals that waited for a quote: a deal skipped because the "quote exists"
 * condition failed is run again once a quote is associated with it. HubSpot sends quote events by the
 * quote's id, so the deals come from the quote's associations (v4, `toObjectId` per deal).
 */
import type { InvoicingDeps } from './process-deal';

export async function dealsAwaitingQuote(deps: Pick<InvoicingDeps, 'hubspot' | 'records'>, portalId: string, quoteId: string): Promise<string[]> {
  const page = await deps.hubspot
    .call(portalId, (c) => c.crm.associations.v4.basicApi.getPage('quotes', quoteId, 'deals', undefined, 500), { idempotent: true })
    .catch((error: { status?: number }) => {
      if (error.status === 404) return { results: [] }; // the quote was deleted before we looked
      throw error;
    });
  const awaiting: string[] = [];
  for (const dealId of page.results.map((r) => String(r.toObjectId))) {
    const record = await deps.records.get(portalId, dealId);
    if (record?.status === 'skipped' && record.reasonCode === 'condition_quote_required') awaiting.push(dealId);
  }
  return awaiting;
}
