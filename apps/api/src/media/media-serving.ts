import { INLINE_MEDIA_TYPES } from '@conecta/contracts';

/** How the dashboard answers with a stored file: its headers. */
export interface MediaResponseHeaders {
  'content-type': string;
  'content-disposition': string;
  'content-length': string;
  'x-content-type-options': 'nosniff';
  'content-security-policy': string;
  'cache-control': string;
}

const INLINE = new Set<string>(INLINE_MEDIA_TYPES);

/** A file name safe in a header: ASCII letters, digits, `.`, `-`, `_`. */
function safeFileName(name: string): string {
  const cleaned = name.replace(/[^\w.-]+/g, '_').replace(/^\.+/, '');
  return cleaned.slice(0, 120) || 'file';
}

/**
 * Safe by construction: only a sniffed image, audio or video type is served inline, with that
 * type; anything else (HTML, SVG, scripts, PDFs, unknown bytes) is a download of
 * `application/octet-stream`. `nosniff` stops the browser guessing, and `sandbox` keeps even a
 * document opened directly from running script on the dashboard's origin.
 */
export function mediaResponseHeaders(file: {
  sniffedType: string | null;
  fileName: string;
  size: number;
}): MediaResponseHeaders {
  const inline = file.sniffedType !== null && INLINE.has(file.sniffedType);
  const name = safeFileName(file.fileName);
  return {
    'content-type': inline && file.sniffedType ? file.sniffedType : 'application/octet-stream',
    'content-disposition': `${inline ? 'inline' : 'attachment'}; filename="${name}"`,
    'content-length': String(file.size),
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; sandbox",
    'cache-control': 'private, max-age=3600',
  };
}
