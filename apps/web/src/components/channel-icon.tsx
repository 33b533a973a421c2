import type { Channel } from '@conecta/contracts';

const PATHS: Record<Channel, string> = {
  // Simplified marks: a chat bubble with a handset, a paper plane, a globe.
  whatsapp:
    'M12 3a9 9 0 0 0-7.8 13.5L3 21l4.6-1.2A9 9 0 1 0 12 3Zm4.4 12.6c-.2.5-1.1 1-1.6 1-.4.1-.9.1-1.5-.1-.3-.1-.8-.3-1.4-.5-2.4-1-4-3.5-4.1-3.6-.1-.2-1-1.3-1-2.5s.6-1.8.9-2c.2-.3.5-.3.6-.3h.5c.1 0 .4 0 .6.4l.8 1.9c.1.1.1.3 0 .5l-.3.4-.4.5c-.1.1-.3.3-.1.6.1.3.6 1.1 1.4 1.8 1 .9 1.8 1.1 2 1.2.3.1.4.1.6-.1l.8-1c.2-.3.4-.2.6-.1l1.8.9c.3.1.4.2.5.3 0 .1 0 .7-.3 1.3Z',
  telegram: 'M21 4 3 11.2l5.6 2 2.2 6.8 3.3-4 4.7 3.5L21 4Zm-4.2 4.2-6.5 5.7-.3 3-1.3-4.2 8.1-4.5Z',
  web: 'M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18Zm6.9 8h-3a14 14 0 0 0-1.3-5.4A7 7 0 0 1 18.9 11ZM12 5c.9 1.2 1.7 3.5 1.9 6h-3.8c.2-2.5 1-4.8 1.9-6ZM9.4 5.6A14 14 0 0 0 8.1 11h-3a7 7 0 0 1 4.3-5.4ZM5.1 13h3a14 14 0 0 0 1.3 5.4A7 7 0 0 1 5.1 13ZM12 19c-.9-1.2-1.7-3.5-1.9-6h3.8c-.2 2.5-1 4.8-1.9 6Zm2.6-.6a14 14 0 0 0 1.3-5.4h3a7 7 0 0 1-4.3 5.4Z',
};

/** The channel's mark. With `label` it is an image with that name; without, decoration. */
export function ChannelIcon({
  channel,
  size = 18,
  label,
}: {
  channel: Channel;
  size?: number;
  label?: string;
}): React.JSX.Element {
  return (
    <span
      className={`channel-icon channel-icon-${channel}`}
      style={{ width: size, height: size }}
      role={label ? 'img' : undefined}
      aria-label={label}
      aria-hidden={label ? undefined : true}
    >
      <svg
        viewBox="0 0 24 24"
        width={size * 0.72}
        height={size * 0.72}
        fill="currentColor"
        aria-hidden="true"
      >
        <path d={PATHS[channel]} />
      </svg>
    </span>
  );
}
