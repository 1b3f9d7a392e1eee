import { HubspotHttpError, isoTime } from './http.ts';
import type { OptionDefinition } from './standard-properties.ts';

/**
 * The default deal pipeline of a new portal. Pipeline id `default`, stages `appointmentscheduled` …
 * `closedwon`, `closedlost`, each with `metadata.isClosed` and `metadata.probability` as strings
 * (https://developers.HubSpot.com/docs/methods/deals/deals_overview).
 */
export interface Stage {
  readonly id: string;
  readonly label: string;
  readonly probability: string;
  readonly isClosed: boolean;
}

export interface Pipeline {
  readonly id: string;
  readonly label: string;
  readonly stages: readonly Stage[];
}

export const DEFAULT_PIPELINE: Pipeline = {
  id: 'default',
  label: 'Sales Pipeline',
  stages: [
    { id: 'appointmentscheduled', label: 'Appointment Scheduled', probability: '0.2', isClosed: false },
    { id: 'qualifiedtobuy', label: 'Qualified To Buy', probability: '0.4', isClosed: false },
    { id: 'presentationscheduled', label: 'Presentation Scheduled', probability: '0.6', isClosed: false },
    { id: 'decisionmakerboughtin', label: 'Decision Maker Bought-In', probability: '0.8', isClosed: false },
    { id: 'contractsent', label: 'Contract Sent', probability: '0.9', isClosed: false },
    { id: 'closedwon', label: 'Closed Won', probability: '1.0', isClosed: true },
    { id: 'closedlost', label: 'Closed Lost', probability: '0.0', isClosed: true },
  ],
};

const PIPELINES: readonly Pipeline[] = [DEFAULT_PIPELINE];

export function findPipeline(id: string): Pipeline | undefined {
  return PIPELINES.find((p) => p.id === id);
}

export function stageOptions(pipeline: Pipeline): OptionDefinition[] {
  return pipeline.stages.map((s, i) => ({ label: s.label, value: s.id, displayOrder: i, hidden: false }));
}

/** The deal fields HubSpot derives from the stage: closed, won, and the stage's probability. */
export function stageFacts(
  pipelineId: string,
  stageId: string,
): { isClosed: boolean; isWon: boolean; probability: string } | undefined {
  const stage = findPipeline(pipelineId)?.stages.find((s) => s.id === stageId);
  if (!stage) return undefined;
  return {
    isClosed: stage.isClosed,
    isWon: stage.isClosed && Number(stage.probability) === 1,
    probability: stage.probability,
  };
}

/** The SDK's `Pipeline` / `PipelineStage` models (codegen/crm/pipelines/models). */
function pipelineJson(pipeline: Pipeline, createdAt: number): Record<string, unknown> {
  const at = isoTime(createdAt);
  return {
    id: pipeline.id,
    label: pipeline.label,
    displayOrder: 0,
    createdAt: at,
    updatedAt: at,
    archived: false,
    stages: pipeline.stages.map((s, i) => ({
      id: s.id,
      label: s.label,
      displayOrder: i,
      metadata: { isClosed: String(s.isClosed), probability: s.probability },
      createdAt: at,
      updatedAt: at,
      archived: false,
      writePermissions: 'CRM_PERMISSIONS_ENFORCEMENT',
    })),
  };
}

function requireDeals(objectType: string): void {
  if (objectType !== 'deals' && objectType !== '0-3') {
    throw new HubspotHttpError(400, {
      category: 'VALIDATION_ERROR',
      message: `Pipelines of object type ${objectType} are not available in this portal`,
    });
  }
}

export function listPipelines(objectType: string, createdAt: number): { results: Record<string, unknown>[] } {
  requireDeals(objectType);
  return { results: PIPELINES.map((p) => pipelineJson(p, createdAt)) };
}

export function getPipeline(objectType: string, id: string, createdAt: number): Record<string, unknown> {
  requireDeals(objectType);
  const pipeline = findPipeline(id);
  if (!pipeline)
    throw new HubspotHttpError(404, {
      category: 'OBJECT_NOT_FOUND',
      message: `Unable to find pipeline ${id} for object type ${objectType}`,
      context: { pipelineId: [id] },
    });
  return pipelineJson(pipeline, createdAt);
}
