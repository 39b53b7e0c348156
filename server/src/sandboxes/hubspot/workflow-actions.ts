/**
 * Custom workflow actions as HubSpot runs them for an app: the definition comes from the project's
 * hubspot-project/app/workflow-actions/*-hsmeta.json (as uploaded; `${BACKEND_ORIGIN}` resolved like a
 * config profile variable), and an execution for an enrolled record is a signed POST to `actionUrl`.
 * Written from HubSpot's documentation:
 * - request body (custom-action-reference, example "Function input"):
 *   `{ callbackId: "ap-<portal>-<n>-<n>-0", origin: { portalId, actionDefinitionId, actionDefinitionVersion,
 *   extensionDefinitionId, extensionDefinitionVersionId }, context: { source: "WORKFLOWS", workflowId },
 *   object: { objectId, objectType: "DEAL" }, inputFields }` with numbers as JSON numbers;
 *   https://developers.hubspot.com/docs/api-reference/automation-actions-v4-v4/custom-action-reference
 * - signature: X-HubSpot-Signature-v3 + X-HubSpot-Request-Timestamp over the actionUrl, as on every request
 *   HubSpot sends an app (https://developers.hubspot.com/docs/apps/developer-platform/build-apps/authentication/request-validation),
 *   and the older v2 header beside it. UNCONFIRMED: that workflow action calls carry v2 (not v1) as the older one.
 * - answer: `outputFields`, with `hs_execution_state` SUCCESS / FAIL_CONTINUE, or BLOCK plus an optional
 *   `hs_expiration_duration` (ISO 8601; default one week): the execution waits until
 *   `POST /automation/v4/actions/callbacks/{callbackId}/complete` (spec actionsV4.json: scope `automation`,
 *   body `CallbackCompletionRequest` with required `outputFields` (string values) and `typedOutputs`, 204).
 * HubSpot retries a call answered with 429 or 5xx; here a test redelivers it (same callbackId) by hand.
 * UNCONFIRMED: HubSpot's status and message for completing an unknown, finished or expired callback
 * (here 404 / 400 VALIDATION_ERROR).
 */
import fs from 'node:fs';
import { Router } from 'express';
import { authOf } from './context';
import { HubspotApiError, notFound, validationError } from './errors';
import { bodyOf } from './request-helpers';
import { signatureV2, signatureV3 } from './webhook-signature';

export interface WorkflowActionDefinition {
  uid: string;
  actionUrl: string;
  objectTypes: string[];
  inputFields: Array<{ typeDefinition: { name: string; type: string; options?: Array<{ value: string }> }; isRequired?: boolean }>;
}

export type ExecutionState = 'SUCCEEDED' | 'FAILED' | 'BLOCKED' | 'COMPLETED' | 'EXPIRED' | 'RETRY_PENDING';

export interface WorkflowExecutionRecord {
  callbackId: string;
  portalId: number;
  objectId: string;
  body: string;
  state: ExecutionState;
  /** Every POST to the action URL: HTTP status and parsed answer. */
  deliveries: Array<{ status?: number; answer?: unknown; error?: string }>;
  /** The outputs the workflow goes on with: from the answer, or from the completing callback. */
  outputFields?: Record<string, string>;
  expiresAt?: number;
  /** Every call of the callbacks API for this execution, accepted or not. */
  completions: Array<{ accepted: boolean; outputFields?: unknown }>;
}

const definitionsDir = new URL('../../../../hubspot-project/app/workflow-actions/', import.meta.url);

export function readWorkflowActionDefinitions(dir: URL = definitionsDir): WorkflowActionDefinition[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('-hsmeta.json'))
    .map((f) => JSON.parse(fs.readFileSync(new URL(f, dir), 'utf8')) as { uid: string; config: Omit<WorkflowActionDefinition, 'uid'> })
    .map((j) => ({ uid: j.uid, ...j.config }));
}

