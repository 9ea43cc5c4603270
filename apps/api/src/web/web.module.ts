import { Module } from '@nestjs/common';
import { SamplesController } from './samples.controller';
import { WebController } from './web.controller';

/** The web page at `/` (static files built by `tools/scripts/build-web.js`) and the sample volumes it offers. */
@Module({ controllers: [WebController, SamplesController] })
export class WebModule {}
