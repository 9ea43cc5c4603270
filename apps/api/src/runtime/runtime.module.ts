import { Global, Module } from '@nestjs/common';
import { ModelLoader } from './model-loader';
import { ModelRuntimeService } from './model-runtime.service';
import { TritonStatusService } from './triton-status.service';

/** The loaded models, injectable everywhere: `/v1/*` takes models from {@link ModelRuntimeService}, admin swaps them. */
@Global()
@Module({
  providers: [ModelRuntimeService, ModelLoader, TritonStatusService],
  exports: [ModelRuntimeService, ModelLoader, TritonStatusService],
})
export class RuntimeModule {}
