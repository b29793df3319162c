/**
 * Small test datafiles. `experimentDatafile` has flag `checkout` with an A/B test whose traffic is
 * split by `split` (0–10000 goes to `treatment`, the rest to `control`); `segmentsDatafile` turns
 * flag `vip_banner` on for users in the ODP segment `vip`, with ODP at `odpHost`.
 */
export function experimentDatafile(revision: string, treatmentEnd: number, odpHost?: string) {
  return {
    version: '4',
    accountId: 'acc-1',
    projectId: 'proj-1',
    revision,
    sdkKey: 'sdk-key-1',
    environmentKey: 'production',
    anonymizeIP: true,
    botFiltering: false,
    attributes: [],
    events: [{ id: 'event-1', key: 'purchase', experimentIds: ['exp-1'] }],
    groups: [],
    audiences: [],
    typedAudiences: [
      {
        id: 'aud-vip',
        name: 'vip',
        conditions: [
          'and',
          ['or', { type: 'third_party_dimension', name: 'odp.audiences', match: 'qualified', value: 'vip' }],
        ],
      },
    ],
    integrations: odpHost ? [{ key: 'odp', host: odpHost, publicKey: 'odp-key' }] : [],
    experiments: [
      {
        id: 'exp-1',
        key: 'checkout_test',
        status: 'Running',
        layerId: 'layer-1',
        audienceIds: [],
        forcedVariations: {},
        variations: [
          { id: 'var-treatment', key: 'treatment', featureEnabled: true, variables: [] },
          { id: 'var-control', key: 'control', featureEnabled: false, variables: [] },
        ],
        trafficAllocation: [
          { entityId: 'var-treatment', endOfRange: treatmentEnd },
          { entityId: 'var-control', endOfRange: 10000 },
        ],
      },
    ],
    featureFlags: [
      { id: 'flag-1', key: 'checkout', rolloutId: '', experimentIds: ['exp-1'], variables: [] },
      { id: 'flag-2', key: 'vip_banner', rolloutId: 'rollout-2', experimentIds: [], variables: [] },
    ],
    rollouts: [
      {
        id: 'rollout-2',
        experiments: [
          {
            id: 'rule-vip',
            key: 'vip_rule',
            status: 'Running',
            layerId: 'layer-vip',
            audienceIds: ['aud-vip'],
            audienceConditions: ['or', 'aud-vip'],
            forcedVariations: {},
            variations: [{ id: 'var-on', key: 'on', featureEnabled: true, variables: [] }],
            trafficAllocation: [{ entityId: 'var-on', endOfRange: 10000 }],
          },
        ],
      },
    ],
  };
}
