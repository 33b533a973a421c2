import type { ReactNode } from 'react';

export function EmptyState({
  title,
  children,
  action,
  icon,
}: {
  title: string;
  children?: ReactNode;
  action?: ReactNode;
  icon?: ReactNode;
}): React.JSX.Element {
  return (
    <div className="empty-state">
      {icon ? <div aria-hidden="true">{icon}</div> : null}
      <h3>{title}</h3>
      {children ? <p className="small">{children}</p> : null}
      {action}
    </div>
  );
}

/** An error with a way out: the retry button. */
export function ErrorState({
  message,
  onRetry,
  retryLabel,
}: {
  message: string;
  onRetry?: () => void;
  retryLabel: string;
}): React.JSX.Element {
  return (
    <div className="error-state" role="alert">
      <span>{message}</span>
      {onRetry ? (
        <button type="button" className="btn btn-secondary btn-sm" onClick={onRetry}>
          {retryLabel}
        </button>
      ) : null}
    </div>
  );
}
