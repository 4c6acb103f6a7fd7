// Brightline for Chrome's service worker: enrols the browser's account with the school's Brightline server,
// then decides every top-level navigation with the server's decision API (cached for the TTL the server
// gives) and sends a blocked one — HTTPS included — to the school's block page with the reason. It also queues
// what monitoring captures (typed text from the content script, each page visited with its title) for the
// ingestion API, holds the first navigation for the policy's acknowledgement (acknowledgement.js), and beats for
// tamper evidence (heartbeat.js).
import { holdForAcknowledgement, wasHeld, watchBrowserSessions } from './acknowledgement.js';
import { enqueue, flush } from './capture.js';
import { readConfig, TEST_CONFIG_KEY } from './config.js';
import { excludedFromCapture } from './exclusions.js';
import { forgetAll, stale } from './decisions.js';
import { blockedBeforeRequest, blockFrameWhenDecided, decide as decideBatched } from './filtering.js';
import { keepsPortalSignIn, startSignIn } from './signin.js';
import { watchFirstRun } from './firstrun.js';
import { startHeartbeat } from './heartbeat.js';
import { visitWorthRecording } from './visits.js';
import { deviceAttributes, deviceId, deviceName, loadState, saveState, storedState, withEnrolment } from './state.js';

const REFUSALS = new Set(['unknown-email', 'leaver', 'revoked-key', 'unknown-key']);
let enrolling = null;
let enrolAgain = null;

/**
 * Enrols once at a time; a refusal is kept (and shown in the popup) until the configuration changes. A forced
 * enrolment asked for while one runs (the managed policy arriving during the start-up enrolment) runs after it,
 * so the newer configuration is never lost.
 */
function enrol(force = false) {
  if (enrolling) {
    if (force) {
      enrolAgain ??= enrolling.then(() => { enrolAgain = null; return enrol(true); });
      return enrolAgain;
    }

    return enrolling;
  }

  enrolling = withEnrolment(() => enrolNow(force)).finally(() => { enrolling = null; });
  return enrolling;
}

async function enrolNow(force) {
  const previous = await loadState();
  const config = await readConfig();
  if (!config.serverUrl || !config.enrolmentKey) {
    return saveState({ status: 'not-configured', message: 'Brightline has not been set up on this browser yet. Ask the school\'s IT provider.' });
  }

  if (!config.email) {
    if (keepsPortalSignIn(previous, config)) {
      return previous;
    }

    return saveState({ status: 'no-account', serverUrl: config.serverUrl, message: 'Sign in to the browser with your school account, or use "Sign in with your school account" below.' });
  }

  if (!force && previous.token && previous.serverUrl === config.serverUrl && previous.email === config.email) {
    return previous;
  }

  // A forced enrolment (new settings arrived) with the very settings this browser is already enrolled with changes
  // nothing, and enrolling again would revoke the token in use: the start-up enrolment can read settings that
  // arrived while it began, and the change event then asks for the same enrolment a second time.
  if (force && previous.status === 'enrolled' && previous.token && previous.serverUrl === config.serverUrl
      && previous.email === config.email && previous.enrolmentKey === config.enrolmentKey) {
    return previous;
  }

  if (!force && (REFUSALS.has(previous.status) || previous.status === 'token-revoked')
      && previous.serverUrl === config.serverUrl && previous.email === config.email && previous.enrolmentKey === config.enrolmentKey) {
    return previous;
  }

  let response;
  try {
    response = await fetch(`${config.serverUrl}/api/v1/extension/enrol`, {
      // Bearer tokens only: a portal session cookie in this browser would make the API ask for an anti-forgery token.
      credentials: 'omit',
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ enrolmentKey: config.enrolmentKey, email: config.email, deviceId: await deviceId(), deviceName: deviceName(), ...(await deviceAttributes()) }),
    });
  } catch {
    return saveState({ ...previous, status: previous.token ? previous.status : 'offline', message: 'The school\'s Brightline server cannot be reached.' });
  }

  const body = await response.json().catch(() => ({}));
  forgetAll();
  if (response.ok) {
    // The monitoring notice (people must be told that they are monitored) comes from the ingestion API, as for any device.
    const notice = await fetch(`${config.serverUrl}/api/v1/monitoring/notice`, { credentials: 'omit', headers: { Authorization: `Bearer ${body.monitoringToken}` } })
      .then((r) => (r.ok ? r.json() : {}), () => ({}));
    return saveState({
      status: 'enrolled', token: body.token, monitoringToken: body.monitoringToken, personId: body.personId, person: body.person, school: body.school, notice: notice.notice ?? null,
      serverUrl: config.serverUrl, email: config.email, enrolmentKey: config.enrolmentKey, message: null,
    });
  }

  return saveState({
    status: body.code || 'refused', message: body.detail || `Enrolment was refused (${response.status}).`,
    serverUrl: config.serverUrl, email: config.email, enrolmentKey: config.enrolmentKey,
  });
}

