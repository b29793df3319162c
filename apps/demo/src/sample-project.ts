// The demo's sample project: a hand-written Optimizely datafile that shows every kind of rule.
//
// - checkout_redesign: an A/B test on 80% of traffic, with one variable of every type.
// - free_shipping / bundle_offer: two experiments in a mutually exclusive group (a user is in one at most).
// - new_dashboard: targeted deliveries (beta testers, app 2.x at 50%) and Everyone Else.
// - vip_lounge: a delivery for the ODP segment `vip`, and one for staff e-mail addresses.
// - dark_mode: paying customers and minors get it; Everyone Else at 25%.
//
// Audiences use exact, exists, substring, gt, ge, lt, le, semver_ge and ODP's qualified match.

import type {
  Datafile,
  DatafileAudience,
  DatafileExperiment,
  DatafileVariation,
  LeafCondition,
} from '@flagkit/node';

/** The sdk key the demo's CDN serves the sample project under. */
export const SAMPLE_SDK_KEY = 'flagkit-demo';

/** The ODP public key the sample project carries, and the stand-in ODP expects. */
export const SAMPLE_ODP_PUBLIC_KEY = 'demo-odp-public-key';

/** The user attributes the page offers, with their types. */
export const SAMPLE_ATTRIBUTES = [
  { key: 'country', type: 'string', hint: 'US, CA, DE…' },
  { key: 'age', type: 'number', hint: 'years' },
  { key: 'plan', type: 'string', hint: 'free, pro, enterprise' },
  { key: 'email', type: 'string', hint: 'someone@flagkit.dev' },
  { key: 'app_version', type: 'string', hint: 'semver, e.g. 2.1.0' },
  { key: 'beta_tester', type: 'boolean', hint: '' },
] as const;

/** A few users who land in different places, offered as presets on the page. */
export const SAMPLE_USERS: readonly {
  readonly id: string;
  readonly label: string;
  readonly attributes: Readonly<Record<string, string | number | boolean>>;
}[] = [
  {
    id: 'alice',
    label: 'Alice: US, 34, pro, beta',
    attributes: { country: 'US', age: 34, plan: 'pro', app_version: '2.3.0', beta_tester: true },
  },
  {
    id: 'bob',
    label: 'Bob: DE, 22, free, app 1.9',
    attributes: { country: 'DE', age: 22, plan: 'free', app_version: '1.9.4', beta_tester: false },
  },
  {
    id: 'carol',
    label: 'Carol: CA, 45, staff, VIP',
    attributes: {
      country: 'CA',
      age: 45,
      plan: 'enterprise',
      email: 'carol@flagkit.dev',
      app_version: '2.0.0',
    },
  },
  {
    id: 'dave',
    label: 'Dave: US, 17, free',
    attributes: { country: 'US', age: 17, plan: 'free', app_version: '2.1.0' },
  },
];

/** The stand-in ODP's customers: user id → the segments they qualify for. */
export const SAMPLE_CUSTOMERS: Readonly<Record<string, readonly string[]>> = {
  alice: ['has_purchased'],
  bob: [],
  carol: ['vip', 'has_purchased'],
  dave: ['cart_abandoner'],
};

const custom = (name: string, match: string, value?: unknown): LeafCondition =>
  value === undefined
    ? { type: 'custom_attribute', name, match }
    : { type: 'custom_attribute', name, match, value };

const AUDIENCES: DatafileAudience[] = [
  {
    id: '2001',
    name: 'North American adults',
    conditions: [
      'and',
      ['or', custom('country', 'exact', 'US'), custom('country', 'exact', 'CA')],
      custom('age', 'ge', 18),
    ],
  },
  {
    id: '2002',
    name: 'Paying customers',
    conditions: ['or', custom('plan', 'exact', 'pro'), custom('plan', 'exact', 'enterprise')],
  },
  { id: '2003', name: 'Beta testers', conditions: ['and', custom('beta_tester', 'exact', true)] },
  { id: '2004', name: 'App 2.x or newer', conditions: ['and', custom('app_version', 'semver_ge', '2.0.0')] },
  {
    id: '2005',
    name: 'Staff',
    conditions: ['and', custom('email', 'exists'), custom('email', 'substring', '@flagkit.dev')],
  },
  {
    id: '2006',
    name: 'VIP customers (ODP segment)',
    conditions: [
      'and',
      { type: 'third_party_dimension', name: 'odp.audiences', match: 'qualified', value: 'vip' },
    ],
  },
  {
    id: '2007',
    name: 'Young adults (18 to 29)',
    conditions: ['and', custom('age', 'gt', 17), custom('age', 'le', 29)],
  },
  { id: '2008', name: 'Minors', conditions: ['and', custom('age', 'lt', 18)] },
];

