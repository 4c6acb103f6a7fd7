// Tamper evidence (issue 12, point 6). The extension beats every five minutes (chrome.alarms) while enrolled; the
// server keeps the last beat of each enrolled browser and alerts IT and the DSL when one falls silent in school hours
// for longer than the policy allows (monitoring.tamper.silent_minutes). Chrome opens the uninstall address when the
// extension is removed: it carries this browser's token (nothing else survives the removal), so the server can say
// at once which browser it was.
import { loadState } from './state.js';

const ALARM = 'brightline-heartbeat';
const EVERY_MINUTES = 5;
const STATE_KEY = 'brightlineEnrolment';

async function beat(state) {
  if (!state?.token || !state.serverUrl) {
    return;
  }

  try {
    await fetch(`${state.serverUrl}/api/v1/extension/heartbeat`, { credentials: 'omit', method: 'POST', headers: { Authorization: `Bearer ${state.token}` } });
  } catch {
    // Offline: the server will see the silence; the next beat ends it.
  }
}

async function setUninstallUrl(state) {
  const url = state?.token && state.serverUrl ? `${state.serverUrl}/extension/removed?token=${encodeURIComponent(state.token)}` : '';
  try {
    await chrome.runtime.setUninstallURL(url);
  } catch {
    // Only http(s) addresses are accepted; a server address that is neither leaves none set.
  }
}

/** Registers the alarm and the listeners (at the service worker's top level, as MV3 requires). */
export function startHeartbeat() {
  chrome.alarms.create(ALARM, { periodInMinutes: EVERY_MINUTES });
  chrome.alarms.onAlarm.addListener(async (alarm) => {
    if (alarm.name === ALARM) {
      const state = await loadState();
      await setUninstallUrl(state);
      await beat(state);
    }
  });

  chrome.storage.onChanged.addListener((changes, area) => {
    if (area !== 'local' || !(STATE_KEY in changes)) {
      return;
    }

    const before = changes[STATE_KEY].oldValue;
    const after = changes[STATE_KEY].newValue;
    setUninstallUrl(after);
    if (after?.token && after.token !== before?.token) {
      // A new enrolment beats at once, so the server watches this browser from now.
      beat(after);
    }
  });

  // The service worker starts with the browser (and after being stopped): beat now rather than in five minutes.
  loadState().then(async (state) => { await setUninstallUrl(state); await beat(state); });
}
