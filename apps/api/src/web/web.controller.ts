import type { ServerResponse } from 'node:http';
import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AiaaError } from '@aiaa/core';
import { writeText } from '../common/http-reply';
import { ApiErrors } from '../docs/api-errors.decorator';
import { ApiTextReply } from '../docs/api-replies.decorator';
import { namedSchema } from '../docs/named-schema';
import { WEB_BUNDLE_DIR, sendFile } from './web-files';

const PAGE = namedSchema('PageHtml', { type: 'string', description: 'The HTML of the page.' });
const PAGE_MISSING = namedSchema('PageMissing', {
  type: 'string',
  description: 'Plain text for whoever opened the page: where the page should be and how to build it.',
});

const isBundleFile = (name: string): boolean => /\.(html|js|css|map|txt|png|svg)$/.test(name);

/** `GET /`: the web page (models, a viewer to try them on a scan, admin), built into `dist/web`. */
@ApiTags('server')
@Controller()
export class WebController {
  @Get()
  @ApiOperation({
    operationId: 'page',
    summary: 'The web page',
    description:
      'Models and server health, a viewer to try a model on a sample or a local file, and model admin. Its ' +
      'scripts and styles are served under `/web/`.',
  })
  @ApiTextReply(200, 'The page.', 'text/html', PAGE)
  @ApiTextReply(
    503,
    'The page is not built (`npm start` builds it); the API answers meanwhile.',
    'text/plain',
    PAGE_MISSING,
  )
  @ApiErrors()
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
