// The capture queue: events wait in chrome.storage.local until the ingestion API has stored them. Each carries a
// client event ID made once, so a batch sent twice (the answer lost, the worker stopped) is stored once:
// at-least-once delivery that the idempotent endpoint turns into exactly-once.
//
// Bounded: at most MAX_QUEUED events; when the server has been unreachable that long, the oldest are dropped and
// counted, and the popup says how many. Retried with exponential back-off and jitter (5 s doubling to at most
// 10 minutes, each wait a random point in its upper half, so a school's browsers do not all return at once when
// the server comes back), reset by a success. The back-off is kept in storage, so a restarted service worker keeps
// it; the one-minute alarm and the next captured event try again once the wait is over.
import { takeRequested } from './screenshots.js';

const KEY = 'brightlineCaptureQueue';
const STATUS_KEY = 'brightlineCaptureStatus';
export const MAX_QUEUED = 500;
const BATCH = 50;
const BASE_DELAY_MS = 5000;
const MAX_DELAY_MS = 10 * 60 * 1000;
// Fields kept with a queued event for the extension's own use, never sent.
const LOCAL_FIELDS = ['tabId'];
let flushing = null;
let again = false;
let retryTimer = null;

async function loadStatus() {
  const { [STATUS_KEY]: status } = await chrome.storage.local.get(STATUS_KEY);
  return status ?? { failures: 0, nextAttemptAt: 0, dropped: 0 };
}

async function saveStatus(status) {
  await chrome.storage.local.set({ [STATUS_KEY]: status });
}

/** The wait before the next try after `failures` failures in a row: exponential, capped, with jitter. */
export function backOffMs(failures, random = Math.random) {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.min(failures - 1, 20));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** Queues one event (tabId: the tab it happened in, kept locally for a screenshot the server may ask for). */
export async function enqueue(event) {
  const { [KEY]: queue = [] } = await chrome.storage.local.get(KEY);
  queue.push({ id: crypto.randomUUID(), occurredAt: new Date().toISOString(), ...event });
  const over = queue.length - MAX_QUEUED;
  await chrome.storage.local.set({ [KEY]: over > 0 ? queue.slice(over) : queue });
  if (over > 0) {
    const status = await loadStatus();
    await saveStatus({ ...status, dropped: status.dropped + over });
  }
}

/** For the popup: how many events wait, how many were dropped, and when the next try is. */
export async function queueStatus() {
  const { [KEY]: queue = [] } = await chrome.storage.local.get(KEY);
  return { queued: queue.length, ...(await loadStatus()) };
}

/**
 * Sends what is queued, a batch at a time; stops at the first failure and leaves the rest for the next try, which
 * waits for the back-off. Returns once this attempt is over.
 */
export function flush(state) {
  if (flushing) {
    // An event queued while a send is finishing (which may already have read the queue) is sent by one more round.
    again = true;
    return flushing;
  }

  flushing = (async () => {
    for (let round = 0; round < 10; round++) {
      again = false;
      await flushNow(state);
      if (!again) {
        return;
      }
    }
  })().finally(() => { flushing = null; });
  return flushing;
}

function scheduleRetry(state, delay) {
  // While the service worker lives, retry when the wait is over; if it stops, the one-minute alarm does.
  clearTimeout(retryTimer);
  retryTimer = setTimeout(() => { flush(state); }, delay);
}

async function failed(state) {
  const status = await loadStatus();
  const failures = status.failures + 1;
  const delay = backOffMs(failures);
  await saveStatus({ ...status, failures, nextAttemptAt: Date.now() + delay });
  scheduleRetry(state, delay);
}

function toSend(event, personId) {
  const sent = { ...event, person: personId };
  for (const field of LOCAL_FIELDS) {
    delete sent[field];
  }

  return sent;
}

async function remove(batch) {
  const sent = new Set(batch.map((e) => e.id));
  const { [KEY]: now = [] } = await chrome.storage.local.get(KEY);
  await chrome.storage.local.set({ [KEY]: now.filter((e) => !sent.has(e.id)) });
}

async function flushNow(state) {
  if (!state?.monitoringToken || !state.serverUrl) {
    return;
  }

  const status = await loadStatus();
  if (Date.now() < status.nextAttemptAt) {
    return;
  }

  for (let round = 0; round < MAX_QUEUED / BATCH + 1; round++) {
    const { [KEY]: queue = [] } = await chrome.storage.local.get(KEY);
    if (queue.length === 0) {
      return;
    }

    const batch = queue.slice(0, BATCH);
    let response;
    try {
      response = await fetch(`${state.serverUrl}/api/v1/monitoring/events`, {
        // Bearer tokens only: a portal session cookie in this browser would make the API ask for an anti-forgery token.
        credentials: 'omit',
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${state.monitoringToken}` },
        body: JSON.stringify({ canScreenshot: true, events: batch.map((e) => toSend(e, state.personId)) }),
      });
    } catch {
      await failed(state);
      return;
    }

    if (response.status === 400 || response.status === 413 || response.status === 415) {
      // The server will never take this batch as it is: drop it (counted) rather than block the queue behind it.
      await remove(batch);
      const now = await loadStatus();
      await saveStatus({ ...now, dropped: now.dropped + batch.length });
      continue;
    }

    if (!response.ok) {
      // 401: the browser was signed out (its token goes with the extension's). Anything else: the server is in
      // trouble, so wait longer each time.
      if (response.status !== 401) {
        await failed(state);
      }

      return;
    }

    const body = await response.json().catch(() => ({}));
    await remove(batch);
    const now = await loadStatus();
    if (now.failures !== 0 || now.nextAttemptAt !== 0) {
      await saveStatus({ ...now, failures: 0, nextAttemptAt: 0 });
    }

    if (Array.isArray(body.screenshots) && body.screenshots.length > 0) {
      await takeRequested(body.screenshots, batch, state);
    }
  }
}
