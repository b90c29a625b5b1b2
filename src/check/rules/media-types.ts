// WhatsApp's media types ([image-messages], [video-messages], [audio-messages], [sticker-messages]):
// images jpeg/png (webp as a sticker), video mp4/3gpp, audio aac/amr/mpeg/mp4/ogg without a caption,
// documents anything. A URL without a known extension proves nothing and passes (sizes cannot be
// checked offline either).
import { extension, known, list, obj, payload, type Rule, type RuleProblem } from './types.js';

const IMAGE_OK = new Set(['jpg', 'jpeg', 'png', 'webp']);
// Not AVIF: Bird's own WhatsApp page sends .avif images, so Bird evidently converts them.
const NOT_WHATSAPP_IMAGES = new Set(['gif', 'bmp', 'svg', 'tif', 'tiff', 'heic', 'heif', 'ico']);
const ALLOWED: Record<string, Set<string>> = {
  image: new Set(['jpeg', 'png', 'webp']),
  video: new Set(['mp4', '3gpp']),
  audio: new Set(['aac', 'amr', 'mpeg', 'mp4', 'ogg']),
};
const NAMES: Record<string, string> = {
  image: 'JPEG or PNG (WebP for stickers)',
  video: 'MP4 or 3GPP',
  audio: 'AAC, AMR, MP3 (mpeg), MP4 or OGG',
};

export const mediaTypes: Rule = (request) => {
  const body = payload(request);
  const out: RuleProblem[] = [];
  if (body?.type === 'image') {
    list(body.value.images).forEach((image, i) => {
      const ext = extension(obj(image)?.mediaUrl);
      if (ext && !IMAGE_OK.has(ext) && NOT_WHATSAPP_IMAGES.has(ext)) {
        out.push({
          code: 'E_WA_MEDIA_TYPE',
          pointer: `${body.pointer}/images/${i}/mediaUrl`,
          message: `the image is a .${ext} file; WhatsApp takes images as JPEG or PNG (WebP for stickers)`,
        });
      }
    });
  }
  if (body?.type === 'file') {
    let audio = false;
    list(body.value.files).forEach((file, i) => {
      const contentType = obj(file)?.contentType;
      if (!known(contentType)) return;
      const [kind, sub] = (contentType.split(';')[0] ?? '').trim().toLowerCase().split('/');
      if (kind === 'audio') audio = true;
      const allowed = kind ? ALLOWED[kind] : undefined;
      if (allowed && sub !== undefined && !allowed.has(sub)) {
        out.push({
          code: 'E_WA_MEDIA_TYPE',
          pointer: `${body.pointer}/files/${i}/contentType`,
          message: `WhatsApp does not take ${kind} as ${contentType}; use ${NAMES[kind!]}`,
        });
      }
    });
    const text = body.value.text;
    if (audio && typeof text === 'string' && text !== '') {
      out.push({
        code: 'E_WA_AUDIO_CAPTION',
        pointer: `${body.pointer}/text`,
        message: 'WhatsApp shows no caption on audio; remove `text` or send it as a separate text message',
      });
    }
  }
  return out;
};
