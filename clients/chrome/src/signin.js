// Signing in without a browser account (issue 12, point 2): an unmanaged browser, or one nobody signed in to, has
// no profile email to enrol with, so the popup offers "Sign in with your school account". That opens the portal's
// /extension/sign-in page with this browser's device ID and a random state; the person signs in to the portal and
// confirms, and the portal sends the tab to /extension/sign-in?done=1#code=…&state=…. The worker watches its tabs'
// committed navigations for that address on the configured server (the server's address is only known at run
// time, so a static externally_connectable cannot name it, and a content script would depend on injection
// timing), checks the state, and exchanges the one-time code — with the enrolment key from its policy — for its
// token at POST /api/v1/extension/sign-in. Refusals (unknown account, leaver, revoked key) are kept as enrolment's are.
import { readConfig } from './config.js';
import { deviceAttributes, deviceId, deviceName, loadState, saveState, withEnrolment } from './state.js';

const PENDING_KEY = 'brightlineSignIn';
const PENDING_LIFETIME_MS = 10 * 60 * 1000;
export const SIGN_IN_PATH = '/extension/sign-in';

/** Opens the portal's sign-in for this browser; the popup's button sends `brightline:sign-in`. */
export async function startSignIn() {
  const config = await readConfig();
  if (!config.serverUrl || !config.enrolmentKey) {
    return null;
  }

  const state = crypto.randomUUID();
  await chrome.storage.local.set({ [PENDING_KEY]: { state, serverUrl: config.serverUrl, expires: Date.now() + PENDING_LIFETIME_MS } });
  const url = `${config.serverUrl}${SIGN_IN_PATH}?device=${encodeURIComponent(await deviceId())}&state=${encodeURIComponent(state)}`;
  await chrome.tabs.create({ url });
  return url;
}

/**
 * True when a portal sign-in's enrolment stands for this configuration: the browser still has no profile email
 * (enrolment by email cannot replace it), and the server and key are those it was made with.
 */
export function keepsPortalSignIn(previous, config) {
  return Boolean(previous?.signedInVia === 'portal' && previous.token
    && previous.serverUrl === config.serverUrl && previous.enrolmentKey === config.enrolmentKey);
}

async function exchange(code) {
  const config = await readConfig();
  let response;
  try {
    response = await fetch(`${config.serverUrl}/api/v1/extension/sign-in`, {
      // Bearer tokens only: a portal session cookie in this browser would make the API ask for an anti-forgery token.
      credentials: 'omit',
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ enrolmentKey: config.enrolmentKey, code, deviceId: await deviceId(), deviceName: deviceName(), ...(await deviceAttributes()) }),
    });
  } catch {
    return saveState({ ...(await loadState()), status: 'offline', message: 'The school\'s Brightline server cannot be reached.' });
  }

  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    return saveState({
      status: body.code || 'refused', message: body.detail || `Sign-in was refused (${response.status}).`,
      serverUrl: config.serverUrl, enrolmentKey: config.enrolmentKey, email: null,
    });
  }

  const notice = await fetch(`${config.serverUrl}/api/v1/monitoring/notice`, { credentials: 'omit', headers: { Authorization: `Bearer ${body.monitoringToken}` } })
    .then((r) => (r.ok ? r.json() : {}), () => ({}));
  return saveState({
    status: 'enrolled', signedInVia: 'portal', token: body.token, monitoringToken: body.monitoringToken, personId: body.personId,
    person: body.person, school: body.school, notice: notice.notice ?? null, serverUrl: config.serverUrl,
    email: body.email ?? null, enrolmentKey: config.enrolmentKey, message: null,
  });
}


async function finishSignIn(details) {
  if (details.frameId !== 0 || !details.url.includes(`${SIGN_IN_PATH}?done=1#`)) {
    return;
  }

  const { [PENDING_KEY]: pending } = await chrome.storage.local.get(PENDING_KEY);
  if (!pending || pending.expires < Date.now() || !details.url.startsWith(`${pending.serverUrl}${SIGN_IN_PATH}?done=1#`)) {
    return;
  }

  const fragment = new URLSearchParams(details.url.slice(details.url.indexOf('#') + 1));
  if (fragment.get('state') !== pending.state || !fragment.get('code')) {
    // Not the sign-in this browser started (another tab, an old link): ignored.
    return;
  }

  await chrome.storage.local.remove(PENDING_KEY);
  await exchange(fragment.get('code'));
}

// One sign-in or enrolment at a time (withEnrolment): the same navigation is seen twice (committed, then completed),
// and a second exchange of the one-time code would be refused and overwrite the enrolment the first one made; an
// enrolment started by a navigation meanwhile would write back the "no-account" it read before the exchange ended.
function onSignInNavigation(details) {
  return withEnrolment(() => finishSignIn(details));
}

// Committed is the first moment the address is known; completed is a second chance if that event was missed (once,
// in a loaded test run, the exchange never happened; the cause was not found). The pending sign-in is removed before
// the exchange, so the second event finds nothing to do.
chrome.webNavigation.onCommitted.addListener(onSignInNavigation);
chrome.webNavigation.onCompleted.addListener(onSignInNavigation);
