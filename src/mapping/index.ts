/** The mapping layer's public API: what connectors and the CLI import. */
export {
  applyReadMapping,
  readFieldNames,
  writeFieldsFor,
  type ReadProblem,
  type ReadResult,
  type WriteField,
} from './apply.ts';
export { loadMappingFile, type MappingExpectation } from './load.ts';
export {
  mappingJsonSchema,
  MAPPING_SCHEMA_ID,
  type MappingFile,
  type ReadRule,
  type Transform,
  type WriteRule,
} from './schema.ts';
export { runTransforms, type TransformResult, type Value } from './transforms.ts';
export {
  ACCOUNT_READ_TARGETS,
  ACCOUNT_WRITE_SOURCES,
  OPPORTUNITY_READ_TARGETS,
  OPPORTUNITY_WRITE_SOURCES,
  WRITE_POLICIES,
  type Entity,
  type WritePolicy,
} from './vocabulary.ts';
export * from './fields.ts';
export * from './output-specs.ts';
export * from './validate.ts';
