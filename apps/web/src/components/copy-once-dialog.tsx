import type { ReactNode } from 'react';
import { Button } from './button';
import { CopyButton } from './copy-button';
import { Dialog } from './dialog';

export interface CopyOnceDialogProps {
  title: string;
  description: ReactNode;
  /** The value shown only now (a new API key, an invitation link). */
  value: string;
  testId: string;
  doneLabel: string;
  copyLabel: string;
  copiedLabel: string;
  closeLabel: string;
  onClose: () => void;
}

/** Shows a value the server will not show again, with a copy button. */
export function CopyOnceDialog(props: CopyOnceDialogProps): React.JSX.Element {
  return (
    <Dialog
      title={props.title}
      description={props.description}
      onClose={props.onClose}
      closeLabel={props.closeLabel}
      footer={
        <Button variant="primary" onClick={props.onClose}>
          {props.doneLabel}
        </Button>
      }
    >
      <div className="readonly-value">
        <code data-testid={props.testId}>{props.value}</code>
        <CopyButton value={props.value} label={props.copyLabel} copiedLabel={props.copiedLabel} />
      </div>
    </Dialog>
  );
}
