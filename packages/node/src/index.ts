// The public API of @flagkit/node. Each export is named explicitly so the surface stays visible.

export {
  createUndiciRequester,
  type NodeRequester,
  type UndiciRequesterOptions,
} from './platform/undici-requester';
