import * as path from 'node:path';
import { ConfigError } from '@aiaa/core';
import { loadConfig, parseCliArgs, secretFlagsIn } from './cli-args';

describe('loadConfig', () => {
  it('uses AIAA defaults: port 5000, ./workspace, engine AIAA, loopback admin hosts, SQLite in the workspace', () => {
    const config = loadConfig([], {});
    expect(config.port).toBe(5000);
    expect(config.host).toBe('0.0.0.0');
    expect(config.workspace).toBe(path.resolve('workspace'));
    expect(config.engine).toBe('AIAA');
    expect(config.adminHosts).toEqual(['127.0.0.1', '::1']);
    expect(config.adminToken).toBeUndefined();
    expect(config.db).toBe(`sqlite:${path.resolve('workspace', 'aiaa.sqlite')}`);
    expect(config.tritonModelPath).toBe(path.resolve('workspace', 'triton_models'));
    expect(config.modelsDir).toBe(path.resolve('workspace', 'models'));
  });

  it('reads AIAA flag names, with = or a separate value, over the environment', () => {
    const config = loadConfig(
      [
        '--workspace',
        '/tmp/ws',
        '--port=5100',
        '--engine',
        'triton',
        '--triton_ip',
        'tritonserver',
        '--admin_hosts',
        '*',
        '--debug',
      ],
      { AIAA_PORT: '7000', AIAA_ADMIN_TOKEN: 's3cret', AIAA_TRITON_PORT: '9001' },
    );
    expect(config.workspace).toBe('/tmp/ws');
    expect(config.port).toBe(5100);
    expect(config.engine).toBe('TRITON');
    expect(config.tritonIp).toBe('tritonserver');
    expect(config.tritonPort).toBe(9001);
    expect(config.adminHosts).toEqual(['*']);
    expect(config.adminToken).toBe('s3cret');
    expect(config.debug).toBe(true);
    expect(config.tritonModelPath).toBe('/tmp/ws/triton_models');
  });

  it('reads the production flags: --keep_versions, --log_level, --log_max_mb, --metrics_port', () => {
    const defaults = loadConfig([], {});
    expect([defaults.keepVersions, defaults.logLevel, defaults.logMaxMb, defaults.metricsPort]).toEqual([
      3,
      'info',
      20,
      undefined,
    ]);
    const set = loadConfig(['--keep_versions', '5', '--log_level', 'WARN', '--log_max_mb=50'], {
      AIAA_METRICS_PORT: '9464',
    });
    expect([set.keepVersions, set.logLevel, set.logMaxMb, set.metricsPort]).toEqual([5, 'warn', 50, 9464]);
    expect(loadConfig(['--debug'], {}).logLevel).toBe('debug');
    expect(loadConfig(['--debug', '--log_level', 'error'], {}).logLevel).toBe('error');
  });

  it('reads the flags of several instances: --instance_id and --registry_poll_ms, defaulted by the --db dialect', () => {
    const alone = loadConfig(['--workspace', '/ws'], {});
    expect([alone.instanceId, alone.registryPollMs, alone.stagingDir, alone.logFile]).toEqual([
      undefined,
      0,
      '/ws/staging',
      '/ws/logs/aiaa.log',
    ]);
    const shared = loadConfig(['--workspace', '/ws', '--db', 'postgres://db/aiaa', '--port', '5001'], {});
    expect(shared.instanceId).toMatch(/-5001$/);
    expect(shared.registryPollMs).toBe(1000);
    const named = loadConfig(['--workspace', '/ws', '--instance_id', 'a1', '--registry_poll_ms', '250'], {
      AIAA_DB: 'postgres://db/aiaa',
    });
    expect([named.instanceId, named.registryPollMs, named.stagingDir, named.logFile]).toEqual([
      'a1',
      250,
      '/ws/staging/a1',
      '/ws/logs/aiaa-a1.log',
    ]);
    expect(() => loadConfig(['--instance_id', '../x'], {})).toThrow(/--instance_id/);
    expect(() => loadConfig(['--registry_poll_ms', '-1'], {})).toThrow(/--registry_poll_ms/);
  });

  it('accepts --debug 1 / --debug 0 (start_aas.sh style) and dashes for underscores', () => {
    expect(loadConfig(['--debug', '1'], {}).debug).toBe(true);
    expect(loadConfig(['--debug', '0'], {}).debug).toBe(false);
    expect(loadConfig(['--admin-hosts', '10.0.0.1,10.0.0.2'], {}).adminHosts).toEqual(['10.0.0.1', '10.0.0.2']);
  });
});

