import { z } from 'zod';
import type { HubspotClients } from '../../hubspot/client';
import { ensureDealProperties } from '../../hubspot/deal-properties';
import { SyncPropertySetup } from '../../sync/hubspot-properties';
import { defineJob } from '../define';

/**
 * After an install: create the APIUP property group, the deal properties and the contact and company
 * properties (VAT id, customer number), idempotently. The VAT id is read by invoicing as well as the
 * sync, so it exists from the install on, whichever package the portal books.
 */
export function portalSetupJob(hubspot: HubspotClients) {
  const partyProperties = new SyncPropertySetup(hubspot);
  return defineJob({
    name: 'portal.setup',
    payload: z.object({ portalId: z.string().regex(/^\d+$/) }),
    key: (p) => `portal-setup:${p.portalId}`,
    portalId: (p) => p.portalId,
    maxAttempts: 10,
    async run(p, ctx) {
      const created = await ensureDealProperties(hubspot, p.portalId);
      await partyProperties.ensure(p.portalId);
      ctx.log.info({ created }, 'deal, contact and company properties ensured');
    },
  });
}
