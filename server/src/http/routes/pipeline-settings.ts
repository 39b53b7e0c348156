/**
 * The deal pipelines of the verified portal with their stages, read fresh from HubSpot, for the
 * per-pipeline trigger choice of the settings page (which stages create an invoice, which a quote,
 * which pipelines are ignored). The choice itself is saved with the invoice rules
 * (`PUT /api/v1/settings/rules`, `invoice.triggers`).
 */
import { Router } from 'express';
import { AppError } from '../../errors';
import type { PipelineCache } from '../../hubspot/pipelines';
import { PortalNeedsReauth, PortalNotConnected } from '../../hubspot/tokens';
import { requireHubspotSignature, verifiedPortalId, type SignatureOptions } from '../middleware/hubspot-signature';

export interface PipelineSettingsDeps {
  signature: SignatureOptions;
  pipelines: PipelineCache;
}

export function pipelineSettingsRoutes(deps: PipelineSettingsDeps): Router {
  const router = Router();
  router.use('/api/v1/settings/pipelines', requireHubspotSignature(deps.signature));
  router.get('/api/v1/settings/pipelines', async (_req, res) => {
    const portalId = verifiedPortalId(res);
    try {
      res.json({ pipelines: await deps.pipelines.list(portalId) });
    } catch (error) {
      if (error instanceof PortalNotConnected) throw new AppError('forbidden', 'APIUP is not connected to this HubSpot account. Install the app again.');
      if (error instanceof PortalNeedsReauth) throw new AppError('forbidden', 'The HubSpot connection needs re-authorisation.');
      throw error;
    }
  });
  return router;
}
