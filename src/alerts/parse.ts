import { AssessmentSchema, type Assessment } from '../model/assessment.ts';
import type { StoredAssessment } from '../state/store.ts';

/** A stored row whose assessment parses against the current schema. */
export interface ParsedStored {
  readonly stored: StoredAssessment;
  readonly assessment: Assessment;
}

/** The rows that parse; rows written by another version are counted, not thrown. */
export function parseStoredAssessments(rows: readonly StoredAssessment[]): {
  readonly items: ParsedStored[];
  readonly skipped: number;
} {
  const items: ParsedStored[] = [];
  for (const stored of rows) {
    const result = AssessmentSchema.safeParse(stored.assessment);
    if (result.success) items.push({ stored, assessment: result.data });
  }
  return { items, skipped: rows.length - items.length };
}