/** ISO 8601 durations as HubSpot takes them for `hs_expiration_duration` (`P1D`, `PT12H`, `P1WT1H`). */
export function durationMs(iso: string): number | undefined {
  const m = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(iso);
  if (!m || iso === 'P' || iso.endsWith('T')) return undefined;
  const [w, d, h, min, s] = m.slice(1).map((v) => Number(v ?? 0));
  return ((((w * 7 + d) * 24 + h) * 60 + min) * 60 + s) * 1000;
}

const weekMs = 7 * 24 * 3_600_000;

export interface WorkflowActionRunnerOptions {
  clientSecret: string;
  now: () => number;
  definitions?: WorkflowActionDefinition[];
}

export class WorkflowActionRunner {
  readonly executions = new Map<string, WorkflowExecutionRecord>();
  /** Replaces `${BACKEND_ORIGIN}` in the action URL, as the upload profile does. */
  backendOrigin?: string;
  private readonly definitions: WorkflowActionDefinition[];
  private seq = 1;

  constructor(private readonly options: WorkflowActionRunnerOptions) {
    this.definitions = options.definitions ?? readWorkflowActionDefinitions();
  }

  /** The checks HubSpot's workflow editor and enrollment make before an execution exists. */
  private prepare(portalId: number, objectId: string, inputFields: Record<string, string>, isLiveDeal: (portalId: number, id: string) => boolean) {
    const definition = this.definitions[0];
    if (!definition) throw new Error('the project declares no workflow action');
    if (!definition.objectTypes.includes('DEAL')) throw new Error(`${definition.uid} is not available for deals`);
    if (!isLiveDeal(portalId, objectId)) throw new Error(`deal ${objectId} does not exist in portal ${portalId}`);
    for (const field of definition.inputFields) {
      const value = inputFields[field.typeDefinition.name];
      if (field.isRequired && (value === undefined || value === '')) throw new Error(`input ${field.typeDefinition.name} is required`);
      const options = field.typeDefinition.options?.map((o) => o.value);
      if (value !== undefined && options && !options.includes(value))
        throw new Error(`input ${field.typeDefinition.name} must be one of ${options.join(', ')}`);
    }
    const unknown = Object.keys(inputFields).filter((name) => !definition.inputFields.some((f) => f.typeDefinition.name === name));
    if (unknown.length) throw new Error(`inputs ${unknown.join(', ')} are not declared by ${definition.uid}`);
    const url = definition.actionUrl.replace('${BACKEND_ORIGIN}', this.backendOrigin ?? '${BACKEND_ORIGIN}');
    if (url.includes('${')) throw new Error('the action URL has an unresolved variable; set the backend origin first');
    return { definition, url };
  }

  async run(
    portalId: number,
    objectId: string,
    inputFields: Record<string, string>,
    isLiveDeal: (portalId: number, id: string) => boolean,
  ): Promise<WorkflowExecutionRecord> {
    const { url } = this.prepare(portalId, objectId, inputFields, isLiveDeal);
    const n = this.seq++;
    const callbackId = `ap-${portalId}-${56_777_914_000 + n}-${n}-0`;
    const body = JSON.stringify({
      callbackId,
      origin: { portalId, actionDefinitionId: 10_860_211, actionDefinitionVersion: 1, extensionDefinitionId: 10_860_211, extensionDefinitionVersionId: 1 },
      context: { source: 'WORKFLOWS', workflowId: 192_814_114 },
      object: { objectId: Number(objectId), objectType: 'DEAL' },
      inputFields,
    });
    const record: WorkflowExecutionRecord = { callbackId, portalId, objectId, body, state: 'RETRY_PENDING', deliveries: [], completions: [] };
    this.executions.set(callbackId, record);
    await this.deliver(record, url);
    return record;
  }

  /** HubSpot's retry of a call that got 429/5xx or no answer: the same body and callbackId, signed anew. */
  async redeliver(callbackId: string): Promise<WorkflowExecutionRecord> {
    const record = this.executions.get(callbackId);
    if (!record) throw new Error(`no execution ${callbackId}`);
    const { url } = this.prepare(
      record.portalId,
      record.objectId,
      (JSON.parse(record.body) as { inputFields: Record<string, string> }).inputFields,
      () => true,
    );
    await this.deliver(record, url);
    return record;
  }

