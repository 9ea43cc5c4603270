import * as path from 'node:path';
import { plainToInstance } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';
import * as os from 'node:os';
import { ConfigError, type DicomwebAuth, type DicomwebConnection } from '@aiaa/core';
import { checkDicomwebSettings } from './dicomweb-settings';
import { ENGINE_NAMES, type EngineName } from '@aiaa/inference';
import { optionalString, stringOr, toBool, toInt, toList, toTrustProxy } from './raw-values';

/** The levels of `--log_level`, least to most severe (pino's names). */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

/** Loopback addresses: the default `--admin_hosts`. */
export const LOOPBACK_HOSTS: readonly string[] = ['127.0.0.1', '::1'];

/**
 * The server configuration: one object, validated once at boot from command-line flags (AIAA's names) and
 * `AIAA_*` environment variables. Flags win over the environment. Nothing else in the app reads `process.env`.
 */
export class AppConfig {
  /** The workspace folder: `models/`, `lib/`, `sessions/`, `logs/`, `triton_models/`, the SQLite registry. */
  @IsString()
  @MinLength(1)
  workspace!: string;

  /** TCP port of the HTTP server (AIAA's default 5000; 0 picks a free port). */
  @IsInt()
  @Min(0)
  @Max(65535)
  port!: number;

  /** Address the HTTP server binds to. */
  @IsString()
  @MinLength(1)
  host!: string;

  /** Which `inference.<ENGINE>` section of a config is used by default. */
  @IsIn(ENGINE_NAMES)
  engine!: EngineName;

  /** Triton server host (used with `--engine TRITON`). */
  @IsOptional()
  @IsString()
  tritonIp?: string;

  /** Triton gRPC port. */
  @IsInt()
  @Min(1)
  @Max(65535)
  tritonPort!: number;

  /** Where Triton model folders are written (`<workspace>/triton_models` by default). */
  @IsString()
  @MinLength(1)
  tritonModelPath!: string;

  /** Client addresses allowed on `/admin/*` without a token; `*` allows every address. */
  @IsString({ each: true })
  adminHosts!: string[];

  /** Bearer token that opens `/admin/*` from any address. Never logged. */
  @IsOptional()
  @IsString()
  @MinLength(1)
  adminToken?: string;

  /**
   * Browser origins allowed to call the MONAI Label routes (`/info`, `/infer`, `/datastore`, …) across origins, such as
   * an OHIF viewer served elsewhere; `*` allows any origin. Empty (the default): same-origin pages only. Admin routes
   * never answer across origins.
   */
  @IsString({ each: true })
  corsOrigins!: string[];

  /** Verbose logging. */
  @IsBoolean()
  debug!: boolean;

  /** TypeORM database: `sqlite:<file>` or a plain file path (SQLite), or a `postgres://` URL. */
  @IsString()
  @MinLength(1)
  db!: string;

