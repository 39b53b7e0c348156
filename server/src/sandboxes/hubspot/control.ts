/**
 * Sandbox-only controls under `/_sandbox` (never faulted, never recorded): install the demo portal, revoke a
 * portal's refresh tokens (what an uninstall does), set a portal's required-property rules, expire access
 * tokens, steer the authorize page and webhook delivery, run the app's workflow action for a deal. Tests call the same operations as methods on the HubspotSandbox object.
 */
import { Router } from 'express';
import type { HubspotSandbox } from './app';
import { RequiredRuleSchema } from './required-rules';
import type { WebhookSwitches } from './webhooks';

export function controlRouter(sandbox: () => HubspotSandbox): Router {
  const router = Router();

  router.post('/_sandbox/install-demo-portal', (_req, res) => {
    res.json(sandbox().installDemoPortal());
  });

  router.post('/_sandbox/portals/:portalId/revoke-refresh-tokens', (req, res) => {
    res.json({ revoked: sandbox().revokeRefreshTokens(Number(req.params.portalId)) });
  });

  // The portal's required-property rules as an admin would set them (required-rules.ts); replaces the list.
  router.put('/_sandbox/portals/:portalId/required-property-rules', (req, res) => {
    const parsed = RequiredRuleSchema.array().safeParse(req.body?.rules);
    if (!parsed.success) return res.status(400).json({ error: 'rules must be a list of onCreate or conditional rules', issues: parsed.error.issues });
    sandbox().setRequiredPropertyRules(Number(req.params.portalId), parsed.data);
    res.json({ rules: parsed.data });
  });

  router.get('/_sandbox/portals/:portalId/required-property-rules', (req, res) => {
    res.json({ rules: sandbox().requiredPropertyRules(Number(req.params.portalId)) });
  });

  router.post('/_sandbox/expire-access-tokens', (req, res) => {
    const portalId = req.body?.portalId === undefined ? undefined : Number(req.body.portalId);
    res.json({ expired: sandbox().expireAccessTokens(portalId) });
  });

  router.post('/_sandbox/authorize-outcome', (req, res) => {
    const outcome = req.body?.outcome === 'deny' ? 'deny' : 'approve';
    sandbox().setAuthorizeOutcome(outcome);
    res.json({ outcome });
  });

  router.post('/_sandbox/webhooks/target', (req, res) => {
    const url = typeof req.body?.url === 'string' ? req.body.url : undefined;
    sandbox().setWebhookTarget(url);
    res.json({ url: url ?? null });
  });

  router.post('/_sandbox/webhooks/switches', (req, res) => {
    const patch: Partial<WebhookSwitches> = {};
    for (const key of ['duplicate', 'reorder', 'dropFirstAttempt'] as const) {
      if (typeof req.body?.[key] === 'boolean') patch[key] = req.body[key];
    }
    res.json(sandbox().setWebhookSwitches(patch));
  });

  router.post('/_sandbox/webhooks/flush', async (_req, res) => {
    await sandbox().flushWebhooks();
    res.json({ deliveries: sandbox().webhookDeliveries.length });
  });

  // A workflow reaches our custom action for a deal (workflow-actions.ts); answers with the execution as recorded.
  router.post('/_sandbox/workflow-actions/run', async (req, res) => {
    const { portalId, dealId, inputFields } = (req.body ?? {}) as { portalId?: unknown; dealId?: unknown; inputFields?: unknown };
    try {
      const fields = inputFields && typeof inputFields === 'object' ? (inputFields as Record<string, string>) : {};
      res.json(await sandbox().runWorkflowAction(Number(portalId), String(dealId), fields));
    } catch (error) {
      res.status(400).json({ error: String(error instanceof Error ? error.message : error) });
    }
  });

  router.post('/_sandbox/faults', (req, res) => {
    res.json(sandbox().faults.set(req.body ?? {}));
  });

  return router;
}
