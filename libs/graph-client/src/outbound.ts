import type { MediaSource, MessageRecipient, OutboundMessage } from './types';

/** The addressing fields of a message: `to` with the phone when known, else `recipient`. */
export function addressOf(recipient: MessageRecipient): { to: string } | { recipient: string } {
  if (recipient.phone === undefined) return { recipient: recipient.userId };
  const digits = recipient.phone.replace(/^\+/, '');
  return { to: /^\d+$/.test(digits) ? `+${digits}` : recipient.phone };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function len(value: unknown): number {
  return typeof value === 'string' ? [...value].length : 0;
}

function checkMedia(path: string, media: MediaSource | undefined, problems: string[]): void {
  if (!isObject(media)) {
    problems.push(`${path} is required`);
    return;
  }
  const hasId = typeof media.id === 'string' && media.id.length > 0;
  const hasLink = typeof media.link === 'string' && media.link.length > 0;
  if (hasId === hasLink) problems.push(`${path} needs exactly one of id or link`);
  if (hasLink && !/^https:\/\//i.test(String(media.link))) {
    problems.push(`${path}.link must be an https URL`);
  }
}

/**
 * Checks an outbound message against Meta's documented limits before it leaves the process.
 * Returns the list of problems (empty when the message looks sendable).
 */
export function validateOutboundMessage(message: OutboundMessage): string[] {
  const problems: string[] = [];
  const hasTo = typeof message.to === 'string' && message.to.trim() !== '';
  const hasRecipient = typeof message.recipient === 'string' && message.recipient.trim() !== '';
  if (!hasTo && !hasRecipient) problems.push('to or recipient is required');
  if (message.context && !message.context.message_id) {
    problems.push('context.message_id is required');
  }
  switch (message.type) {
    case 'text':
      if (len(message.text?.body) === 0) problems.push('text.body is required');
      if (len(message.text?.body) > 4096) problems.push('text.body exceeds 4096 characters');
      break;
    case 'image':
      checkMedia('image', message.image, problems);
      break;
    case 'video':
      checkMedia('video', message.video, problems);
      break;
    case 'document':
      checkMedia('document', message.document, problems);
      break;
    case 'audio':
      checkMedia('audio', message.audio, problems);
      break;
    case 'sticker':
      checkMedia('sticker', message.sticker, problems);
      break;
    case 'template':
      if (len(message.template?.name) === 0) problems.push('template.name is required');
      if (len(message.template?.language?.code) === 0) {
        problems.push('template.language.code is required');
      }
      break;
    case 'reaction':
      if (len(message.reaction?.message_id) === 0) {
        problems.push('reaction.message_id is required');
      }
      break;
    case 'interactive': {
      const interactive = message.interactive;
      if (len(interactive?.body?.text) === 0) problems.push('interactive.body.text is required');
      if (interactive?.footer && len(interactive.footer.text) > 60) {
        problems.push('interactive.footer.text exceeds 60 characters');
      }
      if (interactive?.type === 'button') {
        const buttons = interactive.action?.buttons ?? [];
        if (len(interactive.body.text) > 1024) {
          problems.push('interactive.body.text exceeds 1024 characters');
        }
        if (buttons.length < 1 || buttons.length > 3) {
          problems.push('interactive.action.buttons must hold 1 to 3 buttons');
        }
        const titles = new Set<string>();
        buttons.forEach((button, i) => {
          const title = button.reply?.title;
          if (len(button.reply?.id) === 0 || len(button.reply?.id) > 256) {
            problems.push(`interactive.action.buttons[${i}].reply.id must be 1-256 characters`);
          }
          if (len(title) === 0 || len(title) > 20) {
            problems.push(`interactive.action.buttons[${i}].reply.title must be 1-20 characters`);
          }
          if (titles.has(title)) problems.push(`interactive.action.buttons[${i}] repeats a title`);
          titles.add(title);
        });
      } else if (interactive?.type === 'list') {
        const sections = interactive.action?.sections ?? [];
        if (len(interactive.body.text) > 4096) {
          problems.push('interactive.body.text exceeds 4096 characters');
        }
        if (interactive.header && len(interactive.header.text) > 60) {
          problems.push('interactive.header.text exceeds 60 characters');
        }
        const button = interactive.action?.button;
        if (len(button) === 0 || len(button) > 20) {
          problems.push('interactive.action.button must be 1-20 characters');
        }
        if (sections.length < 1 || sections.length > 10) {
          problems.push('interactive.action.sections must hold 1 to 10 sections');
        }
        const rows = sections.flatMap((section) => section.rows ?? []);
        if (rows.length < 1 || rows.length > 10) {
          problems.push('interactive lists hold 1 to 10 rows in total');
        }
        sections.forEach((section, i) => {
          if (len(section.title) > 24) {
            problems.push(`interactive.action.sections[${i}].title exceeds 24 characters`);
          }
        });
        rows.forEach((row, i) => {
          if (len(row.id) === 0 || len(row.id) > 200)
            problems.push(`row ${i}: id must be 1-200 characters`);
          if (len(row.title) === 0 || len(row.title) > 24) {
            problems.push(`row ${i}: title must be 1-24 characters`);
          }
          if (len(row.description) > 72)
            problems.push(`row ${i}: description exceeds 72 characters`);
        });
      } else {
        problems.push('interactive.type must be button or list');
      }
      break;
    }
    default:
      problems.push('type is not supported');
  }
  if (
    message.biz_opaque_callback_data !== undefined &&
    Buffer.byteLength(message.biz_opaque_callback_data, 'utf8') > 512
  ) {
    problems.push('biz_opaque_callback_data exceeds 512 bytes');
  }
  return problems;
}
