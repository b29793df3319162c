/** What the page-lifecycle listener calls: `pagehide` when the page is unloaded or cached, `hidden` on a tab switch. */
export type PageLifecycleHandler = (cause: 'pagehide' | 'hidden') => void;
/** Called when a page comes back from the back/forward cache. */
export type PageShowHandler = () => void;

/**
 * Calls `onHide` when the page may be going away: `pagehide` (navigation, close, and entering the
 * back/forward cache) and `visibilitychange` to hidden (tab or app switch, where pagehide may never
 * fire on mobile). Calls `onShow` when a page comes back from the back/forward cache. Nothing is
 * closed, so a restored page keeps a working client. Returns a function that removes the listeners.
 */
export function onPageHide(onHide: PageLifecycleHandler, onShow?: PageShowHandler): () => void {
  const win = globalThis as unknown as Partial<Window>;
  const doc = win.document;
  if (typeof win.addEventListener !== 'function') return () => {};
  const onPageHideEvent = () => onHide('pagehide');
  const onVisibility = () => {
    if (doc?.visibilityState === 'hidden') onHide('hidden');
  };
  const onPageShow = (event: Event) => {
    if ((event as PageTransitionEvent).persisted) onShow?.();
  };
  win.addEventListener('pagehide', onPageHideEvent);
  win.addEventListener('pageshow', onPageShow);
  doc?.addEventListener('visibilitychange', onVisibility);
  return () => {
    win.removeEventListener?.('pagehide', onPageHideEvent);
    win.removeEventListener?.('pageshow', onPageShow);
    doc?.removeEventListener('visibilitychange', onVisibility);
  };
}
