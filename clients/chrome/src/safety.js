// Safe search and YouTube Restricted Mode in the browser (issue 12, point 3), for the people whose profiles ask
// for them. The server says what to enforce with every batch of decisions (`enforce: { safeSearch, youTube }`,
// read from the DNS filter's own rewrite answers for that person), and this module keeps the matching
// declarativeNetRequest dynamic rules in place. Dynamic rules survive the service worker stopping and the
// browser restarting, so enforcement holds while the server cannot be reached.
//
// How each is enforced (the providers' published switches; DNS uses their CNAME endpoints instead):
// - Google: `safe=active` added to the search URL (a redirect by query transform; Chrome ignores a redirect
//   that would not change the URL, so a URL that already has it is left alone).
// - Bing: `adlt=strict`. DuckDuckGo: `kp=1`.
// - YouTube: the `YouTube-Restrict: Strict | Moderate` request header on YouTube's own hosts.

// Dynamic rule IDs 2–9 are this module's (1 is filtering.js's illegal-host rule).
export const SAFETY_RULE_IDS = [2, 3, 4, 5];
const NAVIGATION_TYPES = ['main_frame', 'sub_frame', 'xmlhttprequest'];
const YOUTUBE_HOSTS = ['youtube.com', 'youtube-nocookie.com', 'youtubei.googleapis.com', 'youtube.googleapis.com'];
// Every request type (a rule without resourceTypes would leave out main_frame).
const ALL_TYPES = ['main_frame', 'sub_frame', 'stylesheet', 'script', 'image', 'font', 'object', 'xmlhttprequest', 'ping', 'media', 'websocket', 'other'];

let applied = null;

function addParam(key, value) {
  return { type: 'redirect', redirect: { transform: { queryTransform: { addOrReplaceParams: [{ key, value }] } } } };
}

/** The rules for what the server asked to enforce. */
export function safetyRules(enforce) {
  const rules = [];
  if (enforce?.safeSearch) {
    rules.push(
      { id: 2, priority: 1, action: addParam('safe', 'active'), condition: { regexFilter: '^https?://(www\\.)?google\\.[a-z]{2,3}(\\.[a-z]{2})?(:[0-9]+)?/(search|webhp)', resourceTypes: NAVIGATION_TYPES } },
      { id: 3, priority: 1, action: addParam('adlt', 'strict'), condition: { requestDomains: ['bing.com'], urlFilter: '/search', resourceTypes: NAVIGATION_TYPES } },
      { id: 4, priority: 1, action: addParam('kp', '1'), condition: { requestDomains: ['duckduckgo.com'], resourceTypes: NAVIGATION_TYPES } },
    );
  }

  if (enforce?.youTube === 'strict' || enforce?.youTube === 'moderate') {
    const value = enforce.youTube === 'strict' ? 'Strict' : 'Moderate';
    rules.push({
      id: 5,
      priority: 1,
      action: { type: 'modifyHeaders', requestHeaders: [{ header: 'YouTube-Restrict', operation: 'set', value }] },
      condition: { requestDomains: YOUTUBE_HOSTS, resourceTypes: ALL_TYPES },
    });
  }

  return rules;
}

/** Puts the rules for `enforce` in place (only when it changed since the last call in this worker). */
export async function applyEnforcement(enforce) {
  if (!enforce) {
    return;
  }

  const key = `${Boolean(enforce.safeSearch)}:${enforce.youTube}`;
  if (applied === key) {
    return;
  }

  applied = key;
  try {
    await chrome.declarativeNetRequest.updateDynamicRules({ removeRuleIds: SAFETY_RULE_IDS, addRules: safetyRules(enforce) });
  } catch (error) {
    applied = null;
    console.warn('Brightline: could not apply safe search rules', error);
  }
}
