/**
 * `POST /hubspot/workflow-actions/create-document`: HubSpot runs our workflow action "create invoice /
 * quote" for an enrolled deal (hubspot-project/app/workflow-actions/create-document-hsmeta.json). The
 * request is signed like every HubSpot request (v3, checked before anything else); its body names the
 * portal (`origin.portalId`), the deal (`object`) and the inputs, as in HubSpot's example payload
 * (https://developers.hubspot.com/docs/api-reference/automation-actions-v4-v4/custom-action-reference):
 * `{ callbackId, origin: { portalId, actionDefinitionId, … }, context, object: { objectId, objectType }, inputFields }`.
 * The portal comes from that signed body only. Every answer about the deal is 200 with output fields;
 * what cannot be done is `FAIL_CONTINUE` with the reason, never a 5xx (HubSpot retries those).
 */
import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { AppError, toValidationIssues } from '../../errors';
import type { HubspotTokens } from '../../hubspot/tokens';
import type { invoiceJobs } from '../../jobs/definitions/invoice';
import type { JobQueue } from '../../jobs/queue';
import type { InvoiceRecords } from '../../invoicing/records';
import { answersRequest, blockDuration, outputsFor, refusal, type WorkflowExecutions, type WorkflowOutputs } from '../../invoicing/workflow-action';
import type { PortalSettingsStore } from '../../settings/portal-settings';
import { requireHubspotSignature, type SignatureOptions } from '../middleware/hubspot-signature';

export interface WorkflowActionDeps {
  db: Db;
  signature: SignatureOptions;
  tokens: HubspotTokens;
  records: InvoiceRecords;
  executions: WorkflowExecutions;
  settings: PortalSettingsStore;
  queue: JobQueue;
  jobs: Pick<ReturnType<typeof invoiceJobs>, 'process'>;
  onEnqueued?: () => void;
}

const numericId = z.union([z.number().int().positive(), z.string().regex(/^\d+$/)]).transform(String);

/** Only what we use; HubSpot adds `context`, definition versions and more, which pass unchecked. */
const ExecutionRequest = z.object({
  callbackId: z.string().min(1).max(200),
  origin: z.object({ portalId: numericId }),
  object: z.object({ objectId: numericId, objectType: z.string() }),
  inputFields: z.record(z.string(), z.unknown()).default({}),
});

const refusals = {
  notConnected: {
    de: 'APIUP ist mit diesem HubSpot-Account nicht (mehr) verbunden; bitte die App neu verbinden.',
    en: 'APIUP is not connected to this HubSpot account (any more); please reconnect the app.',
  },
  notADeal: { de: 'Die Aktion erstellt Dokumente nur für Deals.', en: 'The action creates documents for deals only.' },
  documentType: {
    de: 'Dokumentart fehlt oder ist unbekannt: „invoice“ (Rechnung) oder „quote“ (Angebot) wählen.',
    en: 'Document type is missing or unknown: choose "invoice" or "quote".',
  },
};

export function workflowActionRoutes(deps: WorkflowActionDeps): Router {
  const router = Router();
  router.post('/hubspot/workflow-actions/create-document', requireHubspotSignature(deps.signature), async (req, res) => {
    const parsed = ExecutionRequest.safeParse(req.body);
    if (!parsed.success) throw new AppError('invalid_request', 'Not a workflow action execution request.', toValidationIssues(parsed.error.issues));
    const { callbackId, origin, object, inputFields } = parsed.data;
    const portalId = origin.portalId;
    const language = (await deps.settings.get(portalId)).invoice.language;
    const answer = (outputFields: WorkflowOutputs) => res.json({ outputFields });

    if ((await deps.tokens.status(portalId)) !== 'active') return answer(refusal(refusals.notConnected, language));
    if (object.objectType.toUpperCase() !== 'DEAL') return answer(refusal(refusals.notADeal, language));
    const documentType = inputFields.document_type;
    if (documentType !== 'invoice' && documentType !== 'quote') return answer(refusal(refusals.documentType, language));

    const dealId = object.objectId;
    const record = await deps.records.get(portalId, dealId);
    if (answersRequest(record, documentType)) return answer(outputsFor(record, language));
    await deps.db.transaction(async (tx) => {
      await deps.executions.register(portalId, callbackId, dealId, documentType, tx);
      await deps.queue.enqueue(deps.jobs.process, { portalId, dealId, trigger: 'workflow' as const }, { tx });
    });
    deps.onEnqueued?.();
    answer({ hs_execution_state: 'BLOCK', hs_expiration_duration: blockDuration.iso });
  });
  return router;
}
