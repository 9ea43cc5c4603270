import { Global, Module } from '@nestjs/common';
import { DicomSegService } from './dicom-seg.service';
import { DicomwebSource } from './dicomweb-source';
import { DicomwebProxyController } from './proxy/dicomweb-proxy.controller';
import { DicomwebProxyService } from './proxy/dicomweb-proxy.service';

/**
 * The PACS (`--dicomweb`): the {@link DicomwebSource} every route that names a series uses, the DICOM SEG export of
 * results, and `/proxy/dicom`, the PACS behind this server's address for a viewer (OHIF) that should need only one.
 */
@Global()
@Module({
  controllers: [DicomwebProxyController],
  providers: [DicomwebSource, DicomSegService, DicomwebProxyService],
  exports: [DicomwebSource, DicomSegService],
})
export class DicomwebModule {}
