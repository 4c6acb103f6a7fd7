// The capture queue: events wait in chrome.storage.local (bounded, oldest dropped first) until the ingestion
// API has stored them. Each carries a client event ID made once, so a batch sent twice (the answer lost, the
// worker stopped) is stored once: at-least-once delivery that the idempotent endpoint turns into exactly-once.

const KEY = 'brightlineCaptureQueue';
const MAX_QUEUED = 500;
const BATCH = 50;
let flushing = null;

export async function enqueue(event) {
  const { [KEY]: queue = [] } = await chrome.storage.local.get(KEY);
  queue.push({ id: crypto.randomUUID(), occurredAt: new Date().toISOString(), ...event });
  await chrome.storage.local.set({ [KEY]: queue.slice(-MAX_QUEUED) });
}

/** Sends what is queued, a batch at a time; stops at the first failure and leaves the rest for the next try. */
export function flush(state) {
  flushing ??= flushNow(state).finally(() => { flushing = null; });
  return flushing;
}

async function flushNow(state) {
  if (!state?.monitoringToken || !state.serverUrl) {
    return;
  }

  for (;;) {
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
        body: JSON.stringify({ events: batch.map((e) => ({ ...e, person: state.personId })) }),
      });
    } catch {
      return;
    }

    if (!response.ok) {
      // 401: the browser was signed out (its token goes with the extension's); anything else is retried later.
      return;
    }

    const sent = new Set(batch.map((e) => e.id));
    const { [KEY]: now = [] } = await chrome.storage.local.get(KEY);
    await chrome.storage.local.set({ [KEY]: now.filter((e) => !sent.has(e.id)) });
  }
}