  /**
   * This process among several sharing one workspace and database: its uploads are staged in
   * `staging/<instance_id>/` and `sessions/tmp/<instance_id>/`, which it alone cleans. Absent (SQLite, one process),
   * staging is `staging/` and `sessions/tmp/`. With a `postgres://` database it defaults to `<hostname>-<port>`.
   */
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { message: 'letters, digits, ".", "_" or "-" (at most 64)' })
  instanceId?: string;

  /**
   * How often, in ms, the registry database is read for changes made by other instances (PUT, activation, DELETE);
   * 0: never (one instance). Default 1000 with a `postgres://` database, 0 with SQLite.
   */
  @IsInt()
  @Min(0)
  @Max(60_000)
  registryPollMs!: number;

  /** Largest accepted upload, in MiB, per file. */
  @IsInt()
  @Min(1)
  maxUploadMb!: number;

  /**
   * Worker threads per model running its pipeline (default 1), so that a long inference leaves the event loop free;
   * 0 runs every model on the main thread.
   */
  @IsInt()
  @Min(0)
  @Max(64)
  workers!: number;

  /** Longest a `/v1/*` inference may run, in seconds, before it is abandoned with 504 (0: no limit). */
  @IsInt()
  @Min(0)
  requestTimeoutSec!: number;

  /**
   * Longest silence within any request body (multipart, JSON, urlencoded, on any route), in seconds, before it is
   * abandoned with 408 (0: never). A slow upload that keeps moving is cut only by {@link bodyTimeoutSec}.
   */
  @IsInt()
  @Min(0)
  uploadIdleTimeoutSec!: number;

  /** Longest any request may take to arrive whole, headers and body, in seconds, before a 408 (0: no limit). */
  @IsInt()
  @Min(0)
  bodyTimeoutSec!: number;

  /** Most bytes of arrays one request may hold at once (resamples, crops, model inputs and outputs, masks), in MiB. */
  @IsInt()
  @Min(1)
  requestBudgetMb!: number;

  /** Image requests (inference, sessions, polygons) run at once; the others wait in a queue. */
  @IsInt()
  @Min(1)
  @Max(256)
  maxHeavyRequests!: number;

  /** Image requests that may wait for a turn; one more is answered 503 with Retry-After. */
  @IsInt()
  @Min(0)
  heavyQueue!: number;

  /** Most bytes all requests in progress may have staged on disk at once, in MiB (503 past it). */
  @IsInt()
  @Min(1)
  maxStagingMb!: number;

  /** Sessions one client (address, or admin token) may hold at once; one more answers 429. */
  @IsInt()
  @Min(1)
  sessionsPerClient!: number;

  /** Longest expiry a session may ask for, in seconds (AIAA: the server's maximum caps the requested one). */
  @IsInt()
  @Min(1)
  sessionMaxExpirySec!: number;

  /**
   * Express's `trust proxy`: off (default) uses the TCP peer's address; `true`, a hop count, or a list of proxy
   * addresses/subnets take the client address from `X-Forwarded-For` (or `Forwarded`). Behind a proxy, admin access
   * must use the token: every client arrives from the proxy's address.
   */
  @IsOptional()
  trustProxy?: boolean | number | string;

  /** On SIGTERM/SIGINT, how long requests in progress may take to finish before they are cancelled, in seconds. */
  @IsInt()
  @Min(0)
  shutdownGraceSec!: number;

  /**
   * The DICOMweb service root of the PACS the MONAI Label datastore, `?image=<SeriesInstanceUID>`, DICOM session
   * references and `/proxy/dicom` use (e.g. `http://pacs:8042/dicom-web`); none by default.
   */
  @IsOptional()
  @IsString()
  dicomweb?: string;

  /** Basic-auth user for the DICOMweb server (with {@link dicomwebPassword}). */
  @IsOptional()
  @IsString()
  dicomwebUser?: string;

  /** Basic-auth password for the DICOMweb server; best given as AIAA_DICOMWEB_PASSWORD. Never logged. */
  @IsOptional()
  @IsString()
  dicomwebPassword?: string;

  /** Bearer token for the DICOMweb server; best given as AIAA_DICOMWEB_TOKEN. Never logged. */
  @IsOptional()
  @IsString()
  dicomwebToken?: string;

  /** Most series volumes kept in memory so repeated requests on a series do not fetch it again. */
  @IsInt()
  @Min(1)
  dicomwebCacheSeries!: number;

  /** Most MiB of voxels those volumes may hold together; the least recently used go first. */
  @IsInt()
  @Min(1)
  dicomwebCacheMb!: number;

  /** Most MiB downloaded for one series; a larger series answers 413 once that much has come. */
  @IsInt()
  @Min(1)
  dicomwebMaxSeriesMb!: number;
  /** Versions kept per model (the active one included): a successful upload prunes the oldest inactive ones. */
  @IsInt()
  @Min(1)
  @Max(1000)
  keepVersions!: number;

  /** Least level written to the log: `trace`, `debug`, `info`, `warn`, `error`, `fatal` or `silent`. */
  @IsIn(LOG_LEVELS)
  logLevel!: LogLevelName;

  /** Size in MiB at which `logs/aiaa.log` rotates (to `aiaa.log.1`, …; 0: never). */
  @IsInt()
  @Min(0)
  @Max(100_000)
  logMaxMb!: number;

  /**
   * A second port serving only `GET /metrics`, to every client (for a scraper on the inside network); absent: the
   * metrics are on the main port under the admin rules.
   */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(65535)
  metricsPort?: number;

  /** `<workspace>/models`: one folder per registered model. */
  get modelsDir(): string {
    return path.join(this.workspace, 'models');
  }

  /** `<workspace>/staging`: uploads land here before they are validated and moved into `models/`. */
  get stagingDir(): string {
    return this.instanceId === undefined
      ? path.join(this.workspace, 'staging')
      : path.join(this.workspace, 'staging', this.instanceId);
  }

  /** Whether the registry lives in a database server that other instances may share. */
  get sharedDatabase(): boolean {
    return /^postgres(ql)?:\/\//i.test(this.db);
  }

  /**
   * `<workspace>/logs/aiaa.log`, served by `GET /logs`; `aiaa-<instance_id>.log` beside other instances, so that each
   * writes and rotates a file of its own.
   */
  get logFile(): string {
    const file = this.instanceId === undefined ? 'aiaa.log' : `aiaa-${this.instanceId}.log`;
    return path.join(this.workspace, 'logs', file);
  }

  /** The Triton host to dial: `--triton_ip`, or `localhost` when none is given. */
  get tritonHost(): string {
    return this.tritonIp ?? 'localhost';
  }

  get maxUploadBytes(): number {
    return this.maxUploadMb * 1024 * 1024;
  }

  get requestBudgetBytes(): number {
    return this.requestBudgetMb * 1024 * 1024;
  }

  get maxStagingBytes(): number {
    return this.maxStagingMb * 1024 * 1024;
  }

  /** Where and how to reach the DICOMweb server, or undefined when `--dicomweb` is not given. */
  get dicomwebConnection(): DicomwebConnection | undefined {
    if (this.dicomweb === undefined) {
      return undefined;
    }
    const auth: DicomwebAuth | undefined =
      this.dicomwebToken !== undefined
        ? { kind: 'bearer', token: this.dicomwebToken }
        : this.dicomwebUser !== undefined
          ? { kind: 'basic', username: this.dicomwebUser, password: this.dicomwebPassword ?? '' }
          : undefined;
    return { url: this.dicomweb, ...(auth ? { auth } : {}) };
  }
}

