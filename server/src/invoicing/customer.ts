/**
 * Finds or creates the invoice's customer in the accounting system with the sync's matching rules,
 * and remembers the link. Several matching customers are a conflict, never a guess.
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { AccountingProvider, CustomerInput, CustomerQuery } from '../accounting/provider';
import type { DbOrTx } from '../db/client';
import { customerLinks } from '../db/schema';
import { matchCustomer } from '../sync/matching';
import { customerKeyOf, type KeyedLock } from '../lib/keyed-lock';
import { checkCustomer, type FitNotice } from './fit';

export type CustomerResolution =
  | { kind: 'resolved'; customerId: string; created: boolean }
  | { kind: 'ambiguous'; name: string }
  /** A new customer would break the vendor's field limits; nothing was created. */
  | { kind: 'unfit'; notice: FitNotice };

export interface CustomerSource {
  objectType: 'company' | 'contact';
  id: string;
}

export interface ResolveCustomerInput {
  db: DbOrTx;
  portalId: string;
  providerId: string;
  provider: AccountingProvider;
  source: CustomerSource;
  customer: CustomerInput;
  now: number;
}

export function resolveCustomer(lock: KeyedLock, input: ResolveCustomerInput): Promise<CustomerResolution> {
  // The contact sync may be linking or creating the same customer right now: one at a time.
  return lock.run(customerKeyOf(input.portalId, input.source.objectType, input.source.id), () => resolveLocked(input));
}

async function resolveLocked({ db, portalId, providerId, provider, source, customer, now }: ResolveCustomerInput): Promise<CustomerResolution> {
  const [link] = await db
    .select()
    .from(customerLinks)
    .where(and(eq(customerLinks.portalId, portalId), eq(customerLinks.objectType, source.objectType), eq(customerLinks.hubspotId, source.id)))
    .limit(1);
  if (link && link.provider === providerId && (await provider.getCustomer(link.vendorId))) {
    return { kind: 'resolved', customerId: link.vendorId, created: false };
  }
  const query: CustomerQuery =
    customer.kind === 'company'
      ? { kind: 'company', name: customer.companyName ?? '' }
      : { kind: 'person', firstName: customer.firstName ?? '', lastName: customer.lastName ?? '' };
  // A customer already linked to another HubSpot record belongs to that record, not to this one.
  const candidates = await provider.findCustomers(query);
  // Only the candidates are looked up (index customer_links_vendor), not every link of the portal.
  const taken = new Set(
    candidates.length === 0
      ? []
      : (
          await db
            .select({ vendorId: customerLinks.vendorId })
            .from(customerLinks)
            .where(
              and(
                eq(customerLinks.portalId, portalId),
                eq(customerLinks.provider, providerId),
                inArray(
                  customerLinks.vendorId,
                  candidates.map((c) => c.id),
                ),
              ),
            )
        ).map((l) => l.vendorId),
  );
  const match = matchCustomer(
    customer,
    candidates.filter((c) => !taken.has(c.id)),
  );
  if (match.kind === 'ambiguous') return { kind: 'ambiguous', name: displayName(customer) };
  if (match.kind === 'none') {
    const unfit = checkCustomer(customer, provider.fieldLimits.customer)[0];
    if (unfit) return { kind: 'unfit', notice: unfit };
  }
  const vendor = match.kind === 'one' ? match.match : await provider.createCustomer(customer);
  const row = { provider: providerId, vendorId: vendor.id, vendorVersion: vendor.version ?? null, lastSyncedAt: now };
  await db
    .insert(customerLinks)
    .values({ portalId, objectType: source.objectType, hubspotId: source.id, ...row })
    .onConflictDoUpdate({ target: [customerLinks.portalId, customerLinks.objectType, customerLinks.hubspotId], set: row });
  return { kind: 'resolved', customerId: vendor.id, created: match.kind === 'none' };
}

function displayName(c: CustomerInput): string {
  return c.kind === 'company' ? (c.companyName ?? '') : [c.firstName, c.lastName].filter(Boolean).join(' ');
}
