import type { ReactNode } from 'react';
import { Button } from './button';
import { Dialog } from './dialog';

export interface ConfirmDialogProps {
  title: ReactNode;
  description: ReactNode;
  confirmLabel: string;
  cancelLabel: string;
  closeLabel: string;
  pending: boolean;
  onConfirm: () => void;
  onClose: () => void;
}

/** Asks before a destructive action: Cancel, or a red confirm button that shows progress. */
export function ConfirmDialog(props: ConfirmDialogProps): React.JSX.Element {
  return (
    <Dialog
      title={props.title}
      description={props.description}
      onClose={props.onClose}
      closeLabel={props.closeLabel}
      footer={
        <>
          <Button onClick={props.onClose}>{props.cancelLabel}</Button>
          <Button variant="danger" loading={props.pending} onClick={props.onConfirm}>
            {props.confirmLabel}
          </Button>
        </>
      }
    />
  );
}
