/**
 * Write-back against a portal whose APIUP properties already exist but whose status property lacks an
 * option we write: HubSpot refuses such an update whole (400 INVALID_OPTION, nothing stored), so the
 * product adds the missing options and sends the update again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invoiceStatuses } from '../../src/hubspot/deal-properties';
import { startTestApiup, type TestApiup } from '../helpers/apiup';
import { HubspotUser } from '../helpers/hubspot-user';
import { vendorProbe } from '../helpers/vendors';

describe('write-back to a status property an older setup made', () => {
  let t: TestApiup;
  let user: HubspotUser;

  beforeAll(async () => {
    t = await startTestApiup();
    user = new HubspotUser(t.sandboxes!.hubspot, t.sandboxes!.list()[0].url, t.portalId, t.sandboxes!.hubspot.installDemoPortal().accessToken);
    await t.services.connections.connect(t.portalId, 'lexoffice', vendorProbe(t.sandboxes!, 'lexoffice').credentials);
    await t.signedFetch('/api/v1/settings/packages/business_plus/activate', { method: 'POST' });
    // The install made our properties; an older version (or a HubSpot user) left the status with fewer options.
    await t.queue.waitFor(`portal-setup:${t.portalId}`, 'succeeded', 20_000);
    const older = ['pending', 'skipped', 'failed'].map((value, displayOrder) => ({ label: `Status ${value}`, value, displayOrder, hidden: false }));
    await user.api('PATCH', '/crm/v3/properties/deals/apiup_invoice_status', { options: older });
  });

  afterAll(async () => {
    await t?.stop();
  });

  it("adds the missing options, keeps the portal's own, and writes the invoice outcome", async () => {
    const pipeline = await user.createPipeline('Wartungsverträge Süd');
    const deal = await user.createDeal({
      pipelineId: pipeline.pipelineId,
      stageId: pipeline.wonStageId,
      name: 'Jahreswartung Kältetechnik Bäckerei Hölzl & Söhne 2027',
      lineItems: [{ name: 'Wartung Kühlzellen, halbjährlich', quantity: '2', price: '480.00' }],
    });
    await t.signedFetch(`/api/v1/deals/${deal.dealId}/invoice`, { method: 'POST' });
    const job = await t.queue.waitFor(`invoice:${t.portalId}:${deal.dealId}`, ['succeeded', 'dead'], 30_000);
    expect(job.lastError).toBeNull();
    await expect
      .poll(() => user.dealProperties(deal.dealId, ['apiup_invoice_status']))
      .toMatchObject({ apiup_invoice_status: expect.stringMatching(/^(created|sent)$/) });
    const property = await user.api('GET', '/crm/v3/properties/deals/apiup_invoice_status');
    expect(property.options.map((o: { value: string }) => o.value).sort()).toEqual([...invoiceStatuses].sort());
    expect(property.options.find((o: { value: string }) => o.value === 'skipped').label).toBe('Status skipped');
  });
});
