import type { InboundContent } from '@conecta/graph-client';
import type {
  MessageLocation,
  MessageMedia,
  SharedContactCard,
} from '../conversations/conversation.types';
import { scrubPhoneNumbers } from '../conversations/conversation.views';

/** How an inbound WhatsApp message is stored in the thread, and whether the bot answers it. */
export interface StoredInbound {
  content: string;
  media?: MessageMedia;
  /** Structured details the thread shows as a map link or a contact card. */
  details?: { location?: MessageLocation; sharedContacts?: SharedContactCard[] };
  /** Reactions, system notices and unsupported messages are stored but not answered. */
  needsReply: boolean;
}

const MEDIA_LABELS = {
  image: '[imagen]',
  video: '[vídeo]',
  audio: '[audio]',
  document: '[documento]',
  sticker: '[sticker]',
} as const;

function join(...parts: (string | undefined)[]): string {
  return parts.filter((p): p is string => typeof p === 'string' && p.trim() !== '').join(' ');
}

/** The thread text of an inbound message: the text itself, or a short Spanish label and details. */
export function toStoredInbound(content: InboundContent): StoredInbound {
  switch (content.type) {
    case 'text':
      return { content: content.text, needsReply: true };
    case 'image':
    case 'video':
    case 'audio':
    case 'document':
    case 'sticker': {
      const m = content.media;
      const label =
        content.type === 'audio' && m.voice
          ? '[nota de voz]'
          : content.type === 'document' && m.filename
            ? `[documento: ${m.filename}]`
            : MEDIA_LABELS[content.type];
      const media: MessageMedia = { id: m.id, kind: content.type, state: 'pending' };
      if (content.type === 'audio' && m.voice) media.voice = true;
      if (m.mimeType) media.mimeType = m.mimeType;
      if (m.filename) media.fileName = m.filename;
      if (m.caption) media.caption = m.caption;
      if (m.sha256) media.sha256 = m.sha256;
      return { content: join(label, m.caption), media, needsReply: true };
    }
    case 'location': {
      const l = content.location;
      const location: MessageLocation = { latitude: l.latitude, longitude: l.longitude };
      if (l.name) location.name = l.name;
      if (l.address) location.address = l.address;
      return {
        content: join('[ubicación]', l.name, l.address, `(${l.latitude}, ${l.longitude})`),
        details: { location },
        needsReply: true,
      };
    }
    case 'contacts': {
      const names = content.contacts.map((c) =>
        join(c.name?.formattedName ?? c.name?.firstName, c.phones[0]?.phone),
      );
      const sharedContacts = content.contacts.map((c): SharedContactCard => {
        const name = c.name?.formattedName ?? join(c.name?.firstName, c.name?.lastName);
        return {
          ...(name ? { name } : {}),
          phones: c.phones.map((p) => p.phone ?? p.waId ?? '').filter(Boolean),
          emails: c.emails.map((e) => e.email ?? '').filter(Boolean),
          ...(c.org?.company ? { company: c.org.company } : {}),
        };
      });
      return {
        content: join('[contacto]', names.join(', ')),
        details: { sharedContacts },
        needsReply: true,
      };
    }
    case 'interactive': {
      const i = content.interactive;
      if (i.type === 'button_reply' || i.type === 'list_reply') {
        return { content: i.title, needsReply: true };
      }
      if (i.type === 'nfm_reply')
        return { content: join('[formulario]', i.body), needsReply: true };
      return { content: '[respuesta interactiva]', needsReply: true };
    }
    case 'button':
      return { content: content.button.text, needsReply: true };
    case 'reaction':
      return {
        content: content.reaction.emoji
          ? `[reacción] ${content.reaction.emoji}`
          : '[reacción eliminada]',
        needsReply: false,
      };
    case 'order':
      return {
        content: join(`[pedido: ${content.order.items.length} productos]`, content.order.text),
        needsReply: true,
      };
    case 'system':
      // A notice names numbers (the customer's old and new one): never stored in clear.
      return {
        content: join('[aviso del sistema]', scrubPhoneNumbers(content.system.body ?? '')),
        needsReply: false,
      };
    case 'unsupported':
      return { content: '[mensaje no compatible]', needsReply: false };
  }
}

export const WHATSAPP_TEXT_LIMIT = 4096;

/**
 * Splits a reply into parts of at most `limit` UTF-16 units, preferring paragraph, line and word
 * breaks, never cutting a surrogate pair.
 */
export function splitText(text: string, limit = WHATSAPP_TEXT_LIMIT): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    const window = rest.slice(0, limit);
    let cut = Math.max(window.lastIndexOf('\n\n'), window.lastIndexOf('\n'));
    if (cut < limit / 2) cut = window.lastIndexOf(' ');
    if (cut < limit / 2) {
      cut = limit;
      const code = rest.charCodeAt(cut - 1);
      if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
    }
    const part = rest.slice(0, cut).trimEnd();
    if (part) parts.push(part);
    rest = rest.slice(cut).trimStart();
  }
  if (rest.trim() || parts.length === 0) parts.push(rest);
  return parts;
}

/**
 * A text shortened to one WhatsApp message: cut at the last sentence end (else word) that leaves
 * room for a closing "…". Text that fits is returned as is.
 */
export function fitOneMessage(text: string, limit = WHATSAPP_TEXT_LIMIT): string {
  if (text.length <= limit) return text;
  const window = text.slice(0, limit - 1);
  const sentence = Math.max(
    window.lastIndexOf('\n'),
    ...['. ', '! ', '? ', '.\n'].map((end) => {
      const at = window.lastIndexOf(end);
      return at === -1 ? -1 : at + 1;
    }),
  );
  let cut = sentence >= limit / 2 ? sentence : window.lastIndexOf(' ');
  if (cut < limit / 2) {
    cut = limit - 1;
    const code = text.charCodeAt(cut - 1);
    if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  }
  return `${text.slice(0, cut).trimEnd()}…`;
}
