/** Conversation channels, as stored on conversations and messages. */
export const CHANNELS = ['web', 'whatsapp', 'telegram'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Integration platforms. WhatsApp is live; Telegram is announced. */
export const PLATFORMS = ['WHATSAPP', 'TELEGRAM'] as const;
export type Platform = (typeof PLATFORMS)[number];
