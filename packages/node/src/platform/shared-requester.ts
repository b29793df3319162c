import { createUndiciRequester, type NodeRequester } from './undici-requester';

let shared: NodeRequester | undefined;

/**
 * One keep-alive undici pool for every client of the process, created on first use. Clients come
 * and go (one per request in some servers); sharing the pool keeps them from each holding sockets,
 * and undici unrefs idle sockets, so the pool never keeps the process alive.
 */
export function sharedUndiciRequester(): NodeRequester {
  shared ??= createUndiciRequester();
  return shared;
}
