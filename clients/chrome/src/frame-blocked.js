// The page a blocked frame shows (filtering.js explains why frames get this page rather than the server's block
// page): the site, the reason in the decision's words, and a link to the full block page in a new tab, where the
// unblock and report forms are. Plain script: it is loaded by a web page's frame, and reads only its own query.
const params = new URLSearchParams(window.location.search);
document.getElementById('host').textContent = params.get('host') || 'another website';
document.getElementById('reason').textContent = params.get('reason') || '';
const page = params.get('page');
if (page && /^https?:\/\//i.test(page)) {
  const more = document.getElementById('more');
  more.href = page;
  more.hidden = false;
}
