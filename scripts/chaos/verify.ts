import { providerIds } from '../../server/src/accounting/provider';
import type { ChaosCluster } from './cluster';
import type { WonDeal } from './deals';

/** Waits until webhooks are delivered and no invoice job is live, and every won deal has a document. */
export async function waitForQuiet(cluster: ChaosCluster, deals: WonDeal[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  await cluster.sandboxes.hubspot.flushWebhooks();
  const live = cluster.observer.db.$client.prepare(
    "select count(*) as n from jobs where state in ('queued','running','retrying') and name != 'invoice.payment-check'",
  );
  while (Date.now() < deadline) {
    const pending = (live.get() as { n: number }).n;
    const missing = deals.filter((d) => !cluster.observer.services.invoicing.records.get(d.portalId, d.dealId)?.documentId).length;
    if (pending === 0 && missing === 0) return;
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Documents in the vendor sandboxes per deal reference (APIUP-<portal>-<deal>), found in whatever field the vendor keeps it. */
export function countDocuments(cluster: ChaosCluster, deals: WonDeal[]) {
  const byReference = new Map<string, number>();
  for (const provider of providerIds) {
    const { sandbox, entry } = cluster.sandboxes.vendors[provider];
    for (const document of entry.documents(sandbox)) {
      for (const reference of new Set(JSON.stringify(document).match(/APIUP-\d+-\d+/g) ?? []))
        byReference.set(reference, (byReference.get(reference) ?? 0) + 1);
    }
  }
  const problems: string[] = [];
  let invoices = 0;
  let duplicates = 0;
  let lost = 0;
  for (const deal of deals) {
    const count = byReference.get(`APIUP-${deal.portalId}-${deal.dealId}`) ?? 0;
    if (count === 0) {
      lost++;
      const record = cluster.observer.services.invoicing.records.get(deal.portalId, deal.dealId);
      problems.push(`deal ${deal.portalId}/${deal.dealId}: no document (record ${record?.status ?? 'none'} ${record?.reasonDetail ?? ''})`);
    }
    if (count > 0) invoices++;
    if (count > 1) {
      duplicates += count - 1;
      problems.push(`deal ${deal.portalId}/${deal.dealId}: ${count} documents`);
    }
  }
  return { invoices, duplicates, lost, problems };
}