/** Raw settings before validation: strings from the command line or the environment, or typed values from tests. */
export type RawConfig = Partial<Record<keyof AppConfigFields, unknown>>;
type AppConfigFields = Pick<
  AppConfig,
  | 'workspace'
  | 'port'
  | 'host'
  | 'engine'
  | 'tritonIp'
  | 'tritonPort'
  | 'tritonModelPath'
  | 'adminHosts'
  | 'adminToken'
  | 'corsOrigins'
  | 'debug'
  | 'db'
  | 'instanceId'
  | 'registryPollMs'
  | 'maxUploadMb'
  | 'workers'
  | 'requestTimeoutSec'
  | 'uploadIdleTimeoutSec'
  | 'bodyTimeoutSec'
  | 'requestBudgetMb'
  | 'maxHeavyRequests'
  | 'heavyQueue'
  | 'maxStagingMb'
  | 'sessionsPerClient'
  | 'sessionMaxExpirySec'
  | 'trustProxy'
  | 'shutdownGraceSec'
  | 'dicomweb'
  | 'dicomwebUser'
  | 'dicomwebPassword'
  | 'dicomwebToken'
  | 'dicomwebCacheSeries'
  | 'dicomwebCacheMb'
  | 'dicomwebMaxSeriesMb'
  | 'keepVersions'
  | 'logLevel'
  | 'logMaxMb'
  | 'metricsPort'
>;

/**
 * Fills defaults, converts strings and validates.
 * @throws ConfigError naming the flag (`--port: must not be greater than 65535`).
 */
