// The enrolment as the popup shows it, kept in chrome.storage.local (it survives the service worker stopping):
// { status, message, token, person, school, notice, serverUrl, deviceId }.
// status: "not-configured" | "enrolled" | "unknown-email" | "leaver" | "revoked-key" | "unknown-key" |
//         "token-revoked" | "no-account" | "offline".

const KEY = 'brightlineEnrolment';

let enrolmentWork = Promise.resolve();

/**
 * Runs work that reads the enrolment and writes a new one, one piece of work at a time. Enrolling (background.js)
 * and finishing a portal sign-in (signin.js) both read the stored enrolment, wait for the server, and write; run side
 * by side, the slower one wrote back what it had read before the other finished — a navigation during a portal
 * sign-in enrolled "no-account" over the sign-in's "enrolled" (seen in a loaded CI run).
 */
export function withEnrolment(work) {
  const run = enrolmentWork.then(work, work);
  enrolmentWork = run.catch(() => {});
  return run;
}

export async function loadState() {
  const { [KEY]: state } = await chrome.storage.local.get(KEY);
  return state ?? { status: 'not-configured' };
}

/** The stored enrolment, or null when none was ever saved (loadState reads that as "not-configured"). */
export async function storedState() {
  const { [KEY]: state } = await chrome.storage.local.get(KEY);
  return state ?? null;
}

export async function saveState(state) {
  await chrome.storage.local.set({ [KEY]: state });
  return state;
}

/** A random ID for this browser profile, made once: not a hardware identifier, and nothing else is derived from it. */
export async function deviceId() {
  const { brightlineDeviceId: existing } = await chrome.storage.local.get('brightlineDeviceId');
  if (existing) {
    return existing;
  }

  const id = crypto.randomUUID();
  await chrome.storage.local.set({ brightlineDeviceId: id });
  return id;
}

/**
 * The device's serial number and the asset ID the school set in its Google Admin console, which only a managed
 * ChromeOS device gives a force-installed extension (chrome.enterprise.deviceAttributes). Brightline ties the browser
 * to the device register by them, so a lost or stolen report revokes this browser's tokens (F7). Elsewhere: nulls.
 */
export async function deviceAttributes() {
  const attributes = globalThis.chrome?.enterprise?.deviceAttributes;
  if (!attributes) {
    return { serialNumber: null, assetTag: null };
  }

  const read = (name) => new Promise((resolve) => {
    try {
      attributes[name]((value) => resolve(chrome.runtime.lastError || !value ? null : String(value)));
    } catch {
      resolve(null);
    }
  });
  return { serialNumber: await read('getDeviceSerialNumber'), assetTag: await read('getDeviceAssetId') };
}

export function deviceName() {
  const platform = navigator.userAgentData?.platform || 'Unknown system';
  const brand = navigator.userAgentData?.brands?.find((b) => /Chrom|Edge/.test(b.brand))?.brand || 'Chromium';
  return `${brand} on ${platform}`;
}
