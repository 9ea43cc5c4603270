import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiParam, ApiResponse, ApiTags, type SchemaObject } from '@nestjs/swagger';
import { ApiErrors } from '../../docs/api-errors.decorator';
import { DicomwebProxyService, PROXIED_SERVICES, type ProxyRequest } from './dicomweb-proxy.service';

type ProxiedRequest = IncomingMessage & { originalUrl?: string };

const PATH_PARAM = {
  name: 'path',
  type: String,
  example: 'studies',
  description: 'The DICOMweb resource below the service root, e.g. `studies`, `studies/{uid}/series/{uid}/metadata`.',
} as const;
const SERVICE_PARAM = {
  name: 'service',
  enum: PROXIED_SERVICES,
  description: 'QIDO-RS, WADO-RS or STOW-RS: all three reach the same DICOMweb root.',
} as const;
const BINARY: SchemaObject = { type: 'string', format: 'binary' };
/** DICOM JSON (PS3.18 F.2): a list of datasets keyed by tag, as the PACS wrote it. */
const DICOM_JSON: SchemaObject = {
  type: 'array',
  items: { type: 'object', additionalProperties: true, description: 'A DICOM dataset, keyed by tag (`0020000E`).' },
  description: 'DICOM JSON datasets, as the PACS wrote them.',
};

/**
 * `/proxy/dicom/{qido|wado|stow}/…`, MONAI Label's DICOMweb proxy: the PACS of `--dicomweb` behind this server's
 * address, with its credentials, so that OHIF's `qidoRoot`/`wadoRoot` point here. Each handler makes one call.
 */
@ApiTags('dicomweb')
@Controller('proxy/dicom')
export class DicomwebProxyController {
  constructor(@Inject(DicomwebProxyService) private readonly proxy: DicomwebProxyService) {}

  @Get(':service/*path')
  @ApiOperation({
    operationId: 'proxyDicomGet',
    summary: 'Relay a QIDO-RS or WADO-RS request to the PACS (`--dicomweb`) with the server credentials',
    description:
      "The PACS' answer streams through with its status and Content-Type (its own error statuses too); at most " +
      '`--dicomweb_max_series_mb` per answer. OHIF points `qidoRoot` and `wadoRoot` here.',
  })
  @ApiParam(SERVICE_PARAM)
  @ApiParam(PATH_PARAM)
  @ApiResponse({
    status: 200,
    description: "The PACS' answer, as it sent it.",
    content: {
      'application/dicom+json': { schema: DICOM_JSON },
      'multipart/related': { schema: { ...BINARY, description: 'WADO-RS instances, frames or bulk data.' } },
      'application/octet-stream': { schema: { ...BINARY, description: 'Bulk data or a rendered frame.' } },
    },
  })
  @ApiErrors({
    400: 'A path leaving the DICOMweb root, or no `--dicomweb` configured; the message says which.',
    404: 'Not a proxied service (`qido`, `wado`, `stow`), or what the PACS does not hold.',
    413: 'The PACS announces an answer over `--dicomweb_max_series_mb`.',
    503: 'The PACS cannot be reached; the message names it.',
  })
  async get(@Param('service') service: string, @Req() req: ProxiedRequest, @Res() res: ServerResponse): Promise<void> {
    await this.#relay('GET', service, req, res);
  }

  @Post(':service/*path')
  @ApiOperation({
    operationId: 'proxyDicomStore',
    summary: 'Relay a STOW-RS upload to the PACS (`--dicomweb`) with the server credentials',
    description:
      "Under any of the three services: OHIF's upload posts to `<wadoRoot>/studies`. The PACS' answer streams " +
      'through with its status (its own refusals too).',
  })
  @ApiParam(SERVICE_PARAM)
  @ApiParam(PATH_PARAM)
  @ApiBody({
    description: 'DICOM instances, as STOW-RS sends them.',
    required: true,
    schema: { ...BINARY, description: '`multipart/related; type="application/dicom"`, one part per instance.' },
  })
  @ApiConsumes('multipart/related')
  @ApiResponse({
    status: 200,
    description: "The PACS' STOW-RS answer: what it stored and what it refused.",
    content: { 'application/dicom+json': { schema: DICOM_JSON } },
  })
  @ApiErrors({
    400: 'A path leaving the DICOMweb root, or no `--dicomweb` configured; the message says which.',
    404: 'Not a proxied service (`qido`, `wado`, `stow`).',
    413: 'An upload over `--max_upload_mb`.',
    415: 'A body that is not `multipart/related`.',
    503: 'The PACS cannot be reached; the message names it.',
  })
  async store(
    @Param('service') service: string,
    @Req() req: ProxiedRequest,
    @Res() res: ServerResponse,
  ): Promise<void> {
    await this.#relay('POST', service, req, res);
  }

  async #relay(
    method: ProxyRequest['method'],
    service: string,
    req: ProxiedRequest,
    res: ServerResponse,
  ): Promise<void> {
    const viewerGone = new AbortController();
    res.once('close', () => viewerGone.abort());
    const url = req.originalUrl ?? req.url ?? '';
    const prefix = `/proxy/dicom/${service}`;
    const answer = await this.proxy.open({
      method,
      service,
      pathAndQuery: url.startsWith(prefix) ? url.slice(prefix.length) : url,
      headers: req.headers,
      ...(method === 'POST' ? { body: req } : {}),
      signal: viewerGone.signal,
    });
    res.writeHead(answer.status, answer.headers);
    if (!answer.body) {
      res.end();
      return;
    }
    // A failure from here (the PACS gone, the bound passed) cuts the connection: the status is already sent.
    await pipeline(Readable.from(answer.body), res);
  }
}
