import type { DropReason, EventMetricsRecorder } from '@flagkit/node';

type Counter = 'queued' | 'dispatched' | 'retried' | 'failed';

/**
 * The event processors' counters summed over every SDK client, for `/metrics`: events queued,
 * delivered, retried, failed and dropped (by reason), and how many are held in memory now.
 */
export class EventCounters {
  private readonly totals: Record<Counter, number> = { queued: 0, dispatched: 0, retried: 0, failed: 0 };
  private readonly dropped = new Map<string, number>();
  private readonly queueSizes = new Set<{ value: number }>();

  /** A recorder for one client's processor. */
  recorder(): EventMetricsRecorder {
    const queueSize = { value: 0 };
    this.queueSizes.add(queueSize);
    return {
      increment: (counter, amount, reason?: DropReason) => {
        if (counter === 'dropped') {
          const key = reason ?? 'unknown';
          this.dropped.set(key, (this.dropped.get(key) ?? 0) + amount);
        } else {
          this.totals[counter] += amount;
        }
      },
      gauge: (_name, value) => {
        queueSize.value = value;
      },
    };
  }

  /** Prometheus text lines. */
  toPrometheus(): string[] {
    const lines = [
      '# HELP flagkit_agent_events_total Impressions and conversions by what happened to them.',
      '# TYPE flagkit_agent_events_total counter',
    ];
    for (const [outcome, value] of Object.entries(this.totals)) {
      lines.push(`flagkit_agent_events_total{outcome="${outcome}"} ${value}`);
    }
    lines.push(
      '# HELP flagkit_agent_events_dropped_total Events dropped, by reason.',
      '# TYPE flagkit_agent_events_dropped_total counter',
    );
    for (const [reason, value] of this.dropped) {
      lines.push(`flagkit_agent_events_dropped_total{reason="${reason}"} ${value}`);
    }
    let held = 0;
    for (const size of this.queueSizes) held += size.value;
    lines.push(
      '# HELP flagkit_agent_event_queue_size Events held in memory (queued, in flight, pending).',
      '# TYPE flagkit_agent_event_queue_size gauge',
      `flagkit_agent_event_queue_size ${held}`,
    );
    return lines;
  }
}