/** The server stopped this browser (401: token revoked; or the person has left): stop, and say so in the popup. */
async function refused(status, body, state) {
  // Only the token in use now is signed out: an enrolment that finished while this request was on its way may have
  // replaced the token the server refused (the server revokes a browser's old token when it enrols again), and
  // writing the request's stale state back would sign out the new one.
  const current = await loadState();
  if (current.token && current.token !== state.token) {
    return;
  }

  forgetAll();
  if (status === 401) {
    await saveState({ ...current, token: null, monitoringToken: null, status: 'token-revoked', message: body.detail || 'This browser has been signed out of Brightline by the school.' });
  } else {
    await saveState({ ...current, token: null, monitoringToken: null, status: 'leaver', message: body.detail });
  }
}

/** The decision for one URL (filtering.js: the cache, else the server in batches; offline, the cache and the illegal hosts). */
function decide(url, state) {
  return decideBatched(url, state, refused);
}

function decidable(url, state) {
  return /^https?:\/\//i.test(url) && !(state.serverUrl && (url === state.serverUrl || url.startsWith(`${state.serverUrl}/`)));
}

/** Decides a top-level navigation and sends a blocked one to the block page; the decision, or null when there is none. */
async function decideNavigation(details) {
  // A block a session rule held before this navigation began was sent to the block page before its request.
  const ruled = blockedBeforeRequest(details.url);
  let state = await loadState();
  if (!state.token && state.status !== 'token-revoked' && !REFUSALS.has(state.status)) {
    state = await enrol();
  }

  if (!state.token || !decidable(details.url, state)) {
    return null;
  }

  // C8, H13: the acknowledgement comes before the first navigation; a held navigation is not a visit.
  if (await holdForAcknowledgement(details, state)) {
    return { url: details.url, action: 'block', reason: 'acknowledgement' };
  }

  const decision = await decide(details.url, state);
  // A frame is replaced by filtering.js; a top-level block already redirected by a rule needs no second redirect.
  if (decision?.action === 'block' && details.frameId === 0 && !ruled) {
    const target = decision.blockPage
      || `${state.serverUrl}/blocked?host=${encodeURIComponent(new URL(details.url).hostname)}`;
    await chrome.tabs.update(details.tabId, { url: target });
  }

  return decision;
}

// The decision still being made for each tab's navigation: a fast site can finish loading before the server's
// answer, and the visit must wait for it so a blocked page is not recorded as visited.
const deciding = new Map();

chrome.webNavigation.onBeforeNavigate.addListener((details) => {
  if (details.frameId !== 0) {
    // Frames are decided too (issue 12, point 3); filtering.js replaces a blocked one.
    blockFrameWhenDecided(details, decideNavigation(details).catch(() => null));
    return;
  }

  const decision = decideNavigation(details).catch(() => null);
  deciding.set(details.tabId, { url: details.url, decision });
  decision.then(() => {
    if (deciding.get(details.tabId)?.decision === decision) {
      deciding.delete(details.tabId);
    }
  });
});

/**
 * A page visited (issue 12, point 4): one `url` event with the address and the page's title. The server turns the
 * URL of a search (SearchUrls: Google, Bing, DuckDuckGo, YouTube, Yahoo) into a `search` event with its query, so
 * the search engines are listed in one place and the query is scored with the title.
 */
