export { TransformContext, type TransformContextInit, type WriterOutput } from './transform-context';
export { defineTransform, type Transform, type TransformDefinition, type CustomTransformResolver } from './transform';
export { TransformRegistry, formatIssues } from './registry';
export { CATALOGUE } from './catalogue';
export { flag, keyArgs, keyList, positiveTriple, resolveKeys } from './args';
export { GeometryHistory, originalGrid, type GeometryStep, type GridBefore } from './geometry-history';