function variation(
  id: string,
  key: string,
  featureEnabled: boolean,
  variables: Record<string, string> = {},
): DatafileVariation {
  return {
    id,
    key,
    featureEnabled,
    variables: Object.entries(variables).map(([vid, value]) => ({ id: vid, value })),
  };
}

/** A rule: the variations share `percent` of traffic evenly. */
function rule(
  id: string,
  key: string,
  audienceId: string | null,
  percent: number,
  variations: DatafileVariation[],
): DatafileExperiment {
  return {
    id,
    key,
    status: 'Running',
    layerId: `layer-${id}`,
    audienceIds: audienceId ? [audienceId] : [],
    audienceConditions: audienceId ? ['or', audienceId] : [],
    variations,
    trafficAllocation: splitTraffic(variations, percent),
    forcedVariations: {},
  };
}

/** The traffic allocation that gives each variation an equal share of `percent` of users. */
export function splitTraffic(
  variations: readonly { readonly id: string }[],
  percent: number,
): { entityId: string; endOfRange: number }[] {
  const total = Math.round(Math.min(100, Math.max(0, percent)) * 100);
  return variations.map((v, i) => ({
    entityId: v.id,
    endOfRange: Math.round((total * (i + 1)) / variations.length),
  }));
}

// Variable ids (one per flag variable).
const V = {
  buttonLabel: '7001',
  buttonColor: '7002',
  maxSteps: '7003',
  discountRate: '7004',
  showTrustBadges: '7005',
  layout: '7006',
  thresholdUsd: '7101',
  bundleSize: '7201',
  headline: '7202',
  theme: '7301',
  widgets: '7302',
  welcome: '7401',
  contrast: '7501',
};

