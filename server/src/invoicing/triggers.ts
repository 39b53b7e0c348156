/**
 * Which document, if any, a deal's current stage triggers. The default for a pipeline the user has
 * not configured is every won stage (probability 1.0, hubspot/pipelines.ts) creating the
 * `documentType` document; a configured pipeline triggers only at the stages the user picked.
 */
import type { StageInfo } from '../hubspot/pipelines';
import type { InvoiceSettings } from './settings';

export type TriggeredKind = 'invoice' | 'quotation';

export function documentTriggeredBy(settings: Pick<InvoiceSettings, 'documentType' | 'triggers'>, stageId: string | undefined, stage: StageInfo | undefined): TriggeredKind | null {
  if (!stageId || !stage) return null;
  const chosen = settings.triggers[stage.pipelineId];
  if (!chosen) return stage.isWon ? settings.documentType : null;
  if (chosen.ignored) return null;
  if (chosen.invoiceStages.includes(stageId)) return 'invoice';
  if (chosen.quoteStages.includes(stageId)) return 'quotation';
  return null;
}
