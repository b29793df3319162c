// The test page's script: the harness Chromium drives, over the built @flagkit/browser bundle.
import { createBatchEventProcessor, createInstance } from '@flagkit/browser';

let client;
let processor;

window.harness = {
  async init({ datafile, logxUrl, flushInterval = 60_000, batchSize = 10, maxRetries = 3 }) {
    processor = createBatchEventProcessor({
      endpoint: logxUrl,
      flushInterval,
      batchSize,
      maxRetries,
      backoff: { initialMs: 20, maxMs: 40, jitterMs: 0 },
    });
    client = createInstance({ datafile, eventProcessor: processor });
    await client.onReady({ timeout: 5_000 });
    return true;
  },
  decide(userId, flagKey) {
    const decision = client.createUserContext(userId).decide(flagKey);
    return { enabled: decision.enabled, variationKey: decision.variationKey, ruleKey: decision.ruleKey };
  },
  metrics() {
    return processor.getMetrics();
  },
  storedEventKeys() {
    try {
      return Object.keys(localStorage).filter((key) => key.startsWith('flagkit_event:'));
    } catch {
      return null;
    }
  },
  flush() {
    return client.flush();
  },
};
