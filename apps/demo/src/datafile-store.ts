// The datafile the demo's CDN serves, and the edits the page can make to it. Each edit bumps the
// revision, so SDKs polling the CDN pick the new datafile up.

import type { Datafile, DatafileExperiment } from '@flagkit/node';
import { splitTraffic } from './sample-project';
import type { ActivityLog } from './shared/activity';
import type { DatafileSummary, RuleSummary } from './shared/api';

type MutableDatafile = { -readonly [K in keyof Datafile]: Datafile[K] };
type MutableRule = { -readonly [K in keyof DatafileExperiment]: DatafileExperiment[K] };

/** A rejected edit: unknown rule or audience, bad percentage. */
export class DatafileEditError extends Error {
  override readonly name = 'DatafileEditError';
}

export class DatafileStore {
  private datafile: MutableDatafile;
  private text: string;
  private lastModified: string;
  private revisionNumber = 1;

  constructor(
    initial: Datafile,
    private readonly activity: ActivityLog,
  ) {
    // A deep copy: edits must not reach the caller's object.
    this.datafile = JSON.parse(JSON.stringify(initial)) as MutableDatafile;
    this.revisionNumber = Number(initial.revision) || 1;
    this.text = JSON.stringify(this.datafile);
    this.lastModified = new Date().toUTCString();
    activity.add({ kind: 'datafile', revision: this.revision, change: 'sample project loaded' });
  }

  get revision(): string {
    return String(this.revisionNumber);
  }

  /** The datafile as served, and its Last-Modified (distinct per revision). */
  current(): { text: string; lastModified: string } {
    return { text: this.text, lastModified: this.lastModified };
  }

  summary(): DatafileSummary {
    return {
      revision: this.revision,
      rules: this.rules().map(({ flagKey, kind, rule }) => ({
        flagKey,
        ruleKey: rule.key,
        kind,
        percent: ruleShare(rule),
        audienceId: rule.audienceIds[0] ?? null,
      })),
      audiences: (this.datafile.typedAudiences ?? []).map((a) => ({ id: a.id, name: a.name })),
    };
  }

  /** Gives `ruleKey` `percent` % of traffic, split evenly between its variations. */
  setTraffic(ruleKey: string, percent: number): DatafileSummary {
    if (!Number.isFinite(percent) || percent < 0 || percent > 100)
      throw new DatafileEditError(`Traffic must be a percentage from 0 to 100, got ${percent}.`);
    const rule = this.rule(ruleKey);
    rule.trafficAllocation = splitTraffic(rule.variations, percent);
    return this.publish(`${ruleKey}: traffic ${percent}%`);
  }

  /** Targets `ruleKey` at one audience, or everyone with `null`. Everyone Else rules target everyone. */
  setAudience(ruleKey: string, audienceId: string | null): DatafileSummary {
    const found = this.rules().find((r) => r.rule.key === ruleKey);
    if (!found) throw new DatafileEditError(`No rule "${ruleKey}" in the datafile.`);
    if (found.kind === 'Everyone Else')
      throw new DatafileEditError('The Everyone Else rule always targets everyone.');
    const audience =
      audienceId === null ? null : (this.datafile.typedAudiences ?? []).find((a) => a.id === audienceId);
    if (audience === undefined) throw new DatafileEditError(`No audience "${audienceId}" in the datafile.`);
    const rule = found.rule as MutableRule;
    rule.audienceIds = audience ? [audience.id] : [];
    rule.audienceConditions = audience ? ['or', audience.id] : [];
    return this.publish(`${ruleKey}: audience ${audience ? `"${audience.name}"` : 'everyone'}`);
  }

  private publish(change: string): DatafileSummary {
    this.revisionNumber++;
    this.datafile.revision = this.revision;
    this.text = JSON.stringify(this.datafile);
    // HTTP dates have one-second resolution: keep each revision's date distinct and increasing.
    const previous = Date.parse(this.lastModified);
    this.lastModified = new Date(Math.max(Date.now(), previous + 1000)).toUTCString();
    this.activity.add({ kind: 'datafile', revision: this.revision, change });
    return this.summary();
  }

  private rule(ruleKey: string): MutableRule {
    const found = this.rules().find((r) => r.rule.key === ruleKey);
    if (!found) throw new DatafileEditError(`No rule "${ruleKey}" in the datafile.`);
    return found.rule as MutableRule;
  }

  /** Every rule, in the order the flags evaluate them: experiments first, then deliveries. */
  private rules(): { flagKey: string; kind: RuleSummary['kind']; rule: DatafileExperiment }[] {
    const experiments = new Map<string, { rule: DatafileExperiment; grouped: boolean }>();
    for (const rule of this.datafile.experiments) experiments.set(rule.id, { rule, grouped: false });
    for (const group of this.datafile.groups)
      for (const rule of group.experiments) experiments.set(rule.id, { rule, grouped: true });
    const rollouts = new Map((this.datafile.rollouts ?? []).map((r) => [r.id, r]));
    const result: { flagKey: string; kind: RuleSummary['kind']; rule: DatafileExperiment }[] = [];
    for (const flag of this.datafile.featureFlags ?? []) {
      for (const id of flag.experimentIds) {
        const found = experiments.get(id);
        if (found)
          result.push({
            flagKey: flag.key,
            kind: found.grouped ? 'Exclusion group' : 'A/B test',
            rule: found.rule,
          });
      }
      const rollout = rollouts.get(flag.rolloutId)?.experiments ?? [];
      rollout.forEach((rule, i) => {
        result.push({
          flagKey: flag.key,
          kind: i === rollout.length - 1 ? 'Everyone Else' : 'Targeted delivery',
          rule,
        });
      });
    }
    return result;
  }
}

/** The share of users a rule takes: the end of its last traffic range, in percent. */
function ruleShare(rule: DatafileExperiment): number {
  const end = rule.trafficAllocation.reduce((max, range) => Math.max(max, range.endOfRange), 0);
  return end / 100;
}
