import { describe, expect, it } from 'vitest';
import { testDatabases } from '../../test/helpers/db';
import { HubspotError, type HubspotClients } from '../hubspot/client';
import { silentLogger } from '../logger';
import type { InvoiceRecord } from './records';
import { WorkflowExecutions } from './workflow-action';
import { completeExecutions } from './workflow-completion';

const portalId = '24681357';
const dealId = '9001';
const record = { portalId, dealId, status: 'created', kind: 'invoice', documentId: 'd-1', documentNumber: 'RE-2027-0042' } as unknown as InvoiceRecord;

/** A HubSpot client whose callback completion answers with `fail` (or 204); records the callback paths. */
function hubspot(fail?: HubspotError) {
  const paths: string[] = [];
  const clients = {
    call: async (_portal: string, operation: (c: unknown) => Promise<unknown>) =>
      operation({
        apiRequest: async ({ path }: { path: string }) => {
          paths.push(path);
          if (fail) throw fail;
          return new Response(null, { status: 204 });
        },
      }),
  } as unknown as HubspotClients;
  return { clients, paths };
}

const databases = testDatabases();

async function setup(now = 1_800_000_000_000) {
  const db = await databases.fresh();
  const executions = new WorkflowExecutions(db, () => now);
  await executions.register(portalId, 'ap-24681357-1-1-0', dealId, 'invoice');
  await executions.register(portalId, 'ap-24681357-2-2-0', dealId, 'invoice');
  return executions;
}

describe('completing blocked workflow executions', () => {
  it('completes each waiting execution once and never again', async () => {
    const executions = await setup();
    const { clients, paths } = hubspot();
    const deps = { hubspot: clients, executions, now: () => 1_800_000_000_000, log: silentLogger() };
    expect(await completeExecutions(deps, portalId, dealId, record, 'de')).toBe(2);
    expect(await completeExecutions(deps, portalId, dealId, record, 'de')).toBe(0);
    expect(paths).toEqual(['/automation/v4/actions/callbacks/ap-24681357-1-1-0/complete', '/automation/v4/actions/callbacks/ap-24681357-2-2-0/complete']);
    expect((await executions.get(portalId, 'ap-24681357-1-1-0'))?.executionState).toBe('SUCCESS');
  });

  it('lets the job retry on 429/5xx, and gives up on a refusal no retry changes (missing automation scope)', async () => {
    const executions = await setup();
    const busy = { hubspot: hubspot(new HubspotError(503, 'unavailable', null)).clients, executions, now: () => 1_800_000_000_000, log: silentLogger() };
    await expect(completeExecutions(busy, portalId, dealId, record, 'de')).rejects.toThrow('unavailable');
    expect(await executions.pending(portalId, dealId)).toHaveLength(2);

    const refused = { ...busy, hubspot: hubspot(new HubspotError(403, 'MISSING_SCOPES', null)).clients };
    expect(await completeExecutions(refused, portalId, dealId, record, 'de')).toBe(0);
    expect(await executions.pending(portalId, dealId)).toEqual([]);
    expect((await executions.get(portalId, 'ap-24681357-2-2-0'))?.executionState).toBe('REFUSED_403');
  });

  it('does not call HubSpot for an execution whose block has expired', async () => {
    const executions = await setup();
    const { clients, paths } = hubspot();
    const later = { hubspot: clients, executions, now: () => 1_800_000_000_000 + 2 * 24 * 3_600_000, log: silentLogger() };
    expect(await completeExecutions(later, portalId, dealId, record, 'en')).toBe(0);
    expect(paths).toEqual([]);
    expect((await executions.get(portalId, 'ap-24681357-1-1-0'))?.executionState).toBe('EXPIRED');
  });
});
