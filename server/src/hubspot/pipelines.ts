/**
 * Which deal stages are "won", per portal, from pipeline stage metadata — never a hard-coded
 * `closedwon` (hubspot.md §6.3). Cached per portal and reloaded when a stage id is not known yet
 * (a pipeline or stage created since the last load).
 */
import type { HubspotClients } from './client';

export interface StageInfo {
  pipelineId: string;
  label: string;
  isWon: boolean;
  isClosed: boolean;
}

/** A deal pipeline with its stages in HubSpot's display order, for the trigger choice in the settings page. */
export interface PipelineInfo {
  id: string;
  label: string;
  stages: Array<{ id: string; label: string; isWon: boolean; isClosed: boolean }>;
}

/** closed-won ⇔ probability 1.0 (and isClosed, where HubSpot reports it). */
export function isWonStage(metadata: Record<string, string | undefined>): boolean {
  const probability = Number(metadata.probability);
  if (probability !== 1) return false;
  return metadata.isClosed === undefined || metadata.isClosed === 'true';
}

export class PipelineCache {
  private readonly stages = new Map<string, Map<string, StageInfo>>();
  private readonly pipelines = new Map<string, PipelineInfo[]>();

  constructor(private readonly hubspot: HubspotClients) {}

  async stage(portalId: string, stageId: string): Promise<StageInfo | undefined> {
    const known = this.stages.get(portalId)?.get(stageId);
    if (known) return known;
    await this.reload(portalId);
    return this.stages.get(portalId)?.get(stageId);
  }

  /** Every won stage of the portal's deal pipelines, freshly loaded (a sweep must not miss a new pipeline). */
  async wonStageIds(portalId: string): Promise<string[]> {
    await this.reload(portalId);
    return [...(this.stages.get(portalId) ?? new Map<string, StageInfo>())].filter(([, s]) => s.isWon).map(([id]) => id);
  }

  /** Read fresh from HubSpot: the settings page must offer a pipeline created a minute ago. */
  async list(portalId: string): Promise<PipelineInfo[]> {
    await this.reload(portalId);
    return this.pipelines.get(portalId) ?? [];
  }

  async reload(portalId: string): Promise<void> {
    const response = await this.hubspot.call(portalId, (c) => c.crm.pipelines.pipelinesApi.getAll('deals'), { idempotent: true });
    const byStage = new Map<string, StageInfo>();
    const list: PipelineInfo[] = [];
    for (const pipeline of [...response.results].sort((a, b) => a.displayOrder - b.displayOrder)) {
      const stages: PipelineInfo['stages'] = [];
      for (const stage of [...pipeline.stages].sort((a, b) => a.displayOrder - b.displayOrder)) {
        const metadata = (stage.metadata ?? {}) as Record<string, string>;
        const info = { pipelineId: pipeline.id, label: stage.label, isWon: isWonStage(metadata), isClosed: metadata.isClosed === 'true' };
        byStage.set(stage.id, info);
        stages.push({ id: stage.id, label: info.label, isWon: info.isWon, isClosed: info.isClosed });
      }
      list.push({ id: pipeline.id, label: pipeline.label, stages });
    }
    this.stages.set(portalId, byStage);
    this.pipelines.set(portalId, list);
  }
}
