import {
  cloneElement,
  isValidElement,
  useId,
  type InputHTMLAttributes,
  type ReactElement,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from 'react';

interface ControlProps {
  id?: string;
  'aria-invalid'?: boolean;
  'aria-describedby'?: string;
  'aria-required'?: boolean;
}

export interface FieldProps {
  label: ReactNode;
  /** The control: an <Input>, <Textarea>, <Select> or any element taking id/aria props. */
  children: ReactElement<ControlProps>;
  description?: ReactNode;
  error?: string;
  required?: boolean;
  optionalLabel?: string;
  /** Extra content under the control (e.g. buttons). */
  after?: ReactNode;
  id?: string;
}

/** A labelled control with its description and its error, wired for screen readers. */
export function Field({
  label,
  children,
  description,
  error,
  required,
  optionalLabel,
  after,
  id,
}: FieldProps): React.JSX.Element {
  const autoId = useId();
  const controlId = id ?? children.props.id ?? `f${autoId}`;
  // An error that says what the description says is shown once, as the error.
  const hint = error !== undefined && description === error ? undefined : description;
  const descId = hint ? `${controlId}-desc` : undefined;
  const errId = error ? `${controlId}-err` : undefined;
  const describedBy = [errId, descId].filter(Boolean).join(' ') || undefined;
  const control = isValidElement(children)
    ? cloneElement(children, {
        id: controlId,
        'aria-invalid': error ? true : undefined,
        'aria-describedby': describedBy,
        'aria-required': required || undefined,
      })
    : children;
  return (
    <div className="field">
      <label className="field-label" htmlFor={controlId}>
        {label}
        {!required && optionalLabel ? (
          <span className="field-optional"> {optionalLabel}</span>
        ) : null}
      </label>
      {control}
      {after}
      {error ? (
        <p className="field-error" id={errId} role="alert">
          {error}
        </p>
      ) : null}
      {hint ? (
        <p className="field-description" id={descId}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}

export function Input(
  props: InputHTMLAttributes<HTMLInputElement> & { ref?: React.Ref<HTMLInputElement> },
): React.JSX.Element {
  const { className, ...rest } = props;
  return <input className={`input ${className ?? ''}`} {...rest} />;
}

export function Textarea(
  props: TextareaHTMLAttributes<HTMLTextAreaElement> & { ref?: React.Ref<HTMLTextAreaElement> },
): React.JSX.Element {
  const { className, ...rest } = props;
  return <textarea className={`textarea ${className ?? ''}`} {...rest} />;
}

export function Select(
  props: SelectHTMLAttributes<HTMLSelectElement> & { ref?: React.Ref<HTMLSelectElement> },
): React.JSX.Element {
  const { className, ...rest } = props;
  return <select className={`select ${className ?? ''}`} {...rest} />;
}
