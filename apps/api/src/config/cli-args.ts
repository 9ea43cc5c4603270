import { ConfigError } from '@aiaa/core';
import { buildConfig, type AppConfig, type RawConfig } from './app-config';

/** Each setting: its AIAA flag, its environment variable, and whether it takes a value. */
const SETTINGS: readonly {
  key: keyof RawConfig;
  flag: string;
  env: string;
  alias?: string;
  boolean?: true;
  /** A secret: better read from the environment than the command line, where `ps` shows it to every user. */
  secret?: true;
}[] = [
  { key: 'workspace', flag: 'workspace', env: 'AIAA_WORKSPACE', alias: 'w' },
  { key: 'port', flag: 'port', env: 'AIAA_PORT', alias: 'p' },
  { key: 'host', flag: 'host', env: 'AIAA_HOST' },
  { key: 'engine', flag: 'engine', env: 'AIAA_ENGINE', alias: 'e' },
  { key: 'tritonIp', flag: 'triton_ip', env: 'AIAA_TRITON_IP' },
  { key: 'tritonPort', flag: 'triton_port', env: 'AIAA_TRITON_PORT' },
  { key: 'tritonModelPath', flag: 'triton_model_path', env: 'AIAA_TRITON_MODEL_PATH' },
  { key: 'adminHosts', flag: 'admin_hosts', env: 'AIAA_ADMIN_HOSTS' },
  { key: 'adminToken', flag: 'admin_token', env: 'AIAA_ADMIN_TOKEN', secret: true },
  { key: 'corsOrigins', flag: 'cors_origins', env: 'AIAA_CORS_ORIGINS' },
  { key: 'debug', flag: 'debug', env: 'AIAA_DEBUG', alias: 'd', boolean: true },
  { key: 'db', flag: 'db', env: 'AIAA_DB' },
  { key: 'instanceId', flag: 'instance_id', env: 'AIAA_INSTANCE_ID' },
  { key: 'registryPollMs', flag: 'registry_poll_ms', env: 'AIAA_REGISTRY_POLL_MS' },
  { key: 'maxUploadMb', flag: 'max_upload_mb', env: 'AIAA_MAX_UPLOAD_MB' },
  { key: 'workers', flag: 'workers', env: 'AIAA_WORKERS' },
  { key: 'requestTimeoutSec', flag: 'request_timeout_sec', env: 'AIAA_REQUEST_TIMEOUT_SEC' },
  { key: 'uploadIdleTimeoutSec', flag: 'upload_idle_timeout_sec', env: 'AIAA_UPLOAD_IDLE_TIMEOUT_SEC' },
  { key: 'bodyTimeoutSec', flag: 'body_timeout_sec', env: 'AIAA_BODY_TIMEOUT_SEC' },
  { key: 'requestBudgetMb', flag: 'request_budget_mb', env: 'AIAA_REQUEST_BUDGET_MB' },
  { key: 'maxHeavyRequests', flag: 'max_heavy_requests', env: 'AIAA_MAX_HEAVY_REQUESTS' },
  { key: 'heavyQueue', flag: 'heavy_queue', env: 'AIAA_HEAVY_QUEUE' },
  { key: 'maxStagingMb', flag: 'max_staging_mb', env: 'AIAA_MAX_STAGING_MB' },
  { key: 'sessionsPerClient', flag: 'sessions_per_client', env: 'AIAA_SESSIONS_PER_CLIENT' },
  { key: 'sessionMaxExpirySec', flag: 'session_max_expiry_sec', env: 'AIAA_SESSION_MAX_EXPIRY_SEC' },
  { key: 'trustProxy', flag: 'trust_proxy', env: 'AIAA_TRUST_PROXY' },
  { key: 'shutdownGraceSec', flag: 'shutdown_grace_sec', env: 'AIAA_SHUTDOWN_GRACE_SEC' },
  { key: 'dicomweb', flag: 'dicomweb', env: 'AIAA_DICOMWEB' },
  { key: 'dicomwebUser', flag: 'dicomweb_user', env: 'AIAA_DICOMWEB_USER' },
  { key: 'dicomwebPassword', flag: 'dicomweb_password', env: 'AIAA_DICOMWEB_PASSWORD', secret: true },
  { key: 'dicomwebToken', flag: 'dicomweb_token', env: 'AIAA_DICOMWEB_TOKEN', secret: true },
  { key: 'dicomwebCacheSeries', flag: 'dicomweb_cache_series', env: 'AIAA_DICOMWEB_CACHE_SERIES' },
  { key: 'dicomwebCacheMb', flag: 'dicomweb_cache_mb', env: 'AIAA_DICOMWEB_CACHE_MB' },
  { key: 'dicomwebMaxSeriesMb', flag: 'dicomweb_max_series_mb', env: 'AIAA_DICOMWEB_MAX_SERIES_MB' },
  { key: 'keepVersions', flag: 'keep_versions', env: 'AIAA_KEEP_VERSIONS' },
  { key: 'logLevel', flag: 'log_level', env: 'AIAA_LOG_LEVEL' },
  { key: 'logMaxMb', flag: 'log_max_mb', env: 'AIAA_LOG_MAX_MB' },
  { key: 'metricsPort', flag: 'metrics_port', env: 'AIAA_METRICS_PORT' },
];

