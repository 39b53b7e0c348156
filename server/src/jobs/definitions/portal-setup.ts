import { z } from 'zod';
import type { HubspotClients } from '../../hubspot/client';
import { ensureDealProperties } from '../../hubspot/deal-properties';
import { defineJob } from '../define';

/** After an install: create the APIUP property group and deal properties (idempotent). */
export function portalSetupJob(hubspot: HubspotClients) {
  return defineJob({
    name: 'portal.setup',
    payload: z.object({ portalId: z.string().regex(/^\d+$/) }),
    key: (p) => `portal-setup:${p.portalId}`,
    portalId: (p) => p.portalId,
    maxAttempts: 10,
    async run(p, ctx) {
      const created = await ensureDealProperties(hubspot, p.portalId);
      ctx.log.info({ created }, 'deal properties ensured');
    },
  });
}
