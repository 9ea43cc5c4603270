import type { ModelSummaryDto } from './dto/model-response.dto';
import type { ModelVersionDto } from './dto/model-version.dto';
import type { ModelVersionEntity } from './model-version.entity';
import type { ModelEntity } from './model.entity';

/**
 * A model as the admin API describes it: the fields of its active version, and its kept version numbers; the labels
 * of the loaded model when given.
 */
export function summaryOf(
  model: ModelEntity,
  active: ModelVersionEntity,
  versions: readonly number[],
  loaded: boolean,
  loadedLabels?: readonly string[],
): ModelSummaryDto {
  return {
    name: model.name,
    type: active.type,
    version: active.configVersion,
    activeVersion: model.activeVersion,
    versions: [...versions],
    // A loaded model may name its labels in its model file's metadata rather than in its config.
    labels: loadedLabels ? [...loadedLabels] : active.labels,
    description: active.description,
    engine: active.engine,
    modelFile: active.modelFile ?? undefined,
    sizeBytes: active.sizeBytes,
    sha256: active.sha256,
    createdAt: model.createdAt.toISOString(),
    updatedAt: model.updatedAt.toISOString(),
    loaded,
  };
}

/** One version as `GET /admin/model/{name}/versions` lists it. */
export function versionDtoOf(row: ModelVersionEntity, activeVersion: number): ModelVersionDto {
  return {
    version: row.version,
    active: row.version === activeVersion,
    type: row.type,
    configVersion: row.configVersion,
    labels: row.labels,
    description: row.description,
    engine: row.engine,
    modelFile: row.modelFile ?? undefined,
    sizeBytes: row.sizeBytes,
    sha256: row.sha256,
    createdAt: row.createdAt.toISOString(),
    origin: row.origin,
    clientAddress: row.clientAddress ?? undefined,
    clientAuth: row.clientAuth ?? undefined,
    sourceFile: row.sourceFile ?? undefined,
  };
}
