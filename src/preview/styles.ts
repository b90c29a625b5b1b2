// The preview's one stylesheet, inlined in every page (no fonts, no CDN: system fonts only).
// Light and dark follow the system (prefers-color-scheme); the phone is 360–400 px wide.
export const STYLES = `
:root {
  color-scheme: light dark;
  --page: #f4f5f7; --panel: #ffffff; --ink: #1f2328; --muted: #5c6670; --line: #d5d9de; --accent: #008069;
  --link: #0b63c5; --focus: #1f6feb;
  --wall: #efeae2; --bubble: #ffffff; --bubble-ink: #111b21; --bubble-meta: #667781; --wa-head: #008069; --wa-head-ink: #ffffff;
  --wa-button: #027eb5; --quote: #f0f2f5; --quote-bar: #06cf9c; --sheet: #ffffff; --mark: #fff3a3; --mark-ink: #111b21; --del: #ffd7d5;
  --error: #b42318; --error-bg: #fdecea; --warn: #8a5a00; --warn-bg: #fff4d6; --ok: #1a7f37; --ok-bg: #e6f4ea;
}
@media (prefers-color-scheme: dark) {
  :root {
    --page: #0d1117; --panel: #161b22; --ink: #e6edf3; --muted: #9aa5b1; --line: #30363d; --accent: #25d366;
    --link: #58a6ff; --focus: #58a6ff;
    --wall: #0b141a; --bubble: #202c33; --bubble-ink: #e9edef; --bubble-meta: #8696a0; --wa-head: #202c33; --wa-head-ink: #e9edef;
    --wa-button: #53bdeb; --quote: #1d282f; --quote-bar: #06cf9c; --sheet: #233138; --mark: #6b5a00; --mark-ink: #fff8c5; --del: #5c1f1b;
    --error: #ff7b72; --error-bg: #3d1514; --warn: #e3b341; --warn-bg: #3a2d06; --ok: #56d364; --ok-bg: #0f2e1a;
  }
}
* { box-sizing: border-box; }
html { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif; font-size: 15px; }
body { margin: 0; background: var(--page); color: var(--ink); line-height: 1.45; }
a { color: var(--link); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
code, pre, kbd { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace; font-size: 0.9em; }
.skip { position: absolute; left: -999px; top: 0; }
.skip:focus { left: 8px; top: 8px; background: var(--panel); padding: 6px 10px; z-index: 10; }
header.top { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: center; padding: 12px 20px; background: var(--panel); border-bottom: 1px solid var(--line); }
header.top h1 { font-size: 1.1rem; margin: 0; }
header.top .crumbs a { text-decoration: none; }
header.top .status { margin-left: auto; color: var(--muted); font-size: 0.85rem; }
main { padding: 16px 20px 40px; max-width: 1400px; margin: 0 auto; }
footer.keys { color: var(--muted); font-size: 0.85rem; padding: 0 20px 24px; max-width: 1400px; margin: 0 auto; }
kbd { border: 1px solid var(--line); border-bottom-width: 2px; border-radius: 4px; padding: 0 4px; background: var(--panel); }
.badge { display: inline-block; border-radius: 999px; padding: 1px 8px; font-size: 0.78rem; font-weight: 600; white-space: nowrap; }
.badge.valid { background: var(--ok-bg); color: var(--ok); }
.badge.warnings { background: var(--warn-bg); color: var(--warn); }
.badge.errors { background: var(--error-bg); color: var(--error); }
.kind { color: var(--muted); font-size: 0.8rem; border: 1px solid var(--line); border-radius: 4px; padding: 0 5px; }
.filter { display: flex; gap: 8px; align-items: center; margin: 0 0 12px; }
.filter input { font: inherit; padding: 6px 10px; border: 1px solid var(--line); border-radius: 6px; background: var(--panel); color: var(--ink); width: min(420px, 100%); }
.folder { margin: 0 0 18px; }
.folder h2 { font-size: 0.95rem; color: var(--muted); margin: 0 0 6px; font-weight: 600; }
ul.messages { list-style: none; margin: 0; padding: 0; background: var(--panel); border: 1px solid var(--line); border-radius: 8px; }
ul.messages li { display: flex; flex-wrap: wrap; gap: 4px 10px; align-items: baseline; padding: 8px 12px; border-top: 1px solid var(--line); }
ul.messages li:first-child { border-top: 0; }
ul.messages li[hidden] { display: none; }
ul.messages .desc { color: var(--muted); font-size: 0.9rem; flex-basis: 100%; }
ul.messages .codes { color: var(--muted); font-size: 0.8rem; }
.msg-link { font-weight: 600; }
.meta-line { color: var(--muted); margin: 0 0 8px; }
.neighbours { display: flex; justify-content: space-between; gap: 12px; font-size: 0.85rem; margin: 0 0 10px; }
.neighbours a[rel=next] { margin-left: auto; }
.message-head h2 { margin: 0 0 4px; font-size: 1.25rem; }
.pager { display: flex; gap: 12px; align-items: center; margin: 8px 0 16px; }
.locales { display: flex; flex-wrap: wrap; gap: 12px; align-items: center; margin: 8px 0 16px; }
.locales a[aria-current="page"] { font-weight: 700; text-decoration: none; }
.phone-label .locale { font-variant-numeric: tabular-nums; }
.problems { list-style: none; margin: 6px 0; padding: 0; font-size: 0.85rem; line-height: 1.35; }
.problem { margin: 3px 0; padding: 4px 8px; border-radius: 6px; border-left: 3px solid currentColor; white-space: normal; text-align: left; }
.problem.error { background: var(--error-bg); color: var(--error); }
.problem.warning { background: var(--warn-bg); color: var(--warn); }
.problem .code { font-weight: 700; }
.problem .problem-message { color: var(--ink); }
.problem .where, .problem .hint { color: var(--muted); font-size: 0.8rem; display: block; overflow-wrap: anywhere; }
.phones { display: flex; flex-wrap: wrap; gap: 24px; align-items: flex-start; }
.phone-wrap { width: min(380px, 100%); }
.phone-label { font-size: 0.85rem; color: var(--muted); margin: 0 0 4px; display: flex; justify-content: space-between; align-items: baseline; gap: 8px; }
.phone-label .badge { flex: none; }
.phone { width: 100%; border-radius: 22px; overflow: hidden; border: 8px solid #1f2328; background: var(--wall); box-shadow: 0 2px 10px rgba(0,0,0,.15); }
.wa-top { display: flex; align-items: center; gap: 10px; padding: 8px 12px; background: var(--wa-head); color: var(--wa-head-ink); }
.wa-avatar { width: 34px; height: 34px; border-radius: 50%; background: rgba(255,255,255,.25); display: grid; place-items: center; font-weight: 700; flex: none; }
.wa-who { display: flex; flex-direction: column; line-height: 1.2; min-width: 0; }
.wa-who strong { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.wa-who small { opacity: .85; font-size: 0.75rem; overflow-wrap: anywhere; }
.wa-chat { padding: 12px 10px 16px; min-height: 160px; display: flex; flex-direction: column; gap: 8px; font-size: 14.2px; }
.wa-msg { max-width: 88%; align-self: flex-start; display: flex; flex-direction: column; gap: 3px; }
.wa-bubble { background: var(--bubble); color: var(--bubble-ink); border-radius: 0 8px 8px 8px; padding: 6px 8px 4px; box-shadow: 0 1px .5px rgba(11,20,26,.13); position: relative; min-width: 90px; overflow-wrap: anywhere; }
.wa-bubble::before { content: ""; position: absolute; left: -7px; top: 0; border-top: 8px solid var(--bubble); border-left: 8px solid transparent; }
.wa-bubble.wa-has-media { padding: 3px 3px 4px; width: min(270px, 100%); }
.wa-bubble.wa-has-media .wa-text, .wa-bubble.wa-has-media .wa-header { padding: 4px 5px 0; }
.wa-text { white-space: pre-wrap; }
.wa-header { font-weight: 700; white-space: pre-wrap; }
.wa-footer { color: var(--bubble-meta); font-size: 0.8rem; white-space: pre-wrap; }
.wa-meta { display: block; text-align: right; color: var(--bubble-meta); font-size: 11px; margin-top: 1px; padding: 0 4px; }
.wa-mono { display: block; white-space: pre-wrap; font-size: 13px; }
.wa-code { background: rgba(127,127,127,.15); border-radius: 3px; padding: 0 3px; }
.wa-bubble a { color: var(--wa-button); }
.wa-ctas { border-top: 1px solid var(--line); margin: 4px -8px -4px; display: flex; flex-direction: column; }
.wa-has-media .wa-ctas { margin: 4px -3px -4px; }
.wa-cta { display: flex; gap: 6px; align-items: center; justify-content: center; padding: 9px 8px; color: var(--wa-button); text-decoration: none; font-weight: 500; border: 0; border-top: 1px solid var(--line); background: none; font: inherit; width: 100%; cursor: default; }
.wa-cta:first-child { border-top: 0; }
a.wa-cta, button.wa-cta { cursor: pointer; }
.wa-replies { display: flex; flex-direction: column; gap: 3px; }
.wa-reply { display: flex; gap: 6px; align-items: center; justify-content: center; padding: 8px; background: var(--bubble); color: var(--wa-button); border-radius: 8px; font-weight: 500; box-shadow: 0 1px .5px rgba(11,20,26,.13); }
.wa-icon { font-size: 0.95em; }
.wa-quote { display: flex; flex-direction: column; background: var(--quote); border-left: 4px solid var(--quote-bar); border-radius: 6px; padding: 4px 8px; margin: 0 0 4px; font-size: 0.82rem; }
.wa-quote-who { color: var(--quote-bar); font-weight: 600; }
.wa-quote-id { color: var(--bubble-meta); overflow-wrap: anywhere; }
.wa-gallery { display: grid; gap: 3px; }
.wa-gallery[data-count="2"], .wa-gallery[data-count="3"], .wa-gallery[data-count="4"] { grid-template-columns: 1fr 1fr; }
.wa-media { margin: 0; position: relative; border-radius: 6px; overflow: hidden; background: rgba(127,127,127,.12); }
.wa-media img, .wa-media video { display: block; width: 100%; max-height: 260px; object-fit: cover; }
.wa-media figcaption { font-size: 0.8rem; color: var(--bubble-meta); padding: 2px 6px; }
.wa-fallback { display: none; flex-direction: column; align-items: center; justify-content: center; gap: 2px; min-height: 120px; padding: 10px; text-align: center; }
.wa-media.failed .wa-fallback { display: flex; }
.wa-media.failed img, .wa-media.failed video { display: none; }
.wa-fallback-icon { color: var(--bubble-meta); display: flex; }
.wa-svg { display: block; }
.wa-icon { display: inline-flex; }
.wa-file-name { font-weight: 600; overflow-wrap: anywhere; }
.wa-file-type { color: var(--bubble-meta); font-size: 0.78rem; }
.wa-files { display: flex; flex-direction: column; gap: 3px; }
.wa-doc { display: flex; gap: 10px; align-items: center; padding: 8px; background: var(--quote); border-radius: 6px; }
.wa-doc-icon { flex: none; width: 36px; height: 44px; border-radius: 4px; background: #e5533d; color: #fff; font-size: 10px; font-weight: 700; display: grid; place-items: center; }
.wa-doc-text { display: flex; flex-direction: column; min-width: 0; }
.wa-doc a.wa-file-name { color: var(--bubble-ink); text-decoration: none; }
.wa-location { border-radius: 6px; overflow: hidden; }
.wa-map { height: 120px; display: grid; place-items: center; background-color: #d8e4d0; background-image: linear-gradient(90deg, rgba(255,255,255,.6) 2px, transparent 2px), linear-gradient(rgba(255,255,255,.6) 2px, transparent 2px); background-size: 28px 28px; }
.wa-pin { font-size: 30px; }
.wa-loc-body { padding: 6px 6px 0; }
.wa-loc-label { font-weight: 600; }
.wa-loc-address, .wa-loc-coords { color: var(--bubble-meta); font-size: 0.82rem; }
.wa-carousel { display: flex; gap: 8px; overflow-x: auto; scroll-snap-type: x mandatory; padding: 2px 2px 6px; max-width: 100%; }
.wa-card { flex: 0 0 78%; scroll-snap-align: start; background: var(--bubble); color: var(--bubble-ink); border-radius: 8px; padding: 3px 3px 0; box-shadow: 0 1px .5px rgba(11,20,26,.13); display: flex; flex-direction: column; }
.wa-card-title { font-weight: 700; padding: 6px 6px 0; white-space: pre-wrap; }
.wa-card-desc { padding: 0 6px; color: var(--bubble-meta); white-space: pre-wrap; }
.wa-card .wa-ctas { margin: 6px -3px 0; }
.wa-sheet { border: 0; padding: 0 0 12px; margin: auto auto 0; width: min(400px, 100vw); max-height: 80vh; overflow: auto; border-radius: 14px 14px 0 0; background: var(--sheet); color: var(--bubble-ink); }
.wa-sheet::backdrop { background: rgba(0,0,0,.35); }
.wa-sheet-head { display: flex; align-items: center; gap: 8px; padding: 12px 14px; border-bottom: 1px solid var(--line); font-weight: 600; }
.wa-sheet-close { background: none; border: 0; color: inherit; font-size: 18px; cursor: pointer; padding: 2px 6px; }
.wa-section { padding: 4px 14px; }
.wa-section-title { margin: 10px 0 4px; font-size: 0.8rem; color: var(--accent); text-transform: uppercase; letter-spacing: .03em; }
.wa-rows { list-style: none; margin: 0; padding: 0; }
.wa-row { display: flex; align-items: center; gap: 10px; padding: 9px 0; border-bottom: 1px solid var(--line); flex-wrap: wrap; }
.wa-row-text { display: flex; flex-direction: column; flex: 1; min-width: 0; }
.wa-row-desc { color: var(--bubble-meta); font-size: 0.82rem; }
.wa-radio { width: 18px; height: 18px; border-radius: 50%; border: 2px solid var(--bubble-meta); flex: none; }
.wa-template-tag { display: flex; flex-wrap: wrap; gap: 4px 8px; font-size: 0.75rem; color: var(--bubble-meta); margin: 4px 0 2px; }
.wa-template-project { font-family: ui-monospace, monospace; overflow-wrap: anywhere; }
.wa-template-note { margin: 4px 0; font-size: 0.85rem; color: var(--bubble-meta); }
.wa-params { margin: 2px 0 2px; display: grid; gap: 4px; }
.wa-param { background: var(--quote); border-radius: 6px; padding: 4px 8px; }
.wa-param dt { font-size: 0.8rem; color: var(--bubble-meta); }
.wa-param dd { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.wa-source { white-space: pre-wrap; font-size: 12px; max-height: 220px; overflow: auto; }
.wa-empty { color: var(--bubble-meta); }
mark { background: var(--mark); color: var(--mark-ink); border-radius: 2px; padding: 0 1px; }
.before mark { background: var(--del); color: inherit; text-decoration: line-through; text-decoration-thickness: 1px; }
.changed { outline: 2px dashed var(--mark); outline-offset: 1px; }
.before .changed { outline-color: var(--del); }
.part:has(+ .problems), .part:has(> .problems) { outline: 2px solid var(--error); outline-offset: 1px; border-radius: 4px; }
.wa-list:has(.problems) .wa-list-button::after, .wa-msg:has(+ .wa-sheet .problems) .wa-list-button::after { content: " ⚠"; color: var(--error); }
.wa-chat .problems { max-width: 100%; }
details.request { margin: 8px 0 0; background: var(--panel); border: 1px solid var(--line); border-radius: 8px; }
details.request summary { cursor: pointer; padding: 6px 10px; font-size: 0.85rem; }
details.request pre { margin: 0; padding: 8px 10px; overflow: auto; max-height: 360px; font-size: 12px; border-top: 1px solid var(--line); white-space: pre; }
.row-problems { margin: 6px 0 0; }
.diff-group { margin: 0 0 24px; }
.diff-sides { display: flex; flex-wrap: wrap; gap: 16px; }
.diff-side h4 { margin: 0 0 4px; font-size: 0.85rem; color: var(--muted); }
.diff-none { padding: 20px; color: var(--bubble-meta); text-align: center; }
.diff-unreached { margin: 0 0 16px; padding: 8px 12px; border-left: 4px solid #d97706; background: rgba(217, 119, 6, 0.08); }
.summary-table { border-collapse: collapse; margin: 0 0 16px; background: var(--panel); }
.summary-table th, .summary-table td { border: 1px solid var(--line); padding: 4px 10px; text-align: right; }
.notice { background: var(--warn-bg); color: var(--warn); padding: 8px 12px; border-radius: 6px; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
@media (max-width: 480px) {
  main { padding: 10px 8px 30px; }
  header.top { padding: 10px 12px; }
  .phone { border-width: 0; border-radius: 0; }
  .phones { gap: 16px; }
}
`;
