// WhatsApp carousel cards all have the same header kind: all images or all videos
// ([interactive-media-carousel-messages]). Judged by the URL's extension; unknown ones pass.
import { extension, list, obj, payload, type Rule } from './types.js';

const KIND: Record<string, 'image' | 'video'> = {
  jpg: 'image',
  jpeg: 'image',
  png: 'image',
  mp4: 'video',
  '3gp': 'video',
  '3gpp': 'video',
};

export const carouselMedia: Rule = (request) => {
  const body = payload(request);
  if (body?.type !== 'carousel') return [];
  let first: { kind: 'image' | 'video'; card: number } | undefined;
  const cards = list(body.value.items);
  for (let i = 0; i < cards.length; i++) {
    const ext = extension(obj(cards[i])?.mediaUrl);
    const kind = ext ? KIND[ext] : undefined;
    if (!kind) continue;
    if (!first) first = { kind, card: i + 1 };
    else if (kind !== first.kind) {
      return [
        {
          code: 'E_WA_CAROUSEL_MIXED_MEDIA',
          pointer: `${body.pointer}/items/${i}/mediaUrl`,
          message: `card ${i + 1} has a ${kind} but card ${first.card} has a${first.kind === 'image' ? 'n' : ''} ${first.kind}; WhatsApp needs the same media kind (all images or all videos) on every card`,
        },
      ];
    }
  }
  return [];
};
