import * as path from 'node:path';
import { ConfigError } from '@aiaa/core';
import { loadConfig, parseCliArgs } from './cli-args';

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
