import { describe, expect, it } from 'vitest';
import { makeContext, makeConversion, makeImpression } from '../test-support/events';
import { buildLogEvent } from './batch-log-event';
import { endpointForRegion } from './log-event-builder';

// Broad byte-for-byte agreement with the official SDK is proven in tests/conformance; these pin
// the rules that generated datafiles reach rarely.
describe('buildLogEvent', () => {
  it('chooses the endpoint by region, US for unknown ones', () => {
    expect(endpointForRegion('EU')).toBe('https://eu.logx.optimizely.com/v1/events');
    expect(endpointForRegion('US')).toBe('https://logx.optimizely.com/v1/events');
    expect(endpointForRegion('APAC')).toBe('https://logx.optimizely.com/v1/events');
    expect(endpointForRegion('')).toBe('https://logx.optimizely.com/v1/events');
  });

  it('writes an impression in the reference key order, with cmab_uuid when present', () => {
    const event = makeImpression({ cmabUuid: 'c-1', timestamp: 5, uuid: 'u-1' });
    expect(JSON.stringify(buildLogEvent([event]).params)).toBe(
      '{"client_name":"javascript-sdk","client_version":"1.0.0","account_id":"111","project_id":"222","revision":"7",' +
        '"anonymize_ip":true,"enrich_decisions":true,"visitors":[{"snapshots":[{"decisions":[{"campaign_id":"333",' +
        '"experiment_id":"444","variation_id":"555","metadata":{"flag_key":"flag","rule_key":"exp","rule_type":"feature-test",' +
        '"variation_key":"v1","enabled":true,"cmab_uuid":"c-1"}}],"events":[{"entity_id":"333","timestamp":5,' +
        '"key":"campaign_activated","uuid":"u-1"}]}],"visitor_id":"user-1","attributes":[{"entity_id":"900","key":"plan",' +
        '"type":"custom","value":"pro"},{"entity_id":"$opt_bot_filtering","key":"$opt_bot_filtering","type":"custom","value":true}]}]}',
    );
  });

  it('falls back to the experiment id for the campaign and nulls non-numeric variation ids', () => {
    const event = makeImpression({ layer: { id: '' }, variation: { id: 'abc', key: 'v' } });
    const batch = buildLogEvent([event]).params as {
      visitors: {
        snapshots: { decisions: Record<string, unknown>[]; events: Record<string, unknown>[] }[];
      }[];
    };
    const snapshot = batch.visitors[0]!.snapshots[0]!;
    expect(snapshot.decisions[0]).toMatchObject({ campaign_id: '444', variation_id: null });
    expect(snapshot.events[0]!.entity_id).toBe('444');
    const none = makeImpression({ layer: { id: null }, experiment: { id: null, key: '' } });
    const noneBatch = buildLogEvent([none]).params as typeof batch;
    expect(noneBatch.visitors[0]!.snapshots[0]!.decisions[0]).toMatchObject({
      campaign_id: null,
      experiment_id: '',
    });
  });

  it('writes a conversion with tags, value and revenue, and no bot filtering attribute when absent', () => {
    const event = makeConversion({
      context: makeContext({ botFiltering: undefined }),
      timestamp: 9,
      uuid: 'u-2',
      revenue: null,
    });
    expect(JSON.stringify(buildLogEvent([event]).params)).toContain(
      '"visitors":[{"snapshots":[{"events":[{"entity_id":"666","key":"purchase","timestamp":9,"uuid":"u-2",' +
        '"tags":{"revenue":1200,"value":3.5,"color":"red"},"value":3.5}]}],"visitor_id":"user-2","attributes":[]}]',
    );
  });
});