export function buildConfig(raw: RawConfig): AppConfig {
  const workspace = path.resolve(stringOr(raw.workspace, './workspace'));
  const db = stringOr(raw.db, `sqlite:${path.join(workspace, 'aiaa.sqlite')}`);
  const shared = /^postgres(ql)?:\/\//i.test(db);
  const port = toInt(raw.port, 5000);
  const defaultInstance = shared ? `${os.hostname().replace(/[^A-Za-z0-9._-]/g, '_')}-${String(port)}` : undefined;
  const maxUploadMb = toInt(raw.maxUploadMb, 1024);
  const plain = {
    workspace,
    port,
    host: stringOr(raw.host, '0.0.0.0'),
    engine: typeof raw.engine === 'string' ? raw.engine.toUpperCase() : (raw.engine ?? 'AIAA'),
    tritonIp: raw.tritonIp,
    tritonPort: toInt(raw.tritonPort, 8001),
    tritonModelPath: path.resolve(workspace, stringOr(raw.tritonModelPath, 'triton_models')),
    adminHosts: toList(raw.adminHosts, LOOPBACK_HOSTS),
    adminToken: raw.adminToken === '' ? undefined : raw.adminToken,
    corsOrigins: toList(raw.corsOrigins, []),
    debug: toBool(raw.debug),
    db,
    instanceId: raw.instanceId === '' || raw.instanceId === undefined ? defaultInstance : raw.instanceId,
    registryPollMs: toInt(raw.registryPollMs, shared ? 1000 : 0),
    maxUploadMb,
    workers: toInt(raw.workers, 1),
    requestTimeoutSec: toInt(raw.requestTimeoutSec, 600),
    uploadIdleTimeoutSec: toInt(raw.uploadIdleTimeoutSec, 60),
    bodyTimeoutSec: toInt(raw.bodyTimeoutSec, 3600),
    requestBudgetMb: toInt(raw.requestBudgetMb, 4096),
    maxHeavyRequests: toInt(raw.maxHeavyRequests, 2),
    heavyQueue: toInt(raw.heavyQueue, 16),
    // Room for four uploads of the largest size in progress at once.
    maxStagingMb: toInt(raw.maxStagingMb, typeof maxUploadMb === 'number' ? 4 * maxUploadMb : 4096),
    sessionsPerClient: toInt(raw.sessionsPerClient, 10),
    sessionMaxExpirySec: toInt(raw.sessionMaxExpirySec, 24 * 3600),
    trustProxy: toTrustProxy(raw.trustProxy),
    shutdownGraceSec: toInt(raw.shutdownGraceSec, 8),
    dicomweb: optionalString(raw.dicomweb),
    dicomwebUser: optionalString(raw.dicomwebUser),
    dicomwebPassword: optionalString(raw.dicomwebPassword),
    dicomwebToken: optionalString(raw.dicomwebToken),
    dicomwebCacheSeries: toInt(raw.dicomwebCacheSeries, 4),
    dicomwebCacheMb: toInt(raw.dicomwebCacheMb, 2048),
    dicomwebMaxSeriesMb: toInt(raw.dicomwebMaxSeriesMb, 2048),
    keepVersions: toInt(raw.keepVersions, 3),
    logLevel:
      typeof raw.logLevel === 'string' && raw.logLevel !== ''
        ? raw.logLevel.toLowerCase()
        : toBool(raw.debug)
          ? 'debug'
          : 'info',
    logMaxMb: toInt(raw.logMaxMb, 20),
    metricsPort: raw.metricsPort === undefined || raw.metricsPort === '' ? undefined : toInt(raw.metricsPort, 0),
  };
  const config = plainToInstance(AppConfig, plain);
  const errors = validateSync(config, { forbidUnknownValues: true });
  const first = errors[0];
  if (first) {
    const detail = Object.values(first.constraints ?? {}).join('; ') || 'invalid';
    // Secrets are never echoed, not even in a refusal.
    const got = SECRET_SETTINGS.includes(first.property) ? '' : ` (got ${JSON.stringify(first.value)})`;
    throw new ConfigError(`--${snake(first.property)}`, `${detail}${got}`);
  }
  checkDicomwebSettings(config);
  return config;
}

/** Settings whose values are secrets. */
const SECRET_SETTINGS: readonly string[] = ['adminToken', 'dicomwebPassword', 'dicomwebToken'];

function snake(property: string): string {
  return property.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
