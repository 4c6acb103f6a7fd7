// Filtering in the browser (issue 12, point 3; H11 forbidden material): decisions asked for in batches, answered from the cache, and
// enforced before the request where the decision is already known.
//
// - Batching: the URLs waiting within BATCH_WINDOW_MS (a page and its frames arrive together) go to
//   POST /api/v1/decisions in one request, at most MAX_BATCH (the API's limit) each.
// - Before the request: a block the cache holds becomes a declarativeNetRequest session rule for that exact URL,
//   so opening it again within its TTL never reaches the site: a top-level load is redirected to the block page,
//   a frame to the extension's frame-blocked page. The first, undecided navigation still races the server's
//   answer (MV3 cannot hold a request while it asks), and is replaced when the answer comes.
// - Frames: a frame cannot be sent to the block page with tabs.update, and the server's pages refuse to be
//   framed (frame-ancestors 'none'), so a blocked frame is sent, by a script injected into that frame once its
//   navigation commits, to frame-blocked.html (web-accessible) which names the site and the reason and links to
//   the full block page in a new tab.
// - Offline: the last answer for a URL stands (decisions.js). A host the server has ever said is on an illegal
//   list is remembered in storage and blocked by a dynamic rule that survives restarts, so it stays blocked
//   when the server cannot be reached (fails closed). A URL never decided, on any other host, is allowed
//   while the server cannot be reached (fails open): blocking every new site would stop teaching whenever the
//   school's connection to Brightline drops, and the DNS filter still applies underneath.
import { cached, cacheKey, remember, stale } from './decisions.js';
import { applyEnforcement } from './safety.js';

const BATCH_WINDOW_MS = 10;
const MAX_BATCH = 100;
const ILLEGAL_KEY = 'brightlineIllegalHosts';
const MAX_ILLEGAL_HOSTS = 500;
const ILLEGAL_RULE_ID = 1;
const FIRST_SESSION_RULE = 10000;

const waiting = new Map();
let timer = null;

/** Hosts known to be on an illegal list, kept in storage (loaded once per worker). */
let illegalHosts = null;

async function loadIllegal() {
  if (!illegalHosts) {
    const { [ILLEGAL_KEY]: hosts } = await chrome.storage.local.get(ILLEGAL_KEY);
    illegalHosts = new Set(hosts ?? []);
  }

  return illegalHosts;
}

function hostOf(url) {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return '';
  }
}

/** One dynamic rule for every known illegal host: top-level loads and frames go to the block page for that host. */
async function writeIllegalRule(serverUrl) {
  const hosts = [...await loadIllegal()];
  const addRules = hosts.length === 0 || !serverUrl ? [] : [{
    id: ILLEGAL_RULE_ID,
    priority: 3,
    action: { type: 'redirect', redirect: { regexSubstitution: `${serverUrl}/blocked?host=\\1` } },
    condition: { regexFilter: '^https?://([^/:?#]+)', requestDomains: hosts, resourceTypes: ['main_frame', 'sub_frame'] },
  }];
  await chrome.declarativeNetRequest.updateDynamicRules({ removeRuleIds: [ILLEGAL_RULE_ID], addRules }).catch((error) => {
    console.warn('Brightline: could not update the illegal-host rule', error);
  });
}

async function noteIllegal(decision, serverUrl) {
  const host = hostOf(decision.url);
  if (!host) {
    return;
  }

  const hosts = await loadIllegal();
  const illegal = decision.action === 'block' && decision.illegal === true;
  if (illegal === hosts.has(host)) {
    return;
  }

  if (illegal) {
    if (hosts.size >= MAX_ILLEGAL_HOSTS) {
      hosts.delete(hosts.values().next().value);
    }

    hosts.add(host);
  } else if (decision.action === 'allow') {
    // The lists changed (a host taken off): the server's fresh answer wins.
    hosts.delete(host);
  } else {
    return;
  }

  await chrome.storage.local.set({ [ILLEGAL_KEY]: [...hosts] });
  await writeIllegalRule(serverUrl);
}

// Session rules for cached blocks: key -> { ids, expires }.
const blockRules = new Map();
let nextRuleId = FIRST_SESSION_RULE;
let sessionRulesCleared = null;

