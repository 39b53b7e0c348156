/**
 * Which document, if any, a deal's current stage triggers. The default for a pipeline the user has
 * not configured is every won stage (probability 1.0, hubspot/pipelines.ts) creating the
 * `documentType` document; a configured pipeline triggers only at the stages the user picked.
 */
import type { StageInfo } from '../hubspot/pipelines';
import type { InvoiceSettings } from './settings';

export type TriggeredKind = 'invoice' | 'quotation';

/**
 * The stages of a configured pipeline that make a document of this kind; `undefined` for a pipeline
 * on the default, where every won stage triggers and "won" names them all.
 */
export function triggerStageIds(settings: Pick<InvoiceSettings, 'triggers'>, pipelineId: string, kind: TriggeredKind): string[] | undefined {
  const chosen = settings.triggers[pipelineId];
  if (!chosen) return undefined;
  return kind === 'invoice' ? chosen.invoiceStages : chosen.quoteStages;
}

export function documentTriggeredBy(
  settings: Pick<InvoiceSettings, 'documentType' | 'triggers'>,
  stageId: string | undefined,
  stage: StageInfo | undefined,
): TriggeredKind | null {
  if (!stageId || !stage) return null;
  const chosen = settings.triggers[stage.pipelineId];
  if (!chosen) return stage.isWon ? settings.documentType : null;
  if (chosen.ignored) return null;
  if (chosen.invoiceStages.includes(stageId)) return 'invoice';
  if (chosen.quoteStages.includes(stageId)) return 'quotation';
  return null;
}
