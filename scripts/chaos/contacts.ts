/**
 * Contact edits during the chaos run: contacts are created in HubSpot, then edited on both sides
 * (names in HubSpot by users, first names in the vendor through its API). Afterwards every linked
 * pair must agree on the edited fields.
 */
import { and, eq, inArray, like, ne, or } from 'drizzle-orm';
import type { DbOrTx } from '../../server/src/db/client';
import { customerLinks, jobs } from '../../server/src/db/schema';
import type { ChaosCluster } from './cluster';

const contactsPerTenant = 25;

interface TenantContacts {
  portalId: string;
  hubspotIds: string[];
}

const created: TenantContacts[] = [];

export async function runContactEdits(cluster: ChaosCluster, edits: number, random: () => number): Promise<void> {
  if (edits === 0) return;
  const hubspot = cluster.sandboxes.hubspot;
  for (const tenant of cluster.tenants) {
    const hubspotIds: string[] = [];
    for (let i = 0; i < contactsPerTenant; i++) {
      hubspotIds.push(
        hubspot.simulateChange(Number(tenant.portalId), 'contacts', undefined, {
          firstname: `Vorname${i}`,
          lastname: `Chaos${tenant.portalId.slice(-1)}x${i}`,
          email: `c${i}@t${tenant.portalId}.example`,
        }).id,
      );
    }
    created.push({ portalId: tenant.portalId, hubspotIds });
  }
  // A failed poll request is retried by the next tick; the run's verification polls again anyway.
  const pollTimer = setInterval(() => void requestPolls(cluster).catch(() => undefined), 5_000);
  try {
    for (let i = 0; i < edits; i++) {
      const tenant = created[Math.floor(random() * created.length)];
      const hubspotId = tenant.hubspotIds[Math.floor(random() * tenant.hubspotIds.length)];
      if (random() < 0.85) {
        hubspot.simulateChange(Number(tenant.portalId), 'contacts', hubspotId, { lastname: `Nachname${i}` });
      } else {
        await editInVendor(cluster, tenant.portalId, hubspotId, `Vendor${i}`);
      }
      await new Promise((r) => setTimeout(r, 10 + random() * 30));
    }
  } finally {
    clearInterval(pollTimer);
  }
}

/** A user edits the linked customer in the accounting system (a stale version is their lost edit, not ours). */
async function editInVendor(cluster: ChaosCluster, portalId: string, hubspotId: string, firstName: string): Promise<void> {
  const link = await contactLink(cluster.observer.services.sync.deps.db, portalId, hubspotId);
  if (!link) return;
  const provider = (await cluster.observer.services.connections.providerFor(portalId))!.provider;
  try {
    const customer = await provider.getCustomer(link.vendorId);
    if (customer) await provider.updateCustomer(customer.id, { ...customer, firstName }, customer.version);
  } catch {
    // The vendor refused (conflict, injected fault): the user's edit did not happen.
  }
}

/** The accounting customer linked to a HubSpot contact. */
async function contactLink(db: DbOrTx, portalId: string, hubspotId: string): Promise<{ vendorId: string } | undefined> {
  const [link] = await db
    .select({ vendorId: customerLinks.vendorId })
    .from(customerLinks)
    .where(and(eq(customerLinks.portalId, portalId), eq(customerLinks.objectType, 'contact'), eq(customerLinks.hubspotId, hubspotId)))
    .limit(1);
  return link;
}

/** Asks APIUP to poll every vendor now (the worker runs the poll jobs). */
async function requestPolls(cluster: ChaosCluster): Promise<void> {
  const poll = cluster.observer.services.sync.definitions.poll;
  for (const tenant of cluster.tenants) await cluster.observer.queue.enqueue(poll, { portalId: tenant.portalId });
}

/** Lets the sync settle (polls until no sync or webhook routing job is live, three times), then compares every linked contact. */
export async function verifyContacts(cluster: ChaosCluster): Promise<{ diverged: number; checked: number; problems: string[] }> {
  if (created.length === 0) return { diverged: 0, checked: 0, problems: [] };
  const { db } = cluster.observer;
  const live = async () =>
    (
      await db
        .select({ id: jobs.id })
        .from(jobs)
        .where(
          and(
            inArray(jobs.state, ['queued', 'running', 'retrying']),
            // The webhook routing jobs make the sync jobs of the events HubSpot delivered.
            or(and(like(jobs.name, 'sync.%'), ne(jobs.name, 'sync.deletions')), eq(jobs.name, cluster.observer.services.webhookRouting.name)),
          ),
        )
        .limit(1)
    ).length;
  for (let round = 0; round < 3; round++) {
    await requestPolls(cluster);
    const deadline = Date.now() + 120_000;
    while ((await live()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    await cluster.sandboxes.hubspot.flushWebhooks();
  }
  const problems: string[] = [];
  let checked = 0;
  for (const tenant of created) {
    const provider = (await cluster.observer.services.connections.providerFor(tenant.portalId))!.provider;
    const records = cluster.sandboxes.hubspot.store.ensurePortal(Number(tenant.portalId)).records.contacts;
    for (const hubspotId of tenant.hubspotIds) {
      const link = await contactLink(db, tenant.portalId, hubspotId);
      if (!link) {
        problems.push(`contact ${tenant.portalId}/${hubspotId}: never linked`);
        continue;
      }
      checked++;
      const hub = records.get(hubspotId)!.properties;
      const vendor = await provider.getCustomer(link.vendorId);
      const same = vendor && vendor.firstName === hub.firstname && vendor.lastName === hub.lastname;
      if (!same)
        problems.push(
          `contact ${tenant.portalId}/${hubspotId}: HubSpot "${hub.firstname} ${hub.lastname}" vs vendor "${vendor?.firstName} ${vendor?.lastName}"`,
        );
    }
  }
  return { diverged: problems.length, checked, problems };
}
