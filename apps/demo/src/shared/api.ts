// The JSON the demo's server and page exchange. Types only: imported by both sides.

/** GET /api/config: where the page finds the stand-in services, and the sample data it offers. */
export interface DemoConfig {
  readonly sdkKey: string;
  /** The CDN's datafile URL, `%s` standing for the sdk key. */
  readonly cdnUrlTemplate: string;
  readonly logxEndpoint: string;
  /** Who computes the server column: `@flagkit/node`, or `agent at <url>`. */
  readonly serverLabel: string;
  readonly odpHost: string;
  /** How often both SDKs poll the CDN. */
  readonly pollIntervalMs: number;
  readonly attributes: readonly { readonly key: string; readonly type: string; readonly hint: string }[];
  readonly users: readonly {
    readonly id: string;
    readonly label: string;
    readonly attributes: Readonly<Record<string, string | number | boolean>>;
  }[];
  /** The ODP stand-in's customer table: user id → qualified segments. */
  readonly customers: Readonly<Record<string, readonly string[]>>;
}

/** POST /api/decide: the page's user, as the server should decide for it. */
export interface ServerDecideRequest {
  readonly userId: string;
  readonly attributes: Readonly<Record<string, string | number | boolean>>;
  /** Flag key → forced variation key. */
  readonly forcedDecisions: Readonly<Record<string, string>>;
  /** The ODP segments the page fetched, or null when it has none. */
  readonly segments: readonly string[] | null;
}

/** One flag's decision, as both sides show it. */
export interface DecisionView {
  readonly enabled: boolean;
  readonly variationKey: string | null;
  readonly ruleKey: string | null;
  readonly variables: Readonly<Record<string, unknown>>;
}

/** The server's answer: its decisions for every flag, and the revision it decided on. */
export interface ServerDecideResponse {
  readonly revision: string | null;
  readonly decisions: Readonly<Record<string, DecisionView>>;
}

/** A rule as the editor shows it. */
export interface RuleSummary {
  readonly flagKey: string;
  readonly ruleKey: string;
  readonly kind: 'A/B test' | 'Exclusion group' | 'Targeted delivery' | 'Everyone Else';
  /** Share of users the rule takes, 0–100. */
  readonly percent: number;
  /** The rule's audience id, or null for everyone. */
  readonly audienceId: string | null;
}

/** What the editor needs: the revision, every rule and the audiences a rule can target. */
export interface DatafileSummary {
  readonly revision: string;
  readonly rules: readonly RuleSummary[];
  readonly audiences: readonly { readonly id: string; readonly name: string }[];
}