describe('loadConfig with bad flags', () => {
  it('rejects an unknown flag, naming it', () => {
    expect(() => parseCliArgs(['--prot', '5000'], {})).toThrow(ConfigError);
    expect(() => parseCliArgs(['--prot', '5000'], {})).toThrow(/--prot/);
  });

  it('rejects a flag without its value, naming it', () => {
    expect(() => parseCliArgs(['--port'], {})).toThrow(/--port.*needs a value/);
  });

  it('rejects an out-of-range port, naming the flag and the value', () => {
    expect(() => loadConfig(['--port', '70000'], {})).toThrow(ConfigError);
    expect(() => loadConfig(['--port', '70000'], {})).toThrow(/--port.*70000/);
  });

  it('rejects a non-numeric port from the environment, naming the flag', () => {
    expect(() => loadConfig([], { AIAA_PORT: 'abc' })).toThrow(/--port.*"abc"/);
  });

  it('rejects a bad --keep_versions, --log_level or --metrics_port, naming the flag', () => {
    expect(() => loadConfig(['--keep_versions', '0'], {})).toThrow(/--keep_versions.*0/);
    expect(() => loadConfig(['--log_level', 'loud'], {})).toThrow(/--log_level.*loud/);
    expect(() => loadConfig(['--metrics_port', 'x'], {})).toThrow(/--metrics_port.*"x"/);
  });

  it('rejects an unknown engine, naming --engine', () => {
    expect(() => loadConfig(['--engine', 'TORCH'], {})).toThrow(/--engine.*TORCH/);
  });
});

describe('the DICOMweb flags', () => {
  it('reads the PACS URL and basic auth, the password from the environment, with the cache and limit defaults', () => {
    const config = loadConfig(['--dicomweb', 'http://pacs:8042/dicom-web', '--dicomweb_user', 'aiaa'], {
      AIAA_DICOMWEB_PASSWORD: 's3cret',
    });
    expect(config.dicomwebConnection).toEqual({
      url: 'http://pacs:8042/dicom-web',
      auth: { kind: 'basic', username: 'aiaa', password: 's3cret' },
    });
    expect([config.dicomwebCacheSeries, config.dicomwebCacheMb, config.dicomwebMaxSeriesMb]).toEqual([4, 2048, 2048]);
    expect(loadConfig([], {}).dicomwebConnection).toBeUndefined();
  });

  it('reads a bearer token and the cache and limit flags', () => {
    const config = loadConfig(
      ['--dicomweb_cache_series', '8', '--dicomweb_cache_mb', '4096', '--dicomweb_max_series_mb', '600'],
      { AIAA_DICOMWEB: 'https://pacs.example/dicom-web', AIAA_DICOMWEB_TOKEN: 'tok' },
    );
    expect(config.dicomwebConnection).toEqual({
      url: 'https://pacs.example/dicom-web',
      auth: { kind: 'bearer', token: 'tok' },
    });
    expect([config.dicomwebCacheSeries, config.dicomwebCacheMb, config.dicomwebMaxSeriesMb]).toEqual([8, 4096, 600]);
  });

  it.each([
    [['--dicomweb_user', 'aiaa'], {}, '--dicomweb_user: credentials for a DICOMweb server need its URL'],
    [['--dicomweb', 'pacs:8042'], {}, "--dicomweb: expected an http or https URL, got the scheme 'pacs:'"],
    [
      ['--dicomweb', 'not a url'],
      {},
      "--dicomweb: expected an http(s) URL such as http://pacs:8042/dicom-web, got 'not a url'",
    ],
    [['--dicomweb', 'http://aiaa:hunter2@pacs/dicom-web'], {}, '--dicomweb: the URL carries credentials'],
    [['--dicomweb', 'http://pacs/dicom-web', '--dicomweb_user', 'aiaa'], {}, '--dicomweb_user: needs a password'],
    [
      ['--dicomweb', 'http://pacs/dicom-web', '--dicomweb_user', 'aiaa'],
      { AIAA_DICOMWEB_PASSWORD: 'hunter2', AIAA_DICOMWEB_TOKEN: 'tok' },
      '--dicomweb_token: give either a bearer token or a user and password, not both',
    ],
    [['--dicomweb', 'http://pacs/dicom-web', '--dicomweb_max_series_mb', '0'], {}, '--dicomweb_max_series_mb'],
  ])('refuses %j, naming the flag and never a secret', (argv, env, expected) => {
    let message = '';
    try {
      loadConfig(argv, env);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(expected);
    expect(message).not.toContain('hunter2');
  });

  it('names the secret flags given on the command line, for a warning', () => {
    expect(secretFlagsIn(['--dicomweb', 'http://pacs', '--dicomweb-password=x', '--admin_token', 'y'])).toEqual([
      '--admin_token (use AIAA_ADMIN_TOKEN)',
      '--dicomweb_password (use AIAA_DICOMWEB_PASSWORD)',
    ]);
    expect(secretFlagsIn(['--dicomweb_user', 'aiaa'])).toEqual([]);
  });
});
