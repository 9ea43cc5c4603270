import { Module, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { DicomwebSource } from '../dicomweb/dicomweb-source';
import { InferenceModule } from '../inference/inference.module';
import { ActiveLearningController } from './activelearning/activelearning.controller';
import { ActiveLearningService } from './activelearning/activelearning.service';
import { MonaiLabelCorsMiddleware } from './cors/monailabel-cors.middleware';
import { Datastore } from './datastore/datastore';
import { DatastoreController } from './datastore/datastore.controller';
import { DatastoreRepository } from './datastore/datastore.repository';
import { DatastoreService } from './datastore/datastore.service';
import { DicomwebDatastore } from './datastore/dicomweb-datastore';
import { LocalDatastore } from './datastore/local-datastore';
import { InferController } from './infer/infer.controller';
import { InferService } from './infer/infer.service';
import { InfoController } from './info/info.controller';
import { InfoService } from './info/info.service';

/**
 * MONAI Label's REST API (what 3D Slicer's MONAI Label module, OHIF's `monai-label` extension and
 * `monailabel/client/client.py` call) over the same models, sessions and limits as the AIAA routes: `/info/`,
 * `/auth/`, `/infer/{model}`, `/datastore`, `/activelearning/{strategy}`, `/train/`. `PUT /session/` is shared with
 * AIAA's and tells the forms apart by their parts. The datastore is the local folder, or with `--dicomweb` the PACS'
 * series beside it ({@link DicomwebDatastore}).
 */
@Module({
  imports: [InferenceModule],
  controllers: [InfoController, InferController, DatastoreController, ActiveLearningController],
  providers: [
    DatastoreRepository,
    LocalDatastore,
    {
      provide: Datastore,
      inject: [DicomwebSource, LocalDatastore],
      useFactory: (source: DicomwebSource, local: LocalDatastore): Datastore =>
        source.pacs ? new DicomwebDatastore(source.pacs.client, source.pacs.cache, local) : local,
    },
    DatastoreService,
    InferService,
    InfoService,
    ActiveLearningService,
  ],
})
export class MonaiLabelModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(MonaiLabelCorsMiddleware).forRoutes('{*path}');
  }
}
