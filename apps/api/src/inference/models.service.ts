import { Inject, Injectable } from '@nestjs/common';
import { ModelRuntimeService } from '../runtime/model-runtime.service';
import type { ModelFilter, ModelInfo } from '../runtime/loaded-model';

/** `GET /v1/models`: the loaded models as the AIAA clients read them. */
@Injectable()
export class ModelsService {
  constructor(@Inject(ModelRuntimeService) private readonly runtime: ModelRuntimeService) {}

  /** Every loaded model matching `label` / `type` (label: exact first, then substring, case-insensitive). */
  list(filter: Omit<ModelFilter, 'model'>): ModelInfo[] {
    return this.runtime.list(filter).map((model) => model.info);
  }

  /** One model's entry (the C++ client expects an object for `?model=`). @throws ModelNotFoundError */
  one(name: string): ModelInfo {
    return this.runtime.get(name).info;
  }
}
