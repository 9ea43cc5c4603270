import { Global, Module } from '@nestjs/common';
import { RequestSlots } from './request-slots';
import { UploadSpace } from './upload-space';

/** What every upload route shares: the turns of image requests and the staging space. */
@Global()
@Module({ providers: [RequestSlots, UploadSpace], exports: [RequestSlots, UploadSpace] })
export class UploadModule {}
