import { useEffect, useId, useRef, type ReactNode } from 'react';
import { createPortal } from 'react-dom';

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

export interface DialogProps {
  title: ReactNode;
  description?: ReactNode;
  onClose: () => void;
  children?: ReactNode;
  footer?: ReactNode;
  wide?: boolean;
  /** Selector of the element to focus first; default: the first focusable one. */
  initialFocus?: string;
  closeLabel: string;
}

/**
 * A modal dialog: `role="dialog"` + `aria-modal`, labelled by its title, focus trapped inside,
 * Escape closes, focus goes back to where it was when it closes.
 */
export function Dialog({
  title,
  description,
  onClose,
  children,
  footer,
  wide,
  initialFocus,
  closeLabel,
}: DialogProps): React.JSX.Element {
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const descId = useId();

  useEffect(() => {
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const node = ref.current;
    if (node) {
      const target =
        (initialFocus ? node.querySelector<HTMLElement>(initialFocus) : null) ??
        node.querySelector<HTMLElement>(`.dialog-body ${FOCUSABLE}`) ??
        node.querySelector<HTMLElement>(FOCUSABLE);
      (target ?? node).focus();
    }
    const root = document.getElementById('root');
    root?.setAttribute('inert', '');
    document.body.style.overflow = 'hidden';
    return () => {
      root?.removeAttribute('inert');
      document.body.style.overflow = '';
      previous?.focus();
    };
  }, [initialFocus]);

  function onKeyDown(e: React.KeyboardEvent<HTMLDivElement>): void {
    if (e.key === 'Escape') {
      e.stopPropagation();
      onClose();
      return;
    }
    if (e.key !== 'Tab' || !ref.current) return;
    const items = [...ref.current.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
      (el) => !el.hasAttribute('inert') && el.getAttribute('aria-hidden') !== 'true',
    );
    if (items.length === 0) {
      e.preventDefault();
      return;
    }
    const first = items[0];
    const last = items[items.length - 1];
    const active = document.activeElement;
    if (e.shiftKey && (active === first || active === ref.current)) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && active === last) {
      e.preventDefault();
      first.focus();
    }
  }

  return createPortal(
    // The backdrop is a layer, not a control: it catches the dialog's keys (Escape, the Tab trap)
    // as they bubble, and a press outside the dialog; keyboard users close with Escape.
    <div
      className="dialog-backdrop"
      role="presentation"
      onKeyDown={onKeyDown}
      onMouseDown={(e) => {
        if (e.target === e.currentTarget) onClose();
      }}
    >
      <div
        ref={ref}
        className={`dialog ${wide ? 'dialog-wide' : ''}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={description ? descId : undefined}
        tabIndex={-1}
      >
        <div className="dialog-header">
          <div className="stack-sm">
            <h2 id={titleId}>{title}</h2>
            {description ? (
              <p id={descId} className="muted small">
                {description}
              </p>
            ) : null}
          </div>
          <button
            type="button"
            className="btn btn-ghost btn-sm"
            onClick={onClose}
            aria-label={closeLabel}
          >
            <span aria-hidden="true">✕</span>
          </button>
        </div>
        {children ? <div className="dialog-body">{children}</div> : null}
        {footer ? <div className="dialog-footer">{footer}</div> : null}
      </div>
    </div>,
    document.body,
  );
}