/** Builds the sample datafile, its ODP integration pointing at `odpHost`. */
export function sampleProject(odpHost: string): Datafile {
  const checkoutTest = rule('4001', 'checkout_ab_test', null, 80, [
    variation('5001', 'control', true, {
      [V.buttonLabel]: 'Checkout',
      [V.buttonColor]: '#4b5563',
      [V.maxSteps]: '4',
      [V.discountRate]: '0',
      [V.showTrustBadges]: 'false',
      [V.layout]: '{"columns":1,"summary":"bottom"}',
    }),
    variation('5002', 'one_page', true, {
      [V.buttonLabel]: 'Buy now',
      [V.buttonColor]: '#16a34a',
      [V.maxSteps]: '1',
      [V.discountRate]: '0.05',
      [V.showTrustBadges]: 'true',
      [V.layout]: '{"columns":2,"summary":"side"}',
    }),
  ]);
  const freeShippingTest = rule('4002', 'free_shipping_test', '2001', 100, [
    variation('5011', 'over_50', true, { [V.thresholdUsd]: '50' }),
    variation('5012', 'over_25', true, { [V.thresholdUsd]: '25' }),
  ]);
  const bundleOfferTest = rule('4003', 'bundle_offer_test', '2007', 100, [
    variation('5021', 'two_pack', true, { [V.bundleSize]: '2', [V.headline]: 'Better together' }),
    variation('5022', 'three_for_two', true, { [V.bundleSize]: '3', [V.headline]: '3 for the price of 2' }),
  ]);

  const off = (id: string) => variation(id, 'off', false);

  return {
    version: '4',
    accountId: '10001',
    projectId: '20001',
    revision: '1',
    sdkKey: SAMPLE_SDK_KEY,
    environmentKey: 'production',
    anonymizeIP: true,
    botFiltering: false,
    sendFlagDecisions: true,
    attributes: SAMPLE_ATTRIBUTES.map((a, i) => ({ id: String(1001 + i), key: a.key })),
    audiences: [
      {
        id: '$opt_dummy_audience',
        name: 'Optimizely-Generated Audience for Backwards Compatibility',
        conditions:
          '["or", {"match": "exact", "name": "$opt_dummy_attribute", "type": "custom_attribute", "value": "$opt_dummy_value"}]',
      },
    ],
    typedAudiences: AUDIENCES,
    events: [
      { id: '3001', key: 'purchase', experimentIds: ['4001', '4002', '4003'] },
      { id: '3002', key: 'add_to_cart', experimentIds: ['4001', '4003'] },
      { id: '3003', key: 'signup', experimentIds: [] },
    ],
    experiments: [checkoutTest],
    groups: [
      {
        id: '6001',
        policy: 'random',
        trafficAllocation: [
          { entityId: '4002', endOfRange: 5000 },
          { entityId: '4003', endOfRange: 10000 },
        ],
        experiments: [freeShippingTest, bundleOfferTest],
      },
    ],
    featureFlags: [
      {
        id: '8001',
        key: 'checkout_redesign',
        rolloutId: '9001',
        experimentIds: ['4001'],
        variables: [
          { id: V.buttonLabel, key: 'button_label', type: 'string', defaultValue: 'Checkout' },
          { id: V.buttonColor, key: 'button_color', type: 'string', defaultValue: '#4b5563' },
          { id: V.maxSteps, key: 'max_steps', type: 'integer', defaultValue: '4' },
          { id: V.discountRate, key: 'discount_rate', type: 'double', defaultValue: '0' },
          { id: V.showTrustBadges, key: 'show_trust_badges', type: 'boolean', defaultValue: 'false' },
          {
            id: V.layout,
            key: 'layout',
            type: 'string',
            subType: 'json',
            defaultValue: '{"columns":1,"summary":"bottom"}',
          },
        ],
      },
      {
        id: '8002',
        key: 'free_shipping',
        rolloutId: '9002',
        experimentIds: ['4002'],
        variables: [{ id: V.thresholdUsd, key: 'threshold_usd', type: 'integer', defaultValue: '75' }],
      },
      {
        id: '8003',
        key: 'bundle_offer',
        rolloutId: '9003',
        experimentIds: ['4003'],
        variables: [
          { id: V.bundleSize, key: 'bundle_size', type: 'integer', defaultValue: '1' },
          { id: V.headline, key: 'headline', type: 'string', defaultValue: '' },
        ],
      },
      {
        id: '8004',
        key: 'new_dashboard',
        rolloutId: '9004',
        experimentIds: [],
        variables: [
          { id: V.theme, key: 'theme', type: 'json', defaultValue: '{"accent":"slate","density":"cozy"}' },
          { id: V.widgets, key: 'widgets', type: 'integer', defaultValue: '3' },
        ],
      },
      {
        id: '8005',
        key: 'vip_lounge',
        rolloutId: '9005',
        experimentIds: [],
        variables: [{ id: V.welcome, key: 'welcome_message', type: 'string', defaultValue: 'Welcome' }],
      },
      {
        id: '8006',
        key: 'dark_mode',
        rolloutId: '9006',
        experimentIds: [],
        variables: [{ id: V.contrast, key: 'contrast', type: 'double', defaultValue: '1.0' }],
      },
    ],
    rollouts: [
      { id: '9001', experiments: [rule('9101', 'everyone_else_checkout', null, 100, [off('9901')])] },
      { id: '9002', experiments: [rule('9102', 'everyone_else_shipping', null, 100, [off('9902')])] },
      { id: '9003', experiments: [rule('9103', 'everyone_else_bundle', null, 100, [off('9903')])] },
      {
        id: '9004',
        experiments: [
          rule('9201', 'beta_testers', '2003', 100, [
            variation('9211', 'on', true, {
              [V.theme]: '{"accent":"violet","density":"compact"}',
              [V.widgets]: '8',
            }),
          ]),
          rule('9202', 'modern_app', '2004', 50, [
            variation('9212', 'on', true, {
              [V.theme]: '{"accent":"teal","density":"cozy"}',
              [V.widgets]: '5',
            }),
          ]),
          rule('9104', 'everyone_else_dashboard', null, 100, [off('9904')]),
        ],
      },
      {
        id: '9005',
        experiments: [
          rule('9301', 'vip_segment', '2006', 100, [
            variation('9311', 'on', true, { [V.welcome]: 'Welcome back to the lounge' }),
          ]),
          rule('9302', 'staff', '2005', 100, [
            variation('9312', 'on', true, { [V.welcome]: 'Hello, colleague' }),
          ]),
          rule('9105', 'everyone_else_lounge', null, 100, [off('9905')]),
        ],
      },
      {
        id: '9006',
        experiments: [
          rule('9401', 'paying_customers', '2002', 100, [
            variation('9411', 'on', true, { [V.contrast]: '1.2' }),
          ]),
          rule('9402', 'minors', '2008', 100, [variation('9412', 'on', true, { [V.contrast]: '1.4' })]),
          rule('9106', 'everyone_else_dark_mode', null, 25, [
            variation('9906', 'on', true, { [V.contrast]: '1.0' }),
          ]),
        ],
      },
    ],
    integrations: [{ key: 'odp', host: odpHost, publicKey: SAMPLE_ODP_PUBLIC_KEY }],
  };
}
