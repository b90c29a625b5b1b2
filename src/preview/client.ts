// The preview's one script, inlined in every page (with the page's CSP nonce). Plain DOM, no library:
// media that cannot load shows its placeholder; keyboard shortcuts; the index filter; and, when
// served, live repaint: the server says "changed" over server-sent events and the page swaps its
// <main> for the fresh one (no reload: scroll, open panels and focus stay).
export const CLIENT_SCRIPT = `
(() => {
  'use strict';
  const body = document.body;
  const root = body.dataset.root || './';

  function markFailed(el) {
    const figure = el.closest('.wa-media');
    if (figure) figure.classList.add('failed');
  }
  function watchMedia(scope) {
    for (const el of scope.querySelectorAll('.wa-media img, .wa-media video')) {
      if (el.tagName === 'IMG' && el.complete && el.naturalWidth === 0) markFailed(el);
      if (el.tagName === 'VIDEO' && el.error) markFailed(el);
    }
  }
  document.addEventListener('error', (event) => {
    const el = event.target;
    if (el instanceof Element && (el.tagName === 'IMG' || el.tagName === 'VIDEO')) markFailed(el);
  }, true);
  watchMedia(document);

  function applyFilter() {
    const input = document.getElementById('filter');
    if (!input) return;
    const words = input.value.toLowerCase().split(/\\s+/).filter(Boolean);
    for (const li of document.querySelectorAll('ul.messages li')) {
      const text = (li.dataset.search || li.textContent || '').toLowerCase();
      li.hidden = !words.every((w) => text.includes(w));
    }
    for (const folder of document.querySelectorAll('.folder')) {
      folder.hidden = folder.querySelectorAll('ul.messages li:not([hidden])').length === 0;
    }
  }
  document.addEventListener('input', (event) => {
    if (event.target instanceof HTMLInputElement && event.target.id === 'filter') applyFilter();
  });

  function typing(target) {
    return target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }
  function moveFocus(step) {
    const links = [...document.querySelectorAll('a.msg-link')].filter((a) => !a.closest('[hidden]'));
    if (links.length === 0) return;
    const at = links.indexOf(document.activeElement);
    const next = at < 0 ? (step > 0 ? 0 : links.length - 1) : Math.min(links.length - 1, Math.max(0, at + step));
    links[next].focus();
  }
  document.addEventListener('keydown', (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) {
      if (event.key === 'Escape' && event.target instanceof HTMLInputElement) event.target.blur();
      return;
    }
    const go = (rel) => { const a = document.querySelector('a[rel="' + rel + '"]'); if (a) { event.preventDefault(); a.click(); } };
    switch (event.key) {
      case '/': { const f = document.getElementById('filter'); if (f) { event.preventDefault(); f.focus(); } break; }
      case 'j': event.preventDefault(); moveFocus(1); break;
      case 'k': event.preventDefault(); moveFocus(-1); break;
      case 'n': go('next'); break;
      case 'p': go('prev'); break;
      case 'u': go('index'); break;
      case 'r': {
        const panels = [...document.querySelectorAll('details.request')];
        const open = panels.some((d) => !d.open);
        for (const d of panels) d.open = open;
        break;
      }
    }
  });

  if (body.dataset.live !== '1' || typeof EventSource === 'undefined') return;
  const status = document.getElementById('live-status');
  const say = (text) => { if (status) status.textContent = text; };
  let busy = Promise.resolve();
  async function repaint(generation) {
    const response = await fetch(location.href, { cache: 'no-store', headers: { 'X-Chirp-Fragment': '1' } });
    const text = await response.text();
    const fresh = new DOMParser().parseFromString(text, 'text/html');
    const main = document.querySelector('main');
    const next = fresh.querySelector('main');
    if (!main || !next) return;
    // New media hosts need the fresh page's CSP (it lists the page's media origins): load it whole.
    const policy = (d) => { const m = d.querySelector('meta[http-equiv="Content-Security-Policy"]'); return ((m && m.getAttribute('content')) || '').split(';').filter((p) => /^(img|media)-src/.test(p.trim())).join(';'); };
    if (policy(fresh) !== policy(document)) { location.reload(); return; }
    const open = new Set([...main.querySelectorAll('details[data-key]')].filter((d) => d.open).map((d) => d.dataset.key));
    const focused = document.activeElement && document.activeElement.id;
    const filter = document.getElementById('filter');
    const query = filter ? filter.value : '';
    const x = window.scrollX, y = window.scrollY;
    main.replaceWith(next);
    for (const d of next.querySelectorAll('details[data-key]')) if (open.has(d.dataset.key)) d.open = true;
    const newFilter = document.getElementById('filter');
    if (newFilter && query) { newFilter.value = query; applyFilter(); }
    if (focused) { const el = document.getElementById(focused); if (el) el.focus({ preventScroll: true }); }
    if (fresh.title) document.title = fresh.title;
    window.scrollTo(x, y);
    watchMedia(next);
    body.dataset.generation = String(generation);
    say(response.ok ? 'updated ' + new Date().toLocaleTimeString() : 'this page is gone (' + response.status + ')');
  }
  const events = new EventSource(root + 'events');
  events.addEventListener('hello', (event) => {
    // A reconnect after missed changes (or a restarted server) repaints once.
    const missed = body.dataset.generation !== undefined && body.dataset.generation !== event.data;
    body.dataset.generation = event.data;
    say('live');
    if (missed) busy = busy.then(() => repaint(Number(event.data))).catch(() => say('could not refresh; reload the page'));
  });
  events.addEventListener('change', (event) => {
    const generation = Number(event.data);
    busy = busy.then(() => repaint(generation)).catch(() => say('could not refresh; reload the page'));
  });
  events.addEventListener('error', () => say('disconnected; retrying…'));
})();
`;
