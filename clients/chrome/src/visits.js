// Which completed navigations become visit events. One event per page: the same address completing again in the
// same tab (a reload, a history update that changes nothing, a fragment link) is not a new visit. Kept in the
// service worker's memory only: after the worker restarts, a page may be recorded once more, which is harmless.

const MAX_TABS = 500;
const lastByTab = new Map();

function withoutFragment(url) {
  const hash = url.indexOf('#');
  return hash < 0 ? url : url.slice(0, hash);
}

/** True the first time a tab shows this address (ignoring the fragment); a null URL forgets the tab. */
export function visitWorthRecording(tabId, url) {
  if (url === null) {
    lastByTab.delete(tabId);
    return false;
  }

  const page = withoutFragment(url);
  if (lastByTab.get(tabId) === page) {
    return false;
  }

  if (lastByTab.size >= MAX_TABS && !lastByTab.has(tabId)) {
    lastByTab.delete(lastByTab.keys().next().value);
  }

  lastByTab.set(tabId, page);
  return true;
}
