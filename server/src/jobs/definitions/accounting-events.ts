import { z } from 'zod';
import type { AccountingConnections } from '../../accounting/connections';
import { defineJob } from '../define';

/** After connecting a vendor that pushes events: subscribe our callback URL (idempotent, retried). */
export function subscribeEventsJob(deps: {
  connections: AccountingConnections;
  callbackUrl: (portalId: string, provider: string) => string;
  secretFor: (portalId: string) => Promise<string>;
}) {
  return defineJob({
    name: 'accounting.subscribe-events',
    payload: z.object({ portalId: z.string().regex(/^\d+$/) }),
    key: (p) => `accounting-events:${p.portalId}`,
    portalId: (p) => p.portalId,
    maxAttempts: 10,
    async run(p, ctx) {
      const connection = await deps.connections.providerFor(p.portalId);
      if (!connection?.provider.events) return;
      await connection.provider.events.subscribe(deps.callbackUrl(p.portalId, connection.id), await deps.secretFor(p.portalId));
      ctx.log.info({ provider: connection.id }, 'vendor events subscribed');
    },
  });
}
