import type { CheckResult } from '../../src/engine/crm.ts';
import type { FieldIndex } from './describe.ts';

type Check = CheckResult['checks'][number];

/**
 * The configured StageName is an active value of the Opportunity StageName picklist: an unknown stage
 * fails every opportunity create of every run, one record at a time
 * (https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_opportunity.htm, StageName).
 * Values come from describe (`picklistValues`, active ones only:
 * https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_describesobjects_describesobjectresult.htm);
 * a record type can narrow them further, which describe of the object does not show.
 */
export function stageCheck(opportunity: FieldIndex, stage: string): Check {
  const field = opportunity.get('stagename');
  if (!field)
    return { name: 'opportunity stage', ok: false, message: 'Opportunity.StageName is not visible to this user' };
  const values = field.picklistValues;
  if (values.includes(stage))
    return { name: 'opportunity stage', ok: true, message: `new opportunities go to stage ${JSON.stringify(stage)}` };
  const near = values.find((v) => v.toLowerCase() === stage.toLowerCase());
  const shown = values.slice(0, 20).join(', ');
  return {
    name: 'opportunity stage',
    ok: false,
    message: `crm.salesforce.stage ${JSON.stringify(stage)} is not an active Opportunity StageName value${near ? ` (did you mean ${JSON.stringify(near)}? values are case-sensitive)` : ''}; valid: ${shown || '(none)'}${values.length > 20 ? `, and ${values.length - 20} more` : ''}`,
  };
}