  private async deliver(record: WorkflowExecutionRecord, url: string): Promise<void> {
    const timestamp = this.options.now();
    const headers = {
      'content-type': 'application/json',
      'x-hubspot-request-timestamp': String(timestamp),
      'x-hubspot-signature-v3': signatureV3(this.options.clientSecret, 'POST', url, record.body, timestamp),
      'x-hubspot-signature': signatureV2(this.options.clientSecret, 'POST', url, record.body),
      'x-hubspot-signature-version': 'v2',
    };
    let response: Response;
    try {
      response = await fetch(url, { method: 'POST', headers, body: record.body });
    } catch (error) {
      record.deliveries.push({ error: String(error) });
      record.state = 'RETRY_PENDING';
      return;
    }
    const text = await response.text();
    let answer: unknown;
    try {
      answer = text ? JSON.parse(text) : undefined;
    } catch {
      answer = text;
    }
    record.deliveries.push({ status: response.status, answer });
    if (response.status === 429 || response.status >= 500) {
      record.state = 'RETRY_PENDING';
      return;
    }
    const outputs = (answer as { outputFields?: Record<string, string> } | undefined)?.outputFields ?? {};
    if (!response.ok) {
      record.state = 'FAILED';
      return;
    }
    const state = outputs.hs_execution_state ?? 'SUCCESS';
    if (state === 'BLOCK') {
      const ms = outputs.hs_expiration_duration === undefined ? weekMs : durationMs(outputs.hs_expiration_duration);
      if (ms === undefined) throw new Error(`hs_expiration_duration ${outputs.hs_expiration_duration} is not an ISO 8601 duration`);
      record.state = 'BLOCKED';
      record.expiresAt = this.options.now() + ms;
      return;
    }
    record.outputFields = outputs;
    record.state = state === 'FAIL_CONTINUE' ? 'FAILED' : 'SUCCEEDED';
  }

  /** `POST /automation/v4/actions/callbacks/{callbackId}/complete` for the token's portal. */
  complete(portalId: number, callbackId: string, body: Record<string, unknown>): void {
    const record = this.executions.get(callbackId);
    if (!record || record.portalId !== portalId) throw notFound(`Callback ${callbackId} not found`);
    const { outputFields, typedOutputs } = body;
    const accepted = () => record.completions.push({ accepted: true, outputFields });
    const refuse = (error: HubspotApiError) => {
      record.completions.push({ accepted: false, outputFields });
      return error;
    };
    if (!outputFields || typeof outputFields !== 'object' || Array.isArray(outputFields))
      throw refuse(validationError('outputFields is required and must be an object'));
    if (!typedOutputs || typeof typedOutputs !== 'object' || Array.isArray(typedOutputs))
      throw refuse(validationError('typedOutputs is required and must be an object'));
    const outputs = outputFields as Record<string, unknown>;
    if (Object.values(outputs).some((v) => typeof v !== 'string')) throw refuse(validationError('outputFields values must be strings'));
    const state = outputs.hs_execution_state ?? 'SUCCESS';
    if (state !== 'SUCCESS' && state !== 'FAIL_CONTINUE') throw refuse(validationError(`hs_execution_state ${String(state)} cannot complete a callback`));
    if (record.state === 'BLOCKED' && record.expiresAt !== undefined && record.expiresAt <= this.options.now()) record.state = 'EXPIRED';
    if (record.state !== 'BLOCKED') throw refuse(validationError(`Callback ${callbackId} is not waiting for completion (${record.state})`));
    accepted();
    record.state = 'COMPLETED';
    record.outputFields = outputs as Record<string, string>;
  }
}

export function callbacksRouter(runner: WorkflowActionRunner): Router {
  const router = Router();
  router.post('/automation/v4/actions/callbacks/:callbackId/complete', (req, res) => {
    runner.complete(authOf(res).portal.portalId, req.params.callbackId, bodyOf(req));
    res.status(204).send();
  });
  return router;
}
