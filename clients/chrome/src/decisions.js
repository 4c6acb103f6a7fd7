// Decisions from the server, cached for the TTL it gives. The key is the URL without its fragment: a path rule
// can decide two pages of one site differently, so a host alone is not enough.

const MAX_ENTRIES = 2000;
const cache = new Map();

export function cacheKey(url) {
  const hash = url.indexOf('#');
  return hash < 0 ? url : url.slice(0, hash);
}

/** A cached decision still within its TTL, or null. */
export function cached(url, now = Date.now()) {
  const entry = cache.get(cacheKey(url));
  return entry && entry.expires > now ? entry.decision : null;
}

/** The last decision for the URL even if its TTL has passed: what answers while the server cannot be reached. */
export function stale(url) {
  return cache.get(cacheKey(url))?.decision ?? null;
}

export function remember(decision, now = Date.now()) {
  if (cache.size >= MAX_ENTRIES) {
    // Oldest first: a Map iterates in insertion order.
    cache.delete(cache.keys().next().value);
  }

  cache.set(cacheKey(decision.url), { decision, expires: now + Math.max(0, decision.ttlSeconds) * 1000 });
}

export function forgetAll() {
  cache.clear();
}
