// Sites the school's policy excludes from capture (policy `monitoring: excluded_sites`, e.g. its payroll system or
// a counselling service): nothing is captured there — no visit, no search, no typed text. The list comes from the
// server (GET /api/v1/monitoring/settings) and is kept in chrome.storage.local, refreshed at most every five minutes
// when capture needs it. An entry names a host and its subdomains, as the server's ExcludedSite does. The server
// also drops such events itself, so a list not fetched yet (the server unreachable since enrolment) leaks nothing
// into storage on the server.

const KEY = 'brightlineCaptureSettings';
const REFRESH_MS = 5 * 60 * 1000;
const RETRY_MS = 60 * 1000;
let refreshing = null;

function hostOf(url) {
  try {
    return new URL(url).hostname.toLowerCase().replace(/\.$/, '');
  } catch {
    return '';
  }
}

/** True when the host is one of the sites or a subdomain of one. */
export function matches(sites, url) {
  const host = hostOf(url);
  return host !== '' && sites.some((site) => host === site || host.endsWith(`.${site}`));
}

async function refresh(state, saved) {
  const attempt = { ...saved, serverUrl: state.serverUrl, attemptedAt: Date.now() };
  await chrome.storage.local.set({ [KEY]: attempt });
  try {
    const response = await fetch(`${state.serverUrl}/api/v1/monitoring/settings`, { credentials: 'omit', headers: { Authorization: `Bearer ${state.monitoringToken}` } });
    if (!response.ok) {
      return attempt;
    }

    const body = await response.json();
    const settings = { ...attempt, excludedSites: Array.isArray(body.excludedSites) ? body.excludedSites : [], fetchedAt: Date.now() };
    await chrome.storage.local.set({ [KEY]: settings });
    return settings;
  } catch {
    return attempt;
  }
}

/** The capture settings for this server: the stored ones, refreshed first when they are stale (one refresh at a time). */
export async function captureSettings(state) {
  const { [KEY]: stored } = await chrome.storage.local.get(KEY);
  const saved = stored?.serverUrl === state.serverUrl ? stored : { excludedSites: [] };
  const now = Date.now();
  const stale = !saved.fetchedAt || now - saved.fetchedAt > REFRESH_MS;
  const mayTry = !saved.attemptedAt || now - saved.attemptedAt > RETRY_MS || !saved.fetchedAt;
  if (stale && mayTry && state.monitoringToken) {
    refreshing ??= refresh(state, saved).finally(() => { refreshing = null; });
    return refreshing;
  }

  return saved;
}

/** True when capture must leave this address alone. */
export async function excludedFromCapture(url, state) {
  const { excludedSites = [] } = await captureSettings(state);
  return matches(excludedSites, url);
}
