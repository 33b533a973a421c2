import { useId, useRef, useState, type ReactNode } from 'react';
import {
  MEDIA_LIMITS,
  SENDABLE_MEDIA_KINDS,
  checkMediaFile,
  mediaKindOfMime,
} from '@conecta/contracts';
import { Icon } from '../../../components/icons';
import { fileSize } from '../../../lib/format';
import { mediaRuleKey } from '../../../lib/error-message';
import { useI18n } from '../../../lib/i18n/i18n';

/** Every type Meta takes for a kind an agent may send: the picker's `accept`. */
const ACCEPT = SENDABLE_MEDIA_KINDS.flatMap((k) => MEDIA_LIMITS[k].mimeTypes).join(',');

/**
 * Picks one file for the composer, by the picker button or by dropping it on `children`, and checks
 * it against Meta's limits (the shared rule the API applies too) before anything is uploaded. The
 * chosen file is shown with its size and can be removed; a refused one says why, under the field.
 */
export function AttachmentPicker({
  file,
  onChange,
  disabled,
  children,
}: {
  file: File | null;
  onChange: (file: File | null) => void;
  disabled?: boolean;
  children?: ReactNode;
}): React.JSX.Element {
  const { t, locale } = useI18n();
  const input = useRef<HTMLInputElement>(null);
  const errorId = useId();
  const [error, setError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);

  function choose(picked: File | undefined): void {
    if (!picked) return;
    const kind = mediaKindOfMime(picked.type || 'application/octet-stream');
    const rule = checkMediaFile(kind, { mimeType: picked.type, size: picked.size });
    if (rule === 'MEDIA_TOO_LARGE') {
      setError(
        t('media.tooLargeFor', {
          size: fileSize(picked.size, locale),
          max: fileSize(MEDIA_LIMITS[kind].maxBytes, locale),
        }),
      );
      return;
    }
    if (rule) {
      setError(t(mediaRuleKey(rule)));
      return;
    }
    setError(null);
    onChange(picked);
  }

  return (
    <div
      className={`attachment-drop${dragging ? ' attachment-dragging' : ''}`}
      onDragOver={(e) => {
        if (disabled) return;
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => {
        if (disabled) return;
        e.preventDefault();
        setDragging(false);
        choose(e.dataTransfer.files[0]);
      }}
    >
      {children}
      {dragging ? <div className="attachment-overlay">{t('media.dropHere')}</div> : null}
      <div className="row small">
        <input
          ref={input}
          type="file"
          accept={ACCEPT}
          hidden
          aria-hidden="true"
          tabIndex={-1}
          onChange={(e) => {
            choose(e.target.files?.[0]);
            e.target.value = '';
          }}
        />
        <button
          type="button"
          className="btn btn-ghost btn-sm"
          disabled={disabled}
          aria-describedby={error ? errorId : undefined}
          onClick={() => input.current?.click()}
        >
          <Icon name="file" />
          {t('media.attach')}
        </button>
        {file ? (
          <span className="attachment-chip">
            {file.name} · {fileSize(file.size, locale)}
            <button
              type="button"
              className="btn btn-ghost btn-sm"
              aria-label={t('media.remove', { name: file.name })}
              onClick={() => onChange(null)}
            >
              ×
            </button>
          </span>
        ) : null}
      </div>
      {error ? (
        <div id={errorId} role="alert" className="field-error small">
          {error}
        </div>
      ) : null}
    </div>
  );
}
