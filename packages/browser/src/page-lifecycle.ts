/** What the page-lifecycle listener calls when the page may be going away. */
export type PageHideHandler = () => void;

/**
 * Calls `onHide` when the page is hidden or unloaded: `pagehide` (navigation, close, and entering
 * the back/forward cache) and `visibilitychange` to hidden (tab switch, app switch on mobile, where
 * pagehide may never fire). It never closes anything, so a page restored from the back/forward
 * cache keeps a working client. Returns a function that removes the listeners.
 */
export function onPageHide(
  onHide: PageHideHandler,
  target: EventTarget | undefined = globalThis as unknown as EventTarget,
): () => void {
  const doc = (globalThis as { document?: Document }).document;
  if (!target || typeof target.addEventListener !== 'function') return () => {};
  const onVisibility = () => {
    if (doc?.visibilityState === 'hidden') onHide();
  };
  target.addEventListener('pagehide', onHide);
  doc?.addEventListener('visibilitychange', onVisibility);
  return () => {
    target.removeEventListener('pagehide', onHide);
    doc?.removeEventListener('visibilitychange', onVisibility);
  };
}
