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

/** closed-won ⇔ probability 1.0 (and isClosed, where HubSpot reports it). */
export function isWonStage(metadata: Record<string, string | undefined>): boolean {
  const probability = Number(metadata.probability);
  if (probability !== 1) return false;
  return metadata.isClosed === undefined || metadata.isClosed === 'true';
}

export class PipelineCache {
  private readonly stages = new Map<string, Map<string, StageInfo>>();

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

  async reload(portalId: string): Promise<void> {
    const response = await this.hubspot.call(portalId, (c) => c.crm.pipelines.pipelinesApi.getAll('deals'), { idempotent: true });
    const byStage = new Map<string, StageInfo>();
    for (const pipeline of response.results) {
      for (const stage of pipeline.stages) {
        const metadata = (stage.metadata ?? {}) as Record<string, string>;
        byStage.set(stage.id, { pipelineId: pipeline.id, label: stage.label, isWon: isWonStage(metadata), isClosed: metadata.isClosed === 'true' });
      }
    }
    this.stages.set(portalId, byStage);
  }
}
