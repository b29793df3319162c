/**
 * A small datafile whose flag `vip_banner` is on only for users in the ODP segment `vip` (a
 * `qualified` audience condition), and whose integrations point ODP at `host`.
 */
export function odpDatafile(
  odp: { host: string; publicKey: string } | null,
  segments = ['vip', 'has_email'],
) {
  const audiences = segments.map((segment, i) => ({
    id: `aud-${i}`,
    name: `in ${segment}`,
    conditions: [
      'and',
      ['or', { type: 'third_party_dimension', name: 'odp.audiences', match: 'qualified', value: segment }],
    ],
  }));
  return {
    version: '4',
    accountId: 'acc-1',
    projectId: 'proj-1',
    revision: '1',
    sdkKey: 'sdk-key',
    environmentKey: 'production',
    anonymizeIP: true,
    botFiltering: false,
    experiments: [],
    groups: [],
    attributes: [],
    events: [],
    audiences: [
      {
        id: '$opt_dummy_audience',
        name: 'Optimizely-Generated Audience for Backwards Compatibility',
        conditions:
          '["or", {"match": "exact", "name": "$opt_dummy_attribute", "type": "custom_attribute", "value": "$opt_dummy_value"}]',
      },
    ],
    typedAudiences: audiences,
    integrations: odp ? [{ key: 'odp', host: odp.host, publicKey: odp.publicKey }] : [],
    featureFlags: [
      { id: 'flag-1', key: 'vip_banner', rolloutId: 'rollout-1', experimentIds: [], variables: [] },
    ],
    rollouts: [
      {
        id: 'rollout-1',
        experiments: [
          {
            id: 'rule-vip',
            key: 'vip_rule',
            status: 'Running',
            layerId: 'layer-vip',
            audienceIds: ['aud-0'],
            audienceConditions: ['or', 'aud-0'],
            variations: [{ id: 'var-on', key: 'on', featureEnabled: true, variables: [] }],
            trafficAllocation: [{ entityId: 'var-on', endOfRange: 10000 }],
            forcedVariations: {},
          },
          {
            id: 'rule-everyone',
            key: 'everyone_else',
            status: 'Running',
            layerId: 'layer-everyone',
            audienceIds: [],
            variations: [{ id: 'var-off', key: 'off', featureEnabled: false, variables: [] }],
            trafficAllocation: [{ entityId: 'var-off', endOfRange: 10000 }],
            forcedVariations: {},
          },
        ],
      },
    ],
  };
}
