import { Inject, Injectable } from '@nestjs/common';
import { ModelRuntimeService } from '../../runtime/model-runtime.service';
import type { LoadedModel, ModelFilter, ModelInfo } from '../../runtime/loaded-model';
import { TritonStatusService } from '../../runtime/triton-status.service';

/**
 * `GET /v1/models`: the loaded models as the AIAA clients read them. A model served by Triton also carries
 * `triton: {state, reason?}` from Triton's repository index (`READY`, `UNAVAILABLE`, `UNREACHABLE`, …); clients that
 * do not know the field ignore it.
 */
@Injectable()
export class ModelsService {
  constructor(
    @Inject(ModelRuntimeService) private readonly runtime: ModelRuntimeService,
    @Inject(TritonStatusService) private readonly triton: TritonStatusService,
  ) {}

  /** Every loaded model matching `label` / `type` (label: exact first, then substring, case-insensitive). */
  list(filter: Omit<ModelFilter, 'model'>): Promise<ModelInfo[]> {
    return this.#describe(this.runtime.list(filter));
  }

  /** One model's entry (the C++ client expects an object for `?model=`). @throws ModelNotFoundError */
  async one(name: string): Promise<ModelInfo> {
    const [info] = await this.#describe([this.runtime.get(name)]);
    return info as ModelInfo;
  }

  async #describe(models: readonly LoadedModel[]): Promise<ModelInfo[]> {
    const onTriton = models.filter((m) => m.engine === 'TRITON').map((m) => m.info.name);
    const states = await this.triton.models(onTriton);
    return models.map((m) => {
      if (m.engine !== 'TRITON') {
        return m.info;
      }
      return { ...m.info, triton: states.get(m.info.name) ?? { state: 'NOT_IN_REPOSITORY' } };
    });
  }
}
