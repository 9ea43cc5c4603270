import type { ServerResponse } from 'node:http';
import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOkResponse, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AiaaError } from '@aiaa/core';
import { writeText } from '../common/http-reply';
import { WEB_BUNDLE_DIR, sendFile } from './web-files';

const isBundleFile = (name: string): boolean => /\.(html|js|css|map|txt|png|svg)$/.test(name);

/** `GET /`: the web page (models, a viewer to try them on a scan, admin), built into `dist/web`. */
@ApiTags('server')
@Controller()
export class WebController {
  @Get()
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'the web page: models, server health, a viewer to try a model, model admin' })
  @ApiResponse({ status: 503, description: 'the page is not built (npm start builds it)' })
  async page(@Res() res: ServerResponse): Promise<void> {
    try {
      await sendFile(res, WEB_BUNDLE_DIR, 'index.html', 'page', isBundleFile);
    } catch (error) {
      if (!(error instanceof AiaaError && error.kind === 'not-found')) {
        throw error;
      }
      writeText(
        res,
        503,
        `The web page is not built: ${WEB_BUNDLE_DIR}/index.html is missing. \`npm start\` builds it, ` +
          '`npm run build:web` alone. The API answers meanwhile: /docs, /v1/models, /health, /logs.\n',
      );
    }
  }

  @Get('web/:file')
  @ApiExcludeEndpoint()
  asset(@Param('file') file: string, @Res() res: ServerResponse): Promise<void> {
    return sendFile(res, WEB_BUNDLE_DIR, file, 'page file', isBundleFile);
  }
}
