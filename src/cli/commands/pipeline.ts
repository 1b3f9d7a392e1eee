import { EXIT } from '../exit-codes.ts';
import { buildPipeline } from '../pipeline-model.ts';
import { pipelineJson, renderPipeline, renderPipelineCsv } from '../render-pipeline.ts';
import { listParsed, noAssessmentsError, withStore } from '../stored-assessments.ts';

export interface PipelineCommandOptions {
  readonly config: string;
  readonly json?: boolean;
  readonly csv?: boolean;
  readonly limit?: number;
}

/** `pipeline`: the ranked expansion pipeline of the portfolio from the latest stored assessments. Reads only. */
export async function pipelineCommand(options: PipelineCommandOptions): Promise<number> {
  return withStore(options.config, async (context) => {
    const { items, skipped } = await listParsed(context, (line) => process.stderr.write(`expansion-sync: ${line}\n`));
    if (items.length === 0) throw noAssessmentsError(context, options.config, skipped);
    const { scoring } = context.loaded.config;
    const pipeline = buildPipeline(items, scoring.priority.urgency);
    const currency = scoring.pricing.currency;
    const limit = options.limit === undefined ? {} : { limit: options.limit };
    if (options.json)
      process.stdout.write(`${JSON.stringify(pipelineJson(pipeline, { limit: options.limit, currency }), null, 2)}\n`);
    else if (options.csv) process.stdout.write(renderPipelineCsv(pipeline, options.limit));
    else
      process.stdout.write(`${renderPipeline(pipeline, { tty: process.stdout.isTTY === true, currency, ...limit })}\n`);
    return EXIT.ok;
  });
}
