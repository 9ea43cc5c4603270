export { TransformContext, type TransformContextInit } from './transform-context';
export { defineTransform, type Transform, type TransformDefinition, type CustomTransformResolver } from './transform';
