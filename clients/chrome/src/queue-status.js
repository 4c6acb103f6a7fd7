// The popup's line about the capture queue: what waits to be sent while the school's server cannot be reached, and
// how many events were dropped because the queue was full (capture.js keeps at most MAX_QUEUED), so a gap in what
// the school received is never silent.
import { MAX_QUEUED, queueStatus } from './capture.js';

function plural(n, word) {
  return `${n.toLocaleString('en-GB')} ${word}${n === 1 ? '' : 's'}`;
}

export async function showCaptureStatus(element) {
  const { queued, dropped, nextAttemptAt } = await queueStatus();
  const parts = [];
  if (queued > 0) {
    const when = nextAttemptAt > Date.now()
      ? ` Next try at ${new Date(nextAttemptAt).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' })}.`
      : '';
    parts.push(`${plural(queued, 'event')} waiting to be sent to the school.${when}`);
  }

  if (dropped > 0) {
    parts.push(`${plural(dropped, 'older event')} could not be kept while the school's server was unreachable (at most ${MAX_QUEUED.toLocaleString('en-GB')} wait).`);
  }

  element.textContent = parts.join(' ');
  element.hidden = parts.length === 0;
  element.dataset.queued = String(queued);
  element.dataset.dropped = String(dropped);
}
