/**
 * Completes a blocked execution of our custom workflow action:
 * `POST /automation/v4/actions/callbacks/{callbackId}/complete` with `outputFields` (strings, including
 * `hs_execution_state`) and `typedOutputs`; answers 204, scope `automation` (spec actionsV4.json,
 * `CallbackCompletionRequest` requires both fields;
 * https://developers.hubspot.com/docs/api-reference/automation-actions-v4-v4/callbacks/post-automation-v4-actions-callbacks-callbackId-complete).
 */
import { HubspotError, type HubspotClients } from './client';

export type ExecutionState = 'SUCCESS' | 'FAIL_CONTINUE';

export async function completeWorkflowCallback(
  clients: HubspotClients,
  portalId: string,
  callbackId: string,
  outputFields: Record<string, string>,
): Promise<void> {
  const path = `/automation/v4/actions/callbacks/${encodeURIComponent(callbackId)}/complete`;
  await clients.call(
    portalId,
    async (c) => {
      const response = await c.apiRequest({ method: 'POST', path, body: { outputFields, typedOutputs: {} } });
      if (!response.ok) throw new HubspotError(response.status, `workflow callback completion answered ${response.status}`, await response.text());
    },
    // Completing the same callback again states the same outcome.
    { idempotent: true },
  );
}
