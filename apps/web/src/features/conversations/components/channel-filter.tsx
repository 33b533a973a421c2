import type { Channel, ChannelCounts } from '@conecta/contracts';
import { ChannelIcon } from '../../../components/channel-icon';
import { useI18n, type MessageKey } from '../../../lib/i18n/i18n';

const OPTIONS: { value: Channel | undefined; label: MessageKey; countKey: keyof ChannelCounts }[] =
  [
    { value: undefined, label: 'conversations.channel.all', countKey: 'all' },
    { value: 'web', label: 'conversations.channel.web', countKey: 'web' },
    { value: 'whatsapp', label: 'conversations.channel.whatsapp', countKey: 'whatsapp' },
  ];

/** Todos, Web, WhatsApp — each with its count. Channels still "Próximamente" (Telegram) are no filter. */
export function ChannelFilter({
  value,
  counts,
  onChange,
}: {
  value: Channel | undefined;
  counts: ChannelCounts | undefined;
  onChange: (channel: Channel | undefined) => void;
}): React.JSX.Element {
  const { t } = useI18n();
  return (
    <div className="filters" role="group" aria-label={t('conversations.filterLabel')}>
      {OPTIONS.map((o) => {
        const count = counts?.[o.countKey];
        return (
          <button
            key={o.countKey}
            type="button"
            className="chip"
            aria-pressed={value === o.value}
            onClick={() => onChange(o.value)}
          >
            {o.value ? <ChannelIcon channel={o.value} size={16} /> : null}
            {t(o.label)}
            <span className="count" aria-label={count === undefined ? undefined : `(${count})`}>
              {count ?? '–'}
            </span>
          </button>
        );
      })}
    </div>
  );
}