/** The usage text printed for `--help` and after a bad flag. */
export const USAGE = [
  'usage: npm start -- [--workspace DIR] [--port N] [--host ADDR] [--engine AIAA|TRITON]',
  '                    [--triton_ip HOST] [--triton_port N] [--triton_model_path DIR]',
  '                    [--admin_hosts IP,IP|*] [--admin_token TOKEN] [--debug [1|0]] [--db URL] [--max_upload_mb N]',
  '                    [--workers N]  (pipeline worker threads per model; 0 runs models on the main thread)',
  '                    [--request_timeout_sec N]  (an inference running longer answers 504; default 600, 0: none)',
  '                    [--upload_idle_timeout_sec N]  (a request body silent this long answers 408; default 60, 0: never)',
  '                    [--body_timeout_sec N]  (a request not received whole within N s answers 408; default 3600)',
  '                    [--request_budget_mb N]  (arrays one request may hold at once, 413 past it; default 4096)',
  '                    [--max_heavy_requests N] [--heavy_queue N]  (image requests run at once, default 2, and',
  '                      waiting, default 16; past the queue 503 with Retry-After)',
  '                    [--max_staging_mb N]  (uploads in progress on disk, 503 past it; default 4 x --max_upload_mb)',
  '                    [--sessions_per_client N]  (429 past it; default 10) [--session_max_expiry_sec N] (86400)',
  '                    [--trust_proxy true|HOPS|ADDRS]  (client address from X-Forwarded-For/Forwarded; default off)',
  '                    [--shutdown_grace_sec N]  (on SIGTERM, requests in progress get N s to finish; default 8)',
  '                    [--cors_origins ORIGIN,ORIGIN|*]  (browser origins allowed on the MONAI Label routes; default none)',
  '                    [--dicomweb URL]  (a PACS: DICOMweb service root, e.g. http://pacs:8042/dicom-web)',
  '                    [--dicomweb_user USER] (password in AIAA_DICOMWEB_PASSWORD) or (token in AIAA_DICOMWEB_TOKEN)',
  '                    [--dicomweb_cache_series N] [--dicomweb_cache_mb N]  (series volumes kept; default 4, 2048)',
  '                    [--dicomweb_max_series_mb N]  (a larger series answers 413; default 2048)',
  '                    [--keep_versions K]  (versions kept per model, the active one included; default 3)',
  '                    [--log_level trace|debug|info|warn|error|fatal|silent] [--log_max_mb N]  (rotate at N MiB; 20)',
  '                    [--metrics_port N]  (GET /metrics on its own port, open to every client)',
  '                    [--instance_id ID]  (this instance among several on one workspace; default <hostname>-<port>',
  "                    with a postgres:// --db)  [--registry_poll_ms N]  (read other instances' registry changes every",
  '                    N ms; default 1000 with postgres://, 0 with SQLite)',
  'Every flag also reads an environment variable: AIAA_WORKSPACE, AIAA_PORT, ..., AIAA_ADMIN_TOKEN.',
].join('\n');

/**
 * Reads flags (`--port 5000`, `--port=5000`, dashes or underscores) over `AIAA_*` environment variables.
 * @throws ConfigError naming an unknown flag or a flag without its value.
 */
export function parseCliArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): RawConfig {
  const raw: RawConfig = {};
  for (const setting of SETTINGS) {
    const value = env[setting.env];
    if (value !== undefined) {
      raw[setting.key] = value;
    }
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const match = /^--?([A-Za-z_-]+)(?:=(.*))?$/s.exec(arg);
    if (!match) {
      throw new ConfigError(arg, `unexpected argument\n${USAGE}`);
    }
    const name = (match[1] ?? '').replace(/-/g, '_');
    const setting = SETTINGS.find((s) => s.flag === name || s.alias === name);
    if (!setting) {
      throw new ConfigError(arg, `unknown flag\n${USAGE}`);
    }
    let value: string | undefined = match[2];
    if (value === undefined) {
      const next = argv[i + 1];
      const takesNext = setting.boolean ? next !== undefined && /^(0|1|true|false)$/i.test(next) : next !== undefined;
      if (takesNext && next !== undefined && !(setting.boolean === undefined && next.startsWith('--'))) {
        value = next;
        i++;
      } else if (setting.boolean) {
        value = 'true';
      } else {
        throw new ConfigError(`--${setting.flag}`, 'needs a value');
      }
    }
    raw[setting.key] = value;
  }
  return raw;
}

/** The flags of `argv` that carry secrets (`--dicomweb_password`), for a warning that the environment is safer. */
export function secretFlagsIn(argv: readonly string[]): string[] {
  const names = argv.flatMap((arg) => {
    const match = /^--?([A-Za-z_-]+)/.exec(arg);
    return match ? [(match[1] ?? '').replace(/-/g, '_')] : [];
  });
  return SETTINGS.filter((s) => s.secret && names.includes(s.flag)).map((s) => `--${s.flag} (use ${s.env})`);
}

/** The validated configuration of this process: flags over environment over defaults. */
export function loadConfig(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): AppConfig {
  return buildConfig(parseCliArgs(argv, env));
}
