import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiConsumes, ApiOperation, ApiParam, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { DicomwebProxyService, PROXIED_SERVICES, type ProxyRequest } from './dicomweb-proxy.service';

type ProxiedRequest = IncomingMessage & { originalUrl?: string };

const PATH_PARAM = {
  name: 'path',
  type: String,
  description: 'The DICOMweb resource below the service root, e.g. `studies`, `studies/{uid}/series/{uid}/metadata`',
} as const;

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
    summary: 'Relay a QIDO-RS or WADO-RS request to the PACS (`--dicomweb`) with the server credentials',
    description:
      'The answer streams through with its status and Content-Type; at most `--dicomweb_max_series_mb` per answer.',
  })
  @ApiParam({ name: 'service', enum: PROXIED_SERVICES, description: 'All three reach the same DICOMweb root' })
  @ApiParam(PATH_PARAM)
  @ApiProduces('application/dicom+json', 'multipart/related', 'application/octet-stream')
  @ApiResponse({ status: 200, description: "The PACS' answer (its other statuses are passed on as they are)" })
  @ApiResponse({ status: 400, description: 'a path leaving the DICOMweb root, or no `--dicomweb` configured' })
  @ApiResponse({ status: 404, description: 'not a proxied service' })
  @ApiResponse({ status: 413, description: 'the PACS announces an answer over the limit' })
  @ApiResponse({ status: 503, description: 'the PACS cannot be reached (named in the message)' })
  async get(@Param('service') service: string, @Req() req: ProxiedRequest, @Res() res: ServerResponse): Promise<void> {
    await this.#relay('GET', service, req, res);
  }

  @Post(':service/*path')
  @ApiOperation({
    summary: 'Relay a STOW-RS upload to the PACS (`--dicomweb`) with the server credentials',
    description: "Under any of the three services: OHIF's upload posts to `<wadoRoot>/studies`.",
  })
  @ApiParam({ name: 'service', enum: PROXIED_SERVICES, description: 'All three reach the same DICOMweb root' })
  @ApiParam(PATH_PARAM)
  @ApiConsumes('multipart/related')
  @ApiProduces('application/dicom+json')
  @ApiResponse({ status: 200, description: "The PACS' STOW-RS answer (its other statuses are passed on)" })
  @ApiResponse({ status: 404, description: 'not a proxied service' })
  @ApiResponse({ status: 413, description: 'an upload over `--max_upload_mb`' })
  @ApiResponse({ status: 415, description: 'a body that is not multipart/related' })
  @ApiResponse({ status: 503, description: 'the PACS cannot be reached (named in the message)' })
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
