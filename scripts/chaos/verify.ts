import { and, count, inArray, ne } from 'drizzle-orm';
import { providerIds } from '../../server/src/accounting/provider';
import { jobs } from '../../server/src/db/schema';
import { liveStates } from '../../server/src/jobs/queue';
import type { ChaosCluster } from './cluster';
import type { WonDeal } from './deals';

/** Waits until webhooks are delivered and no invoice job is live, and every won deal has a document. */
export async function waitForQuiet(cluster: ChaosCluster, deals: WonDeal[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  await cluster.sandboxes.hubspot.flushWebhooks();
  const { db } = cluster.observer;
  const live = () =>
    db
      .select({ n: count() })
      .from(jobs)
      .where(and(inArray(jobs.state, liveStates), ne(jobs.name, 'invoice.payment-check')));
  while (Date.now() < deadline) {
    const pending = Number((await live())[0].n);
    let missing = 0;
    for (const d of deals) if (!(await cluster.observer.services.invoicing.records.get(d.portalId, d.dealId))?.documentId) missing++;
    if (pending === 0 && missing === 0) return;
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Documents in the vendor sandboxes per deal reference (APIUP-<portal>-<deal>), found in whatever field the vendor keeps it. */
export async function countDocuments(cluster: ChaosCluster, deals: WonDeal[]) {
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
      const record = await cluster.observer.services.invoicing.records.get(deal.portalId, deal.dealId);
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