function clearOldSessionRules() {
  // The cache is in memory and starts empty with each worker: the rules it made before go with it.
  sessionRulesCleared ??= chrome.declarativeNetRequest.getSessionRules()
    .then((rules) => chrome.declarativeNetRequest.updateSessionRules({ removeRuleIds: rules.filter((r) => r.id >= FIRST_SESSION_RULE).map((r) => r.id) }))
    .catch(() => {});
  return sessionRulesCleared;
}

/** The extension page a blocked frame shows. */
export function frameBlockedPath(decision) {
  const params = new URLSearchParams({ host: hostOf(decision.url), reason: decision.reason ?? '', page: decision.blockPage ?? '' });
  return `/frame-blocked.html?${params}`;
}

async function pruneBlockRules(now = Date.now()) {
  const removeRuleIds = [];
  for (const [key, rule] of blockRules) {
    if (rule.expires <= now) {
      removeRuleIds.push(...rule.ids);
      blockRules.delete(key);
    }
  }

  if (removeRuleIds.length > 0) {
    await chrome.declarativeNetRequest.updateSessionRules({ removeRuleIds }).catch(() => {});
  }
}

async function ruleForBlock(decision, now = Date.now()) {
  const key = cacheKey(decision.url);
  // urlFilter has no escaping: an address with its special characters is left to the navigation listener.
  if (decision.action !== 'block' || !decision.blockPage || /[*^|]/.test(key) || !/^https?:\/\//i.test(key) || decision.ttlSeconds <= 0) {
    return;
  }

  await clearOldSessionRules();
  await pruneBlockRules(now);
  const old = blockRules.get(key);
  const ids = [nextRuleId++, nextRuleId++];
  const expires = now + decision.ttlSeconds * 1000;
  blockRules.set(key, { ids, expires });
  await chrome.declarativeNetRequest.updateSessionRules({
    removeRuleIds: old?.ids ?? [],
    addRules: [
      { id: ids[0], priority: 2, action: { type: 'redirect', redirect: { url: decision.blockPage } }, condition: { urlFilter: `|${key}|`, resourceTypes: ['main_frame'] } },
      { id: ids[1], priority: 2, action: { type: 'redirect', redirect: { extensionPath: frameBlockedPath(decision) } }, condition: { urlFilter: `|${key}|`, resourceTypes: ['sub_frame'] } },
    ],
  }).catch((error) => {
    blockRules.delete(key);
    console.warn('Brightline: could not add a block rule', error);
  });
}

async function forgetRule(url) {
  const key = cacheKey(url);
  const old = blockRules.get(key);
  if (old) {
    blockRules.delete(key);
    await chrome.declarativeNetRequest.updateSessionRules({ removeRuleIds: old.ids }).catch(() => {});
  }
}

/** True when a session rule already sends this URL to the block page before its request (so the tab needs no redirect). */
export function blockedBeforeRequest(url, now = Date.now()) {
  const rule = blockRules.get(cacheKey(url));
  return Boolean(rule && rule.expires > now);
}

/** Every rule and remembered host dropped: the browser was signed out. */
export async function forgetBlocks() {
  const removeRuleIds = [...blockRules.values()].flatMap((r) => r.ids);
  blockRules.clear();
  await chrome.declarativeNetRequest.updateSessionRules({ removeRuleIds }).catch(() => {});
}

/** What answers when the server cannot be reached: the last answer, or a block for a known illegal host, or nothing (allowed). */
async function offline(url, state) {
  const host = hostOf(url);
  if (host && (await loadIllegal()).has(host)) {
    return {
      url, action: 'block', kind: 'illegal', illegal: true, ttlSeconds: 0, offline: true,
      reason: 'This website is on a list of illegal content. It cannot be unblocked.',
      blockPage: `${state.serverUrl}/blocked?host=${encodeURIComponent(host)}`,
    };
  }

  return stale(url);
}

