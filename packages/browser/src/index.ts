// The public API of @flagkit/browser. Each export is named explicitly so the surface stays visible.

export { createFetchRequester } from '@flagkit/edge';
export { onPageHide, type PageHideHandler } from './page-lifecycle';
export {
  BEACON_CONTENT_TYPE,
  type BeaconNavigator,
  createBeaconDispatcher,
} from './platform/beacon-dispatcher';
export {
  createLocalStorageStore,
  type LocalStorageStore,
  type LocalStorageStoreOptions,
  type WebStorageLike,
} from './platform/local-storage-store';
