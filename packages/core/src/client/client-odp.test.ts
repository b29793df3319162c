import { describe, expect, it } from 'vitest';
import { datafile } from '../../test-support/datafile-builder';
import type { OdpIntegration } from '../config/project-config';
import type { OdpEventInput, OdpManager } from '../ports/odp-manager';
import { createInstance } from './create-instance';

/** An ODP manager that records what the client asks of it. */
function recordingOdpManager(enabled: boolean) {
  const configs: OdpIntegration[] = [];
  const sent: OdpEventInput[] = [];
  const manager: OdpManager = {
    start: () => {},
    isEnabled: () => enabled,
    updateConfig: (config) => {
      configs.push(config);
    },
    fetchQualifiedSegments: async () => [],
    identifyUser: () => {},
    sendEvent: (event) => {
      sent.push(event);
      return { ok: true };
    },
    flush: () => Promise.resolve(),
    stop: () => Promise.resolve(),
  };
  return { manager, configs, sent };
}

const integrated = () =>
  datafile({ integrations: [{ key: 'odp', host: 'https://odp.example', publicKey: 'key' }] });

describe('Client ODP wiring', () => {
  it('gives a static datafile’s ODP settings to the manager during createInstance', () => {
    const odp = recordingOdpManager(true);
    createInstance({ datafile: integrated(), odpManager: odp.manager });
    expect(odp.configs).toHaveLength(1);
    expect(odp.configs[0]).toMatchObject({ integrated: true, apiHost: 'https://odp.example', apiKey: 'key' });
  });

  it('refuses sendOdpEvent with odpNotEnabled when the manager is disabled, without calling it', () => {
    const odp = recordingOdpManager(false);
    const client = createInstance({ datafile: integrated(), odpManager: odp.manager });
    expect(client.sendOdpEvent('a', undefined, { fs_user_id: 'u' })).toMatchObject({
      ok: false,
      reason: 'odpNotEnabled',
    });
    expect(odp.sent).toHaveLength(0);
  });

  it('passes the call through unchanged when enabled and integrated', () => {
    const odp = recordingOdpManager(true);
    const client = createInstance({ datafile: integrated(), odpManager: odp.manager });
    const identifiers = new Map([['fs_user_id', 'u']]);
    expect(client.sendOdpEvent('purchased', 'fullstack', identifiers, { n: 1 })).toEqual({ ok: true });
    expect(odp.sent).toEqual([{ action: 'purchased', type: 'fullstack', identifiers, data: { n: 1 } }]);
  });
});
