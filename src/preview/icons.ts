// Inline SVG icons: no icon font, no emoji font needed on the machine that opens the page.
import { Html } from './html.js';

const svg = (body: string, size = 24): Html =>
  new Html(
    `<svg class="wa-svg" width="${size}" height="${size}" viewBox="0 0 24 24" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round">${body}</svg>`,
  );

export const ICONS = {
  image: (size?: number) =>
    svg('<rect x="3" y="4" width="18" height="16" rx="2"/><circle cx="9" cy="10" r="2"/><path d="m21 17-5-5-9 8"/>', size),
  video: (size?: number) => svg('<rect x="3" y="6" width="13" height="12" rx="2"/><path d="m16 10 5-3v10l-5-3z"/>', size),
  pin: (size?: number) =>
    svg(
      '<path d="M12 21s-7-6.2-7-11.5A7 7 0 0 1 19 9.5C19 14.8 12 21 12 21z" fill="#e5533d" stroke="#a8321f"/><circle cx="12" cy="9.5" r="2.5" fill="#fff" stroke="none"/>',
      size,
    ),
  cart: (size?: number) =>
    svg(
      '<circle cx="9" cy="20" r="1.3"/><circle cx="18" cy="20" r="1.3"/><path d="M2 3h3l2.6 12.4a1.5 1.5 0 0 0 1.5 1.1h8.7a1.5 1.5 0 0 0 1.5-1.2L21 8H6"/>',
      size,
    ),
  person: (size?: number) => svg('<circle cx="12" cy="8" r="4"/><path d="M4 21c1.5-4 4.5-6 8-6s6.5 2 8 6"/>', size),
};
