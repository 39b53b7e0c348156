/**
 * The deal pipelines of the verified portal with their stages, read fresh from HubSpot, for the
 * per-pipeline trigger choice of the settings page (which stages create an invoice, which a quote,
 * which pipelines are ignored). The choice itself is saved with the invoice rules
 * (`PUT /api/v1/settings/rules`, `invoice.triggers`).
 */
import { Router } from 'express';
import type { PipelineCache } from '../../hubspot/pipelines';
import { hubspotConnectionError } from './deal-card';
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
      throw hubspotConnectionError(error);
    }
  });
  return router;
}
