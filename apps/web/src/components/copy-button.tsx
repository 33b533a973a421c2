import { useEffect, useState } from 'react';
import { Button } from './button';
import { Icon } from './icons';

/** Copies a value to the clipboard and says so for a moment. */
export function CopyButton({
  value,
  label,
  copiedLabel,
}: {
  value: string;
  /** Accessible name, e.g. "Copiar URL de devolución de llamada". */
  label: string;
  copiedLabel: string;
}): React.JSX.Element {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const id = setTimeout(() => setCopied(false), 1800);
    return () => clearTimeout(id);
  }, [copied]);
  async function copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(value);
    } catch {
      // Without clipboard permission, select-and-copy still works on the visible value.
    }
    setCopied(true);
  }
  return (
    <Button size="sm" onClick={() => void copy()} aria-label={label}>
      <Icon name={copied ? 'check' : 'copy'} size={14} />
      <span aria-live="polite">{copied ? copiedLabel : label.split(' ')[0]}</span>
    </Button>
  );
}
