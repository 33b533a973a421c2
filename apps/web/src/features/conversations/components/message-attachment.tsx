import { useState } from 'react';
import {
  INLINE_MEDIA_TYPES,
  type MessageLocationView,
  type MessageMediaView,
  type SharedContactView,
} from '@conecta/contracts';
import { Dialog } from '../../../components/dialog';
import { Icon } from '../../../components/icons';
import { fileSize } from '../../../lib/format';
import { useI18n } from '../../../lib/i18n/i18n';

const INLINE = new Set<string>(INLINE_MEDIA_TYPES);

/** Where the API serves a message's kept file. */
export function mediaUrl(messageId: string): string {
  return `/api/v1/messages/${encodeURIComponent(messageId)}/media`;
}

/** An image thumbnail that opens full size in a dialog. */
function ImageThumb({ url, label }: { url: string; label: string }): React.JSX.Element {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        className="media-thumb"
        onClick={() => setOpen(true)}
        aria-label={t('conversations.media.open', { kind: label.toLowerCase() })}
      >
        <img src={url} alt={label} loading="lazy" />
      </button>
      {open ? (
        <Dialog title={label} onClose={() => setOpen(false)} closeLabel={t('common.close')} wide>
          <img className="media-full" src={url} alt={label} />
        </Dialog>
      ) : null}
    </>
  );
}

/** A file to download: its name, size and a download link. */
function FileCard({
  url,
  media,
  label,
}: {
  url: string;
  media: MessageMediaView;
  label: string;
}): React.JSX.Element {
  const { t, locale } = useI18n();
  const name = media.fileName ?? label;
  return (
    <div className="media-card" role="group" aria-label={t('conversations.media.file', { name })}>
      <Icon name="file" />
      <div className="media-card-body">
        <div className="media-card-name">{name}</div>
        {media.size !== null ? (
          <div className="small muted">{fileSize(media.size, locale)}</div>
        ) : null}
      </div>
      <a className="btn btn-secondary btn-sm" href={url} download={name}>
        <Icon name="download" />
        {t('conversations.media.download')}
      </a>
    </div>
  );
}

/**
 * A message's file as what it is: an image or sticker (thumbnail, full size on click), an audio
 * player with the voice note's transcript, a video player, or a file card. Only a file the API
 * serves inline (by its sniffed type) is shown inline; anything else is a download.
 */
export function MessageMedia({
  messageId,
  media,
}: {
  messageId: string;
  media: MessageMediaView;
}): React.JSX.Element {
  const { t } = useI18n();
  const label = media.voice
    ? t('conversations.media.voice')
    : t(`conversations.media.${media.kind}`);
  if (media.state === 'pending') {
    return (
      <div className="media-placeholder" role="status">
        <Icon name="clock" />
        <span>{t('conversations.media.pending', { kind: label })}</span>
      </div>
    );
  }
  if (media.state === 'failed') {
    const reason = media.failureCode
      ? t(`conversations.media.failure.${media.failureCode}`)
      : t('conversations.media.failure.MEDIA_DOWNLOAD_FAILED');
    return (
      <div className="media-placeholder media-failed" role="note">
        <Icon name="alert" />
        <span>
          {t('conversations.media.failed', { kind: label, reason })}
          {media.failureDetail ? ` (Meta: “${media.failureDetail}”)` : ''}
        </span>
      </div>
    );
  }
  const url = mediaUrl(messageId);
  const inline = media.sniffedType !== null && INLINE.has(media.sniffedType);
  if (inline && (media.kind === 'image' || media.kind === 'sticker')) {
    return <ImageThumb url={url} label={label} />;
  }
  if (inline && media.kind === 'audio') {
    return (
      <figure className="media-audio">
        {/* A customer's recording has no caption track; its transcript is shown beneath. */}
        {/* eslint-disable-next-line jsx-a11y/media-has-caption */}
        <audio controls preload="metadata" src={url} aria-label={label} />
        {media.transcript ? (
          <figcaption>
            <span className="small muted">{t('conversations.media.transcript')}: </span>
            <q>{media.transcript}</q>
          </figcaption>
        ) : null}
      </figure>
    );
  }
  if (inline && media.kind === 'video') {
    // A customer's video comes without a caption track; there is none to give it.
    return (
      // eslint-disable-next-line jsx-a11y/media-has-caption
      <video className="media-video" controls preload="metadata" src={url} aria-label={label} />
    );
  }
  return <FileCard url={url} media={media} label={label} />;
}

/** A shared location as a link to a map (no map tiles are fetched by the dashboard). */
export function LocationLink({ location }: { location: MessageLocationView }): React.JSX.Element {
  const { t } = useI18n();
  const { latitude, longitude } = location;
  const href = `https://www.openstreetmap.org/?mlat=${latitude}&mlon=${longitude}#map=17/${latitude}/${longitude}`;
  return (
    <a className="media-card" href={href} target="_blank" rel="noreferrer noopener">
      <Icon name="pin" />
      <span className="media-card-body">
        <span className="media-card-name">{location.name ?? t('conversations.location')}</span>
        {location.address ? <span className="small muted"> {location.address}</span> : null}
        <span className="small muted"> {t('conversations.location.open')}</span>
      </span>
    </a>
  );
}

/** Contact cards shared by the customer. */
export function ContactCards({ contacts }: { contacts: SharedContactView[] }): React.JSX.Element {
  const { t } = useI18n();
  return (
    <ul className="contact-cards" aria-label={t('conversations.contacts')}>
      {contacts.map((c, i) => (
        <li key={i} className="media-card">
          <Icon name="user" />
          <div className="media-card-body">
            <div className="media-card-name">{c.name ?? t('conversations.contacts.unnamed')}</div>
            {c.company ? <div className="small muted">{c.company}</div> : null}
            {c.phones.map((p) => (
              <div key={p} className="small">
                {p}
              </div>
            ))}
            {c.emails.map((e) => (
              <div key={e} className="small">
                {e}
              </div>
            ))}
          </div>
        </li>
      ))}
    </ul>
  );
}
