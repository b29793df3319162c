import { describe, expect, it } from 'vitest';
import { AgentConfigError, loadConfig } from '../src/config/load-config';
import { parseDuration } from '../src/config/parse-duration';

describe('loadConfig', () => {
  it('reads YAML with Go durations and case-insensitive keys', () => {
    const config = loadConfig({
      env: {},
      yaml: 'sdkkeys: [a, b]\nclient:\n  pollingInterval: 2m\n  flushInterval: 1m30s\napi:\n  port: 9000\n',
    });
    expect(config.sdkKeys).toEqual(['a', 'b']);
    expect(config.client.pollingInterval).toBe(120_000);
    expect(config.client.flushInterval).toBe(90_000);
    expect(config.api.port).toBe(9000);
    expect(config.admin.port).toBe(8088);
  });

  it('lets OPTIMIZELY_* variables override the file, including JSON objects and lists', () => {
    const config = loadConfig({
      yaml: 'api:\n  port: 9000\n',
      env: {
        OPTIMIZELY_API_PORT: '9100',
        OPTIMIZELY_SDKKEYS: 'k1,k2',
        OPTIMIZELY_SERVER_BATCHREQUESTS_OPERATIONSLIMIT: '3',
        OPTIMIZELY_API_ENABLENOTIFICATIONS: 'true',
        OPTIMIZELY_CLIENT_USERPROFILESERVICE:
          '{"default":"in-memory","services":{"in-memory":{"capacity":5}}}',
        OPTIMIZELY_CLIENT_ODP_SEGMENTSCACHE_SERVICES: '{"in-memory":{"size":1,"timeout":"5s"}}',
      },
    });
    expect(config.api.port).toBe(9100);
    expect(config.sdkKeys).toEqual(['k1', 'k2']);
    expect(config.server.batchRequests.operationsLimit).toBe(3);
    expect(config.api.enableNotifications).toBe(true);
    expect(config.client.userProfileService.default).toBe('in-memory');
    expect(config.client.odp.segmentsCache.services['in-memory']).toEqual({ size: 1, timeout: 5000 });
  });

  it('has Agent’s client.cmab defaults', () => {
    expect(loadConfig({ env: {} }).client.cmab).toEqual({
      requestTimeout: 10_000,
      predictionEndpoint: 'https://prediction.cmab.optimizely.com/predict/%s',
      cache: { default: 'in-memory', services: { 'in-memory': { size: 10_000, timeout: 1_800_000 } } },
    });
  });

  it('reads client.cmab from the file, and lets OPTIMIZELY_CMAB_PREDICTIONENDPOINT win', () => {
    const yaml = [
      'client:',
      '  cmab:',
      '    requestTimeout: 2s',
      '    predictionEndpoint: http://from-file/predict/%s',
      '    cache:',
      '      services:',
      '        in-memory: { size: 5, timeout: 1m }',
    ].join('\n');
    const fromFile = loadConfig({ env: {}, yaml }).client.cmab;
    expect(fromFile.requestTimeout).toBe(2_000);
    expect(fromFile.predictionEndpoint).toBe('http://from-file/predict/%s');
    expect(fromFile.cache).toEqual({
      default: 'in-memory',
      services: { 'in-memory': { size: 5, timeout: 60_000 } },
    });

    const path = loadConfig({
      yaml,
      env: {
        OPTIMIZELY_CLIENT_CMAB_PREDICTIONENDPOINT: 'http://from-path/predict/%s',
        OPTIMIZELY_CLIENT_CMAB_REQUESTTIMEOUT: '3s',
        OPTIMIZELY_CLIENT_CMAB_CACHE: '{"default":"redis"}',
      },
    }).client.cmab;
    expect(path.predictionEndpoint).toBe('http://from-path/predict/%s');
    expect(path.requestTimeout).toBe(3_000);
    expect(path.cache.default).toBe('redis');

    const agentVariable = loadConfig({
      yaml,
      env: {
        OPTIMIZELY_CLIENT_CMAB_PREDICTIONENDPOINT: 'http://from-path/predict/%s',
        OPTIMIZELY_CMAB_PREDICTIONENDPOINT: 'http://from-env/predict/%s',
      },
    }).client.cmab;
    expect(agentVariable.predictionEndpoint).toBe('http://from-env/predict/%s');
    expect(agentVariable.requestTimeout).toBe(2_000);
    // Set but empty: not set.
    expect(
      loadConfig({ yaml, env: { OPTIMIZELY_CMAB_PREDICTIONENDPOINT: '' } }).client.cmab.predictionEndpoint,
    ).toBe('http://from-file/predict/%s');
  });

  it('refuses values of the wrong type with the path named', () => {
    expect(() => loadConfig({ env: {}, yaml: 'api:\n  port: soon\n' })).toThrow(AgentConfigError);
    expect(() => loadConfig({ env: { OPTIMIZELY_API_ENABLEOVERRIDES: 'maybe' } })).toThrow(/enableOverrides/);
  });

  it('ignores __proto__ keys', () => {
    const config = loadConfig({
      env: {},
      yaml: '__proto__:\n  polluted: true\napi:\n  __proto__:\n    x: 1\n',
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(config.api)).toBe(Object.prototype);
  });
});

describe('parseDuration', () => {
  it('reads Go durations and milliseconds', () => {
    expect(parseDuration('300ms')).toBe(300);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration(250)).toBe(250);
    expect(parseDuration('10')).toBe(10);
    expect(parseDuration('ten')).toBeUndefined();
    expect(parseDuration('5x')).toBeUndefined();
  });
});
