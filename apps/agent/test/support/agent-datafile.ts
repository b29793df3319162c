import {
  datafile,
  flag,
  rollout,
  rule,
  variable,
  variation,
} from '../../../../packages/core/test-support/datafile-builder';

/**
 * The contract tests' project:
 * - `checkout`: experiment `checkout_test` (everyone in `treatment`, variable `color` = red; user
 *   `forced-user` whitelisted to `control`), then the everyone-else rule `default-rollout-checkout`
 *   (key equal to id, so `isEveryoneElseVariation`), serving `off`.
 * - `banner`: delivery rule `banner_rule` for `country = nl`, then everyone else (`default-rollout-banner`).
 * - `vip_banner`: on only for users in the ODP segment `vip`.
 * - `legacy_exp`: a plain A/B experiment outside any flag (for `/v1/activate` and `/v1/override`).
 * - event `purchase`; ODP integrated at `odp.host` when given.
 */
export function agentDatafile(revision: string, odp: { host: string; publicKey: string } | null) {
  const color = variable('var-color', 'color', 'string', 'blue');
  return datafile({
    revision,
    sdkKey: 'sdkKey1',
    sendFlagDecisions: true,
    attributes: [{ id: 'attr-country', key: 'country' }],
    events: [{ id: 'event-purchase', key: 'purchase', experimentIds: ['exp-checkout'] }],
    audiences: [
      {
        id: '$opt_dummy_audience',
        name: 'Optimizely-Generated Audience for Backwards Compatibility',
        conditions:
          '["or", {"match": "exact", "name": "$opt_dummy_attribute", "type": "custom_attribute", "value": "$opt_dummy_value"}]',
      },
    ],
    typedAudiences: [
      {
        id: 'aud-nl',
        name: 'Dutch',
        conditions: [
          'and',
          ['or', { type: 'custom_attribute', name: 'country', match: 'exact', value: 'nl' }],
        ],
      },
      {
        id: 'aud-vip',
        name: 'VIPs',
        conditions: [
          'and',
          ['or', { type: 'third_party_dimension', name: 'odp.audiences', match: 'qualified', value: 'vip' }],
        ],
      },
    ],
    experiments: [
      rule(
        'exp-checkout',
        'checkout_test',
        [
          variation('var-treatment', 'treatment', true, { 'var-color': 'red' }),
          variation('var-control', 'control', false),
        ],
        { forcedVariations: { 'forced-user': 'var-control' } },
      ),
      rule('exp-legacy', 'legacy_exp', [variation('var-a', 'a', true), variation('var-b', 'b', true)], {
        traffic: [
          ['var-a', 5000],
          ['var-b', 10000],
        ],
      }),
    ],
    featureFlags: [
      flag('flag-checkout', 'checkout', {
        experimentIds: ['exp-checkout'],
        rolloutId: 'rollout-checkout',
        variables: [color],
      }),
      flag('flag-banner', 'banner', { rolloutId: 'rollout-banner' }),
      flag('flag-vip', 'vip_banner', { rolloutId: 'rollout-vip' }),
    ],
    rollouts: [
      rollout('rollout-checkout', [
        rule('default-rollout-checkout', 'default-rollout-checkout', [
          variation('var-checkout-off', 'off', false),
        ]),
      ]),
      rollout('rollout-banner', [
        rule('rule-banner', 'banner_rule', [variation('var-banner-on', 'on', true)], {
          audienceIds: ['aud-nl'],
        }),
        rule('default-rollout-banner', 'default-rollout-banner', [variation('var-banner-off', 'off', false)]),
      ]),
      rollout('rollout-vip', [
        rule('rule-vip', 'vip_rule', [variation('var-vip-on', 'on', true)], { audienceIds: ['aud-vip'] }),
        rule('default-rollout-vip', 'default-rollout-vip', [variation('var-vip-off', 'off', false)]),
      ]),
    ],
    integrations: odp ? [{ key: 'odp', host: odp.host, publicKey: odp.publicKey }] : [],
  });
}
