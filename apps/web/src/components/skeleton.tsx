export function Skeleton({
  width = '100%',
  height = 14,
  radius,
}: {
  width?: number | string;
  height?: number | string;
  radius?: number | string;
}): React.JSX.Element {
  return (
    <span className="skeleton" aria-hidden="true" style={{ width, height, borderRadius: radius }} />
  );
}

/** A labelled busy region holding skeleton rows. */
export function SkeletonList({
  rows = 4,
  label,
  height = 56,
}: {
  rows?: number;
  label: string;
  height?: number;
}): React.JSX.Element {
  return (
    <div role="status" aria-live="polite" aria-busy="true" className="stack-sm">
      <span className="visually-hidden">{label}</span>
      {Array.from({ length: rows }, (_, i) => (
        <Skeleton key={i} height={height} />
      ))}
    </div>
  );
}