async function send() {
  clearTimeout(timer);
  timer = null;
  const batch = [...waiting.values()].slice(0, MAX_BATCH);
  for (const entry of batch) {
    waiting.delete(entry.key);
  }

  if (waiting.size > 0) {
    timer = setTimeout(send, 0);
  }

  if (batch.length === 0) {
    return;
  }

  // The newest caller's enrolment (they all share one; a re-enrolment mid-batch is rare and harmless).
  const { state, onRefused } = batch[batch.length - 1];
  const answer = (entry, decision) => entry.resolve(decision);
  let response;
  try {
    response = await fetch(`${state.serverUrl}/api/v1/decisions`, {
      // Bearer tokens only: a portal session cookie in this browser would make the API ask for an anti-forgery token.
      credentials: 'omit',
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${state.token}` },
      body: JSON.stringify({ urls: batch.map((e) => e.url) }),
    });
  } catch {
    for (const entry of batch) {
      answer(entry, await offline(entry.url, state));
    }

    return;
  }

  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    const stopped = response.status === 401 || body.code === 'leaver';
    if (stopped) {
      await forgetBlocks();
      await onRefused(response.status, body, state);
    }

    for (const entry of batch) {
      answer(entry, stopped ? null : await offline(entry.url, state));
    }

    return;
  }

  const { decisions, enforce } = await response.json();
  await applyEnforcement(enforce);
  for (let i = 0; i < batch.length; i += 1) {
    const decision = decisions?.[i] ?? null;
    if (decision) {
      remember(decision);
      if (decision.action === 'block') {
        await ruleForBlock(decision);
      } else {
        await forgetRule(decision.url);
      }

      await noteIllegal(decision, state.serverUrl);
    }

    answer(batch[i], decision);
  }
}

/**
 * The decision for one URL: the cache, else the server (batched with the other URLs asked for within a few
 * milliseconds), else — offline — the fallback above. `onRefused(status, body, state)` is called when the
 * server says the token is revoked (401) or the person has left.
 */
export function decide(url, state, onRefused) {
  const hit = cached(url);
  if (hit) {
    return Promise.resolve(hit);
  }

  const key = cacheKey(url);
  const pending = waiting.get(key);
  if (pending) {
    return pending.promise;
  }

  let resolve;
  const promise = new Promise((r) => { resolve = r; });
  waiting.set(key, { key, url, state, onRefused, promise, resolve });
  if (waiting.size >= MAX_BATCH) {
    send();
  } else {
    timer ??= setTimeout(send, BATCH_WINDOW_MS);
  }

  return promise;
}

// Frames whose navigation was decided blocked, waiting for it to commit: "tabId:frameId" -> { url, decision }.
const blockedFrames = new Map();

/** Sends a blocked frame to frame-blocked.html once its navigation commits (see the comment at the top). */
export function blockFrameWhenDecided(details, decisionPromise) {
  const key = `${details.tabId}:${details.frameId}`;
  blockedFrames.set(key, { url: details.url, decision: decisionPromise });
  decisionPromise.then((decision) => {
    const entry = blockedFrames.get(key);
    if (entry?.decision !== decisionPromise) {
      return;
    }

    if (decision?.action !== 'block') {
      blockedFrames.delete(key);
      return;
    }

    // The answer may come after the frame committed: send it now; otherwise onCommitted below does.
    if (entry.committed) {
      blockedFrames.delete(key);
      replaceFrame(details.tabId, details.frameId, decision);
    }
  });
}

function replaceFrame(tabId, frameId, decision) {
  const target = chrome.runtime.getURL(frameBlockedPath(decision));
  chrome.scripting.executeScript({
    target: { tabId, frameIds: [frameId] },
    func: (url) => { window.location.replace(url); },
    args: [target],
  }).catch(() => {
    // The frame has gone (its page navigated away), or is an error page: nothing left to replace.
  });
}

chrome.webNavigation.onCommitted.addListener(async (details) => {
  if (details.frameId === 0) {
    return;
  }

  const key = `${details.tabId}:${details.frameId}`;
  // Not compared by URL: a server redirect commits another address than the one decided, and it must go too.
  const entry = blockedFrames.get(key);
  if (!entry || !/^https?:/i.test(details.url)) {
    return;
  }

  entry.committed = true;
  const decision = await entry.decision;
  if (decision?.action === 'block' && blockedFrames.get(key) === entry) {
    blockedFrames.delete(key);
    replaceFrame(details.tabId, details.frameId, decision);
  }
});

chrome.tabs.onRemoved.addListener((tabId) => {
  for (const key of blockedFrames.keys()) {
    if (key.startsWith(`${tabId}:`)) {
      blockedFrames.delete(key);
    }
  }
});
