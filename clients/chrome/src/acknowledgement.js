// The acknowledgement before the first navigation (issue 12, point 5; C8, H13). Where the person's agreement asks for
// an acknowledgement `every: sign_in | day | week`, the first navigation of the browser session (or day, or week) goes
// to the extension's acknowledgement page instead; only the Brightline server (the portal, its policy pages) is
// reachable until the person accepts. The acceptance is recorded by the server in the same store as the portal's
// /acknowledge page, so an acknowledgement made in either counts in both.
//
// "sign_in", for a browser, is a browser session: it begins when the service worker first runs after the browser
// starts (chrome.runtime.onStartup), which is also when chrome.storage.session is emptied. The session's start is
// kept there; the server counts an acceptance made since then.
import { loadState } from './state.js';

const SESSION_KEY = 'brightlineSession';

// A "nothing due" answer is kept this long, so a day's or a week's acknowledgement is asked for again within the
// hour after it falls due, without asking the server on every navigation.
const CLEAR_FOR_MS = 60 * 60 * 1000;

/** This browser session: { startedAt (ISO), clearUntil (ms) }, made on the first call after the browser started. */
export async function browserSession() {
  const { [SESSION_KEY]: existing } = await chrome.storage.session.get(SESSION_KEY);
  if (existing) {
    return existing;
  }

  const made = { startedAt: new Date().toISOString(), clearUntil: 0 };
  await chrome.storage.session.set({ [SESSION_KEY]: made });
  return made;
}

async function markClear() {
  const current = await browserSession();
  await chrome.storage.session.set({ [SESSION_KEY]: { ...current, clearUntil: Date.now() + CLEAR_FOR_MS } });
}

/**
 * The acknowledgement due now ({ agreementId, title, text, every, policyUrl }), or null. Offline, or when the server
 * answers anything else, nothing is held: the person is not locked out of the web because the server is away
 * (the next navigation asks again).
 */
export async function acknowledgementDue(state, { fresh = false } = {}) {
  if (!state?.token || !state.serverUrl) {
    return null;
  }

  const session = await browserSession();
  if (!fresh && Date.now() < session.clearUntil) {
    return null;
  }

  let response;
  try {
    response = await fetch(`${state.serverUrl}/api/v1/extension/acknowledgement?since=${encodeURIComponent(session.startedAt)}`, {
      credentials: 'omit',
      headers: { Authorization: `Bearer ${state.token}` },
    });
  } catch {
    return null;
  }

  if (!response.ok) {
    return null;
  }

  const body = await response.json().catch(() => ({}));
  if (!body.due) {
    await markClear();
    return null;
  }

  return body;
}

// The navigation each tab had held, until that tab's next web navigation is let through: a site that answers before
// the tab is sent to the acknowledgement page still completes, and that completion is not a visit.
const held = new Map();

/** Whether a completed navigation is the one held for the acknowledgement (so not a page the person visited). */
export function wasHeld(tabId, url) {
  return held.get(tabId) === url;
}

/**
 * Holds a navigation for the acknowledgement: sends the tab to the acknowledgement page, which continues to the
 * address asked for once the person accepts. True when the navigation was held.
 */
export async function holdForAcknowledgement(details, state) {
  const due = await acknowledgementDue(state);
  if (!due) {
    held.delete(details.tabId);
    return false;
  }

  // A frame is held too, but the tab is not sent away for it: the frame is replaced like a blocked one, and the
  // page around it (held itself, or already acknowledged) decides where the tab goes.
  if (details.frameId !== 0) {
    return true;
  }

  held.set(details.tabId, details.url);
  const page = chrome.runtime.getURL(`acknowledgement.html?to=${encodeURIComponent(details.url)}`);
  await chrome.tabs.update(details.tabId, { url: page });
  return true;
}

/** Records the acceptance with the server; true when it was recorded (or nothing was due any more). */
export async function accept(agreementId) {
  const state = await loadState();
  if (!state?.token) {
    return false;
  }

  let response;
  try {
    response = await fetch(`${state.serverUrl}/api/v1/extension/acknowledgement`, {
      credentials: 'omit',
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${state.token}` },
      body: JSON.stringify({ agreementId }),
    });
  } catch {
    return false;
  }

  // 409: already accepted (in the portal, or another tab) — nothing is due, which is what the person wanted.
  if (response.ok || response.status === 409) {
    await markClear();
    return true;
  }

  return false;
}

/** Starts the session when the browser starts, before any navigation asks. */
export function watchBrowserSessions() {
  chrome.runtime.onStartup.addListener(() => { browserSession(); });
}
