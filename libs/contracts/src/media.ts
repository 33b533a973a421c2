import type { MediaKind } from './conversations';

const MB = 1024 * 1024;

/** Meta's limits of one media kind (WhatsApp Cloud API "Media": supported types and sizes). */
export interface MediaKindLimits {
  maxBytes: number;
  /** MIME types Meta accepts for this kind (the base type, without parameters). */
  mimeTypes: readonly string[];
}

/** Meta's per-kind size and format limits: the one table the API and the SPA check against. */
export const MEDIA_LIMITS: Record<MediaKind, MediaKindLimits> = {
  image: { maxBytes: 5 * MB, mimeTypes: ['image/jpeg', 'image/png'] },
  audio: {
    maxBytes: 16 * MB,
    mimeTypes: ['audio/aac', 'audio/amr', 'audio/mpeg', 'audio/mp4', 'audio/ogg'],
  },
  video: { maxBytes: 16 * MB, mimeTypes: ['video/mp4', 'video/3gpp'] },
  document: {
    maxBytes: 100 * MB,
    mimeTypes: [
      'text/plain',
      'application/pdf',
      'application/msword',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'application/vnd.ms-excel',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'application/vnd.ms-powerpoint',
      'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    ],
  },
  // 500 KB is the animated limit; a static sticker is held to 100 KB by Meta itself.
  sticker: { maxBytes: 500 * 1024, mimeTypes: ['image/webp'] },
};

/** The largest file Meta delivers or accepts at all (a document); larger inbound media is an error. */
export const MAX_MEDIA_BYTES = MEDIA_LIMITS.document.maxBytes;

/** Kinds an agent may send from the composer (stickers are not offered). */
export const SENDABLE_MEDIA_KINDS = ['image', 'audio', 'video', 'document'] as const;
export type SendableMediaKind = (typeof SENDABLE_MEDIA_KINDS)[number];

/** Why a file cannot be sent (or was not kept): stable codes, words in the SPA dictionaries. */
export const MEDIA_RULE_CODES = [
  'MEDIA_TOO_LARGE',
  'MEDIA_TYPE_NOT_ALLOWED',
  'MEDIA_EMPTY',
] as const;
export type MediaRuleCode = (typeof MEDIA_RULE_CODES)[number];

export function isMediaRuleCode(value: unknown): value is MediaRuleCode {
  return typeof value === 'string' && (MEDIA_RULE_CODES as readonly string[]).includes(value);
}

/** The MIME type without parameters, lower case (`audio/ogg; codecs=opus` → `audio/ogg`). */
export function baseMimeType(mimeType: string): string {
  return (mimeType.split(';')[0] ?? '').trim().toLowerCase();
}

/** The kind a file of this MIME type is sent as; a type Meta accepts for no kind is a document. */
export function mediaKindOfMime(mimeType: string): SendableMediaKind {
  const base = baseMimeType(mimeType);
  for (const kind of ['image', 'audio', 'video'] as const) {
    if (MEDIA_LIMITS[kind].mimeTypes.includes(base)) return kind;
  }
  return 'document';
}

/** Checks a file against Meta's limits for `kind`; null when it may be sent. */
export function checkMediaFile(
  kind: MediaKind,
  file: { mimeType: string; size: number },
): MediaRuleCode | null {
  if (file.size <= 0) return 'MEDIA_EMPTY';
  const limits = MEDIA_LIMITS[kind];
  if (!limits.mimeTypes.includes(baseMimeType(file.mimeType))) return 'MEDIA_TYPE_NOT_ALLOWED';
  if (file.size > limits.maxBytes) return 'MEDIA_TOO_LARGE';
  return null;
}

/**
 * Sniffed types the dashboard serves inline (it plays or shows them); any other file is a
 * download (`attachment`, `application/octet-stream`), whatever the sender declared.
 */
export const INLINE_MEDIA_TYPES = [
  'image/jpeg',
  'image/png',
  'image/webp',
  'audio/ogg',
  'audio/mpeg',
  'audio/aac',
  'audio/amr',
  'audio/mp4',
  'video/mp4',
  'video/3gpp',
] as const;

/** Where a message's file is: being downloaded from Meta, kept by Conecta, or lost. */
export const MEDIA_STATES = ['pending', 'stored', 'failed'] as const;
export type MediaState = (typeof MEDIA_STATES)[number];

/** Why a file could not be kept (`failureCode` of a failed media); Meta's words go in `failureDetail`. */
export const MEDIA_FAILURE_CODES = [
  'MEDIA_EXPIRED',
  'MEDIA_TOO_LARGE',
  'MEDIA_DOWNLOAD_FAILED',
  'NO_INTEGRATION',
] as const;
export type MediaFailureCode = (typeof MEDIA_FAILURE_CODES)[number];
