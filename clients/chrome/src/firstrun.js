// The first-run monitoring notice (issue 12, point 5): people must be told that they are monitored. The first time
// this browser profile is enrolled, the extension opens a page with the school's monitoring notice; the notice then
// stays in the popup.
const STATE_KEY = 'brightlineEnrolment';
const SHOWN_KEY = 'brightlineNoticeShown';

async function showOnce(state) {
  if (state?.status !== 'enrolled') {
    return;
  }

  const { [SHOWN_KEY]: shown } = await chrome.storage.local.get(SHOWN_KEY);
  if (shown) {
    return;
  }

  await chrome.storage.local.set({ [SHOWN_KEY]: new Date().toISOString() });
  await chrome.tabs.create({ url: chrome.runtime.getURL('notice.html'), active: true });
}

export function watchFirstRun() {
  chrome.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && STATE_KEY in changes) {
      showOnce(changes[STATE_KEY].newValue);
    }
  });
}
