import type { MediaKind } from '@conecta/contracts';

function ascii(data: Buffer, start: number, end: number): string {
  return data.subarray(start, end).toString('latin1');
}

/**
 * The type of a file read from its first bytes (its "magic"), never from what the sender declared;
 * null when it is none of the image, audio and video formats WhatsApp carries, or a PDF. `kind`
 * only tells an audio MP4 (m4a) from a video one: the container is the same.
 */
export function sniffMediaType(data: Buffer, kind?: MediaKind): string | null {
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) {
    return 'image/jpeg';
  }
  if (data.length >= 8 && data.subarray(0, 8).equals(PNG)) return 'image/png';
  if (data.length >= 12 && ascii(data, 0, 4) === 'RIFF' && ascii(data, 8, 12) === 'WEBP') {
    return 'image/webp';
  }
  if (ascii(data, 0, 4) === 'OggS') return 'audio/ogg';
  if (ascii(data, 0, 5) === '#!AMR') return 'audio/amr';
  if (ascii(data, 0, 3) === 'ID3') return 'audio/mpeg';
  if (data.length >= 12 && ascii(data, 4, 8) === 'ftyp') {
    const brand = ascii(data, 8, 12);
    if (brand.startsWith('3g')) return 'video/3gpp';
    if (brand === 'M4A ' || brand === 'M4B ' || kind === 'audio') return 'audio/mp4';
    return 'video/mp4';
  }
  if (data.length >= 2 && data[0] === 0xff) {
    const b = data[1] ?? 0;
    // ADTS (AAC): sync word 0xFFF, layer bits 00.
    if ((b & 0xf6) === 0xf0) return 'audio/aac';
    // MPEG audio frame sync (MP3 without an ID3 tag): 0xFFE, layer bits not 00.
    if ((b & 0xe0) === 0xe0 && (b & 0x06) !== 0) return 'audio/mpeg';
  }
  if (ascii(data, 0, 5) === '%PDF-') return 'application/pdf';
  return null;
}

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
