/**
 * The MAESTRO-compatible analytical cost model (`m3e/costmodel`): dataflows in MAESTRO's
 * text format, the data-centric engine, and the built-in styles (dla, shi, eye).
 *
 * @module m3e/costmodel
 */
export { BUILTIN_DATAFLOWS, BUILTIN_STYLES, type BuiltinStyle } from './builtin-dataflows.js';
export { type ClosedForm, closedForm } from './closed-forms.js';
export {
  type DirectiveNode,
  type ParsedDataflow,
  parseDataflow,
  type SizeExpr,
  type SourcePos,
} from './dataflow-parser.js';
export { DIM, type DimId } from './dims.js';
export { type EngineOptions, type EngineResult, type HardwareParams, MAGMA_HARDWARE } from './engine.js';
export { type CoreConfig, CostModel, type CostModelOptions, type LayerCost, maestroEnergy } from './model.js';
