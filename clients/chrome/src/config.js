// Where the extension's settings come from. A school's IT provider sets serverUrl and enrolmentKey in the
// managed policy (storage.managed, schema in managed_schema.json); the person is the account signed in to
// the browser profile (chrome.identity.getProfileUserInfo).
//
// Test-only override: an unpacked extension (installType "development", as the browser tests load it) also
// reads chrome.storage.local's `brightlineTestConfig` ({ serverUrl, enrolmentKey, email }), because a test
// browser has neither a managed policy nor a signed-in profile. A force-installed extension (installType
// "admin") never reads it, so a pupil cannot enrol as someone else by writing to the extension's storage.

export const TEST_CONFIG_KEY = 'brightlineTestConfig';

async function isDevelopmentInstall() {
  try {
    const self = await chrome.management.getSelf();
    return self.installType === 'development';
  } catch {
    return false;
  }
}

async function managedSettings() {
  try {
    return await chrome.storage.managed.get(['serverUrl', 'enrolmentKey']);
  } catch {
    // No managed policy on this browser (an unmanaged Chrome, a test browser).
    return {};
  }
}

async function profileEmail() {
  try {
    const info = await chrome.identity.getProfileUserInfo({ accountStatus: 'ANY' });
    return info?.email || null;
  } catch {
    return null;
  }
}

/** The server address (no trailing slash), enrolment key and email, or nulls where the browser has none. */
export async function readConfig() {
  const managed = await managedSettings();
  let serverUrl = managed.serverUrl || null;
  let enrolmentKey = managed.enrolmentKey || null;
  let email = await profileEmail();
  if (await isDevelopmentInstall()) {
    const { [TEST_CONFIG_KEY]: test } = await chrome.storage.local.get(TEST_CONFIG_KEY);
    if (test) {
      serverUrl = serverUrl || test.serverUrl || null;
      enrolmentKey = enrolmentKey || test.enrolmentKey || null;
      email = email || test.email || null;
    }
  }

  return { serverUrl: serverUrl ? serverUrl.replace(/\/+$/, '') : null, enrolmentKey, email };
}