async function recordVisit(details, settleMs) {
  if (details.frameId !== 0) {
    return;
  }

  const state = await loadState();
  // Never the Brightline server's own pages (the portal, the block page), and never a page the filter blocked:
  // it was replaced by the block page, not visited.
  if (!state.monitoringToken || !decidable(details.url, state)) {
    return;
  }

  const pending = deciding.get(details.tabId);
  const decision = pending?.url === details.url ? await pending.decision : stale(details.url);
  if (wasHeld(details.tabId, details.url)) {
    // Held for the acknowledgement (the tab went to its page instead): not a visit.
    return;
  }

  if (decision?.action === 'block') {
    return;
  }

  if (settleMs > 0) {
    // A page that changed its address itself (history.pushState) usually sets its new title just after.
    await new Promise((resolve) => { setTimeout(resolve, settleMs); });
  }

  let tab = await chrome.tabs.get(details.tabId).catch(() => null);
  if (!tab?.title || details.url.includes(tab.title)) {
    // A busy browser can report the load before the tab has its title (Chrome shows the address meanwhile): look once more.
    await new Promise((resolve) => { setTimeout(resolve, 500); });
    tab = await chrome.tabs.get(details.tabId).catch(() => null);
  }

  const title = tab?.title && !details.url.includes(tab.title) ? tab.title : undefined;
  if (!visitWorthRecording(details.tabId, details.url) || await excludedFromCapture(details.url, state)) {
    return;
  }

  await enqueue({ kind: 'url', url: details.url, title, tabId: details.tabId });
  await flush(state);
}

chrome.webNavigation.onCompleted.addListener((details) => recordVisit(details, 0));
// Pages that navigate without loading (a YouTube search, a web app's views) change their address this way.
chrome.webNavigation.onHistoryStateUpdated.addListener((details) => recordVisit(details, 1000));
chrome.tabs.onRemoved.addListener((tabId) => { visitWorthRecording(tabId, null); deciding.delete(tabId); });

chrome.runtime.onInstalled.addListener(() => { enrol(); });
chrome.runtime.onStartup.addListener(() => { enrol(); });

// Issue 12, points 5 and 6: the browser session for "every sign-in", the first-run notice, and the heartbeat.
watchBrowserSessions();
watchFirstRun();
startHeartbeat();

chrome.storage.onChanged.addListener((changes, area) => {
  // A new managed policy (a rotated key, another server) or, for an unpacked test build, a new test configuration.
  if (area === 'managed' || (area === 'local' && TEST_CONFIG_KEY in changes)) {
    enrol(true);
  }
});

chrome.runtime.onMessage.addListener((message, sender, reply) => {
  if (message?.type === 'brightline:typed' && sender.tab && typeof message.text === 'string') {
    // Typed text from a page's content script: queued first (it survives the worker stopping), then sent.
    loadState().then(async (state) => {
      if (state.monitoringToken && decidable(message.url, state) && !await excludedFromCapture(message.url, state)) {
        await enqueue({ kind: 'typed-text', text: message.text, url: message.url, title: message.title, tabId: sender.tab.id });
        await flush(state);
      }
    });
    return false;
  }

  if (message?.type === 'brightline:sign-in') {
    startSignIn().then(reply, () => reply(null));
    return true;
  }

  if (message?.type === 'brightline:enrol') {
    enrol(Boolean(message.force)).then(reply, () => reply(null));
    return true;
  }

  return false;
});

// Retries what is queued while the server was unreachable (capture.js waits with a growing back-off), checked once a
// minute. The same minute enrols a browser that has no enrolment stored at all, or that was offline before it ever
// enrolled: an enrolment lost at start-up (the service worker stopped mid-way) must not leave a school browser
// unfiltered until the next restart.
chrome.alarms.create('brightline-capture', { periodInMinutes: 1 });
chrome.alarms.onAlarm.addListener(async (alarm) => {
  if (alarm.name === 'brightline-capture') {
    const stored = await storedState();
    if (!stored || (stored.status === 'offline' && !stored.token)) {
      await enrol();
    }

    await flush(await loadState());
  }
});
