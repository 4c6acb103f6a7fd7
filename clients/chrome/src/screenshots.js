// Screenshots for critical events (issue 12, point 4; O9). When the ingestion API answers that an event it has just
// stored scores critical, it lists the event's client ID in `screenshots`; this takes a screenshot of that event's tab
// (chrome.tabs.captureVisibleTab) and uploads it to POST /api/v1/monitoring/screenshots, where it is kept with the
// alert for the policy's retention (45 days) and shown only to those who may read the alert. Only while the tab is
// still the visible one in its window and still shows the same page: never a screenshot of something else. Best
// effort: a screenshot that cannot be taken or sent now is not retried (the page will have changed).

const MAX_BYTES = 1024 * 1024;

function withoutFragment(url) {
  const hash = (url ?? '').indexOf('#');
  return hash < 0 ? url ?? '' : url.slice(0, hash);
}

async function capture(tab) {
  // JPEG keeps a full screen well under the server's 1 MB limit; a busy page gets a second, smaller try.
  for (const quality of [60, 30]) {
    const dataUrl = await chrome.tabs.captureVisibleTab(tab.windowId, { format: 'jpeg', quality });
    const base64 = dataUrl.slice(dataUrl.indexOf(',') + 1);
    if (base64.length / 4 * 3 <= MAX_BYTES) {
      return base64;
    }
  }

  return null;
}

/** Takes and uploads the screenshots the server asked for; `events` are the queued events of the batch just sent. */
export async function takeRequested(ids, events, state) {
  for (const id of ids ?? []) {
    const event = events.find((e) => e.id === id);
    if (!event?.tabId) {
      continue;
    }

    try {
      const tab = await chrome.tabs.get(event.tabId);
      if (!tab.active || withoutFragment(tab.url) !== withoutFragment(event.url)) {
        continue;
      }

      const image = await capture(tab);
      if (image) {
        await fetch(`${state.serverUrl}/api/v1/monitoring/screenshots`, {
          credentials: 'omit',
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${state.monitoringToken}` },
          body: JSON.stringify({ event: id, image, capturedAt: new Date().toISOString() }),
        });
      }
    } catch {
      // The tab closed, the window is minimised, or the server is unreachable: no screenshot this time.
    }
  }
}
