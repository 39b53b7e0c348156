/**
 * Deal pipelines (spec pipelines.json `getAll`, `getById`, `create`, stages `getAll`; hubspot.md §6.3).
 * Custom pipelines and stages get numeric ids as on HubSpot; deal stages require `metadata.probability`.
 */
import { Router } from 'express';
import { authOf, type SandboxContext } from './context';
import { HubspotApiError, notFound, validationError } from './errors';
import type { PipelineDef, StageDef } from './pipeline-defaults';
import { bodyOf } from './request-helpers';
import { isoTime, type PortalState } from './store';

export function pipelinesRouter(ctx: SandboxContext): Router {
  const router = Router();

  router.get('/crm/v3/pipelines/:objectType', (req, res) => {
    res.json({
      results: dealPipelines(res, req.params.objectType)
        .filter((p) => !p.archived)
        .map(toPublicPipeline),
    });
  });

  router.post('/crm/v3/pipelines/:objectType', (req, res) => {
    const pipelines = dealPipelines(res, req.params.objectType);
    const body = bodyOf(req);
    const label = typeof body.label === 'string' ? body.label.trim() : '';
    if (!label) throw validationError('label is required');
    if (!Array.isArray(body.stages) || body.stages.length === 0) throw validationError('stages must be a non-empty array');
    if (pipelines.some((p) => !p.archived && p.label.toLowerCase() === label.toLowerCase())) {
      throw new HubspotApiError(409, 'CONFLICT', `A pipeline with label "${label}" already exists`);
    }
    const now = ctx.options.now();
    const stages = (body.stages as Array<Record<string, unknown>>).map((s, index) => toStage(ctx, s, index, now));
    const pipeline: PipelineDef = {
      id: ctx.store.newId().slice(-9),
      label,
      displayOrder: Number.isInteger(body.displayOrder) ? Number(body.displayOrder) : pipelines.length,
      stages,
      archived: false,
      createdAt: now,
      updatedAt: now,
    };
    pipelines.push(pipeline);
    res.status(201).json(toPublicPipeline(pipeline));
  });

  router.get('/crm/v3/pipelines/:objectType/:pipelineId', (req, res) => {
    res.json(toPublicPipeline(findPipeline(dealPipelines(res, req.params.objectType), req.params.pipelineId)));
  });

  router.get('/crm/v3/pipelines/:objectType/:pipelineId/stages', (req, res) => {
    const pipeline = findPipeline(dealPipelines(res, req.params.objectType), req.params.pipelineId);
    res.json({ results: pipeline.stages.filter((s) => !s.archived).map(toPublicStage) });
  });

  return router;
}

function dealPipelines(res: Parameters<typeof authOf>[0], objectType: string): PipelineDef[] {
  if (!['deals', 'deal', '0-3'].includes(objectType.toLowerCase())) throw validationError(`The sandbox emulates pipelines for deals only, not ${objectType}`);
  const portal: PortalState = authOf(res).portal;
  return portal.pipelines;
}

function findPipeline(pipelines: PipelineDef[], id: string): PipelineDef {
  const pipeline = pipelines.find((p) => p.id === id && !p.archived);
  if (!pipeline) throw notFound(`Unable to find pipeline ${id}`);
  return pipeline;
}

/** Deal stages need a probability 0.0–1.0 (§6.3); `isClosed` defaults to true for 1.0 and 0.0 (won/lost). */
function toStage(ctx: SandboxContext, input: Record<string, unknown>, index: number, now: number): StageDef {
  const label = typeof input.label === 'string' ? input.label : '';
  const metadata = Object.fromEntries(Object.entries((input.metadata ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
  const probability = Number(metadata.probability);
  if (!label) throw validationError('each stage needs a label');
  if (metadata.probability === undefined || Number.isNaN(probability) || probability < 0 || probability > 1) {
    throw validationError(`Stage "${label}": metadata.probability is required for deal stages and must be between 0.0 and 1.0`);
  }
  metadata.probability = Number.isInteger(probability * 10) ? probability.toFixed(1) : String(probability);
  metadata.isClosed ??= String(probability === 1 || probability === 0);
  return {
    id: ctx.store.newId().slice(-9),
    label,
    displayOrder: Number.isInteger(input.displayOrder) ? Number(input.displayOrder) : index,
    metadata,
    archived: false,
    createdAt: now,
    updatedAt: now,
  };
}

function toPublicStage(stage: StageDef) {
  return {
    id: stage.id,
    label: stage.label,
    displayOrder: stage.displayOrder,
    metadata: stage.metadata,
    archived: stage.archived,
    createdAt: isoTime(stage.createdAt),
    updatedAt: isoTime(stage.updatedAt),
    writePermissions: 'CRM_PERMISSIONS_ENFORCEMENT',
  };
}

function toPublicPipeline(pipeline: PipelineDef) {
  return {
    id: pipeline.id,
    label: pipeline.label,
    displayOrder: pipeline.displayOrder,
    stages: pipeline.stages.filter((s) => !s.archived).map(toPublicStage),
    archived: pipeline.archived,
    createdAt: isoTime(pipeline.createdAt),
    updatedAt: isoTime(pipeline.updatedAt),
  };
}
