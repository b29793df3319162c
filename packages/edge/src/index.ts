// The public API of @flagkit/edge. Each export is named explicitly so the surface stays visible.

export {
  createFetchRequester,
  type FetchFunction,
  type FetchRequesterOptions,
} from './platform/fetch-requester';
