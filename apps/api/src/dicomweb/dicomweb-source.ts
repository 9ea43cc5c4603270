import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { AiaaError, DicomwebClient } from '@aiaa/core';
import { AppConfig } from '../config/app-config';
import { DicomwebSeriesCache } from './dicomweb-series-cache';

const MiB = 1024 * 1024;

/** A request needs the PACS, and none is configured: answered 400 naming the flag. */
export class DicomwebNotConfiguredError extends AiaaError {
  constructor(what: string) {
    super(
      'invalid-input',
      `${what} needs a DICOMweb server, and none is configured (start the server with --dicomweb URL)`,
    );
  }
}

/** The client and the series cache, when a PACS is configured. */
export interface ConfiguredPacs {
  readonly client: DicomwebClient;
  readonly cache: DicomwebSeriesCache;
  /** Most bytes downloaded for one series (`--dicomweb_max_series_mb`), the proxy's bound for one answer too. */
  readonly maxSeriesBytes: number;
}

/**
 * The PACS of `--dicomweb`: one DICOMweb client (with the configured credentials) and one cache of series volumes
 * by SeriesInstanceUID, shared by every route that names a series (MONAI Label's datastore and `/infer`, sessions
 * from a DICOM reference, the SEG store, `/proxy/dicom`). Without `--dicomweb` it holds nothing and
 * {@link require} says which flag is missing.
 */
@Injectable()
export class DicomwebSource implements OnModuleInit {
  readonly #logger = new Logger('DICOMweb');
  readonly #pacs: ConfiguredPacs | undefined;

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {
    const connection = config.dicomwebConnection;
    if (connection) {
      const client = new DicomwebClient(connection);
      const maxSeriesBytes = config.dicomwebMaxSeriesMb * MiB;
      const cache = new DicomwebSeriesCache(client, {
        maxEntries: config.dicomwebCacheSeries,
        maxBytes: config.dicomwebCacheMb * MiB,
        maxSeriesBytes,
      });
      this.#pacs = { client, cache, maxSeriesBytes };
    }
  }

  onModuleInit(): void {
    const connection = this.config.dicomwebConnection;
    if (!connection) {
      return;
    }
    const auth = connection.auth;
    const how = !auth
      ? 'no credentials'
      : auth.kind === 'basic'
        ? `basic auth as '${auth.username}'`
        : 'a bearer token';
    this.#logger.log(
      `series from ${connection.url} (${how}); ${this.config.dicomwebCacheSeries} series / ` +
        `${this.config.dicomwebCacheMb} MiB kept, at most ${this.config.dicomwebMaxSeriesMb} MiB per series`,
    );
  }

  /** The PACS, or undefined without `--dicomweb`. */
  get pacs(): ConfiguredPacs | undefined {
    return this.#pacs;
  }

  /** The PACS. @throws DicomwebNotConfiguredError naming `what` when there is none. */
  require(what: string): ConfiguredPacs {
    if (!this.#pacs) {
      throw new DicomwebNotConfiguredError(what);
    }
    return this.#pacs;
  }
}
