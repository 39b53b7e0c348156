/**
 * HubSpot's default deal pipeline (id `default`) as every portal has it: stage ids are the well-known
 * internal names, closed-won/lost carry probability "1.0"/"0.0" and `isClosed` "true" (hubspot.md §6.3).
 */
export interface StageDef {
  id: string;
  label: string;
  displayOrder: number;
  /** String values only (spec PipelineStage.metadata). */
  metadata: Record<string, string>;
  archived: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface PipelineDef {
  id: string;
  label: string;
  displayOrder: number;
  stages: StageDef[];
  archived: boolean;
  createdAt: number;
  updatedAt: number;
}

const defaultStages: Array<[id: string, label: string, probability: string]> = [
  ['appointmentscheduled', 'Appointment Scheduled', '0.2'],
  ['qualifiedtobuy', 'Qualified To Buy', '0.4'],
  ['presentationscheduled', 'Presentation Scheduled', '0.6'],
  ['decisionmakerboughtin', 'Decision Maker Bought-In', '0.8'],
  ['contractsent', 'Contract Sent', '0.9'],
  ['closedwon', 'Closed Won', '1.0'],
  ['closedlost', 'Closed Lost', '0.0'],
];

export function defaultDealPipeline(now: number): PipelineDef {
  return {
    id: 'default',
    label: 'Sales Pipeline',
    displayOrder: 0,
    archived: false,
    createdAt: now,
    updatedAt: now,
    stages: defaultStages.map(([id, label, probability], displayOrder) => ({
      id,
      label,
      displayOrder,
      metadata: { isClosed: String(probability === '1.0' || probability === '0.0'), probability },
      archived: false,
      createdAt: now,
      updatedAt: now,
    })),
  };
}

/** True when the stage means "closed won" by the robust rule of §6.3 (isClosed and probability 1). */
export function isClosedWonStage(stage: StageDef | undefined): boolean {
  return stage?.metadata.isClosed === 'true' && Number(stage.metadata.probability) === 1;
}
