// Changed words between two texts (a longest common subsequence of words), for the visual diff.
import { MARK_END, MARK_START } from './whatsapp-format.js';

const MAX_CELLS = 4_000_000;

function words(text: string): string[] {
  return text.split(/(\s+)/).filter((t) => t !== '');
}

/**
 * `text` with MARK_START/MARK_END around the words that `other` does not have in the same order.
 * Whitespace is never marked. Texts too long for a word table are marked whole when they differ.
 */
export function markChangedWords(text: string, other: string | undefined): string {
  if (other === undefined || other === '') return text.trim() === '' ? text : `${MARK_START}${text}${MARK_END}`;
  if (text === other) return text;
  const a = words(text);
  const b = words(other);
  if (a.length * b.length > MAX_CELLS) return `${MARK_START}${text}${MARK_END}`;
  // lengths[i][j]: LCS of a[i..] and b[j..], in one flat array.
  const width = b.length + 1;
  const lengths = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lengths[i * width + j] =
        a[i] === b[j] ? lengths[(i + 1) * width + j + 1]! + 1 : Math.max(lengths[(i + 1) * width + j]!, lengths[i * width + j + 1]!);
    }
  }
  const keep = new Array<boolean>(a.length).fill(false);
  for (let i = 0, j = 0; i < a.length && j < b.length;) {
    if (a[i] === b[j]) {
      keep[i] = true;
      i++;
      j++;
    } else if (lengths[(i + 1) * width + j]! >= lengths[i * width + j + 1]!) i++;
    else j++;
  }
  const changed = a.map((word, i) => !keep[i] && word.trim() !== '');
  let out = '';
  let open = false;
  for (let i = 0; i < a.length; i++) {
    const word = a[i]!;
    // Whitespace between two changed words stays inside one mark.
    const inside: boolean = changed[i]! || (open && word.trim() === '' && changed[i + 1] === true);
    if (inside && !open) out += MARK_START;
    else if (!inside && open) out += MARK_END;
    open = inside;
    out += word;
  }
  if (open) out += MARK_END;
  return out;
}
