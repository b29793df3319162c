/** Request counts and durations per route and status, written as Prometheus text by `/metrics`. */
export class HttpMetrics {
  private readonly series = new Map<
    string,
    { route: string; method: string; status: number; count: number; seconds: number }
  >();
  private readonly startedAt = Date.now();

  record(method: string, route: string, status: number, elapsedMs: number): void {
    const key = `${method} ${route} ${status}`;
    let entry = this.series.get(key);
    if (!entry) {
      entry = { route, method, status, count: 0, seconds: 0 };
      this.series.set(key, entry);
    }
    entry.count++;
    entry.seconds += elapsedMs / 1000;
  }

  /** The Prometheus text exposition (version 0.0.4). */
  toPrometheus(gauges: Readonly<Record<string, number>>, extraLines: readonly string[] = []): string {
    const lines: string[] = [
      '# HELP flagkit_agent_http_requests_total API requests answered, by route and status.',
      '# TYPE flagkit_agent_http_requests_total counter',
    ];
    const labels = (e: { route: string; method: string; status: number }) =>
      `{method="${e.method}",route="${escapeLabel(e.route)}",status="${e.status}"}`;
    for (const e of this.series.values())
      lines.push(`flagkit_agent_http_requests_total${labels(e)} ${e.count}`);
    lines.push(
      '# HELP flagkit_agent_http_request_duration_seconds Time spent answering API requests.',
      '# TYPE flagkit_agent_http_request_duration_seconds summary',
    );
    for (const e of this.series.values()) {
      lines.push(`flagkit_agent_http_request_duration_seconds_sum${labels(e)} ${e.seconds}`);
      lines.push(`flagkit_agent_http_request_duration_seconds_count${labels(e)} ${e.count}`);
    }
    lines.push('# HELP flagkit_agent_uptime_seconds Seconds since the agent started.');
    lines.push('# TYPE flagkit_agent_uptime_seconds gauge');
    lines.push(`flagkit_agent_uptime_seconds ${(Date.now() - this.startedAt) / 1000}`);
    for (const [name, value] of Object.entries(gauges)) {
      lines.push(`# TYPE ${name} gauge`, `${name} ${value}`);
    }
    lines.push(...extraLines);
    return `${lines.join('\n')}\n`;
  }
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
