/**
 * A request to the event endpoint, as the LOG_EVENT notification and dispatchers see it:
 * `params` is the JSON body (the logx batch).
 */
export interface LogEvent {
  readonly url: string;
  readonly httpVerb: 'POST';
  readonly params: unknown;
}
