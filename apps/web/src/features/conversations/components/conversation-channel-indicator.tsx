import type { Channel } from '@conecta/contracts';
import { ChannelIcon } from '../../../components/channel-icon';
import { Icon } from '../../../components/icons';
import { useI18n } from '../../../lib/i18n/i18n';

function initials(name: string): string {
  const parts = name
    .replace(/[^\p{L}\p{N} ]/gu, '')
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  return (parts[0]?.[0] ?? '') + (parts[1]?.[0] ?? '');
}

/** The contact's avatar with the channel's mark in the corner. */
export function ConversationChannelIndicator({
  channel,
  name,
}: {
  channel: Channel;
  name: string | null;
}): React.JSX.Element {
  const { t } = useI18n();
  const letters = name ? initials(name).toUpperCase() : '';
  return (
    <span className="channel-indicator">
      <span aria-hidden="true">{letters || <Icon name="user" size={16} />}</span>
      <ChannelIcon channel={channel} size={18} label={t(`conversations.channel.${channel}`)} />
    </span>
  );
}
