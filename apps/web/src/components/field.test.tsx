import { render, screen } from '@testing-library/react';
import { Field, Input } from './field';

describe('Field', () => {
  it('shows the description under the control and links it for screen readers', () => {
    render(
      <Field label="Número" description="Solo dígitos.">
        <Input />
      </Field>,
    );
    expect(screen.getByRole('textbox', { name: 'Número' })).toHaveAccessibleDescription(
      'Solo dígitos.',
    );
  });

  it('says an error once when it repeats the description, and a different error beside it', () => {
    const { rerender } = render(
      <Field label="Número" description="Solo dígitos." error="Solo dígitos.">
        <Input />
      </Field>,
    );
    expect(screen.getAllByText('Solo dígitos.')).toHaveLength(1);
    expect(screen.getByRole('alert')).toHaveTextContent('Solo dígitos.');
    expect(screen.getByRole('textbox', { name: 'Número' })).toHaveAccessibleDescription(
      'Solo dígitos.',
    );

    rerender(
      <Field label="Número" description="Solo dígitos." error="Obligatorio.">
        <Input />
      </Field>,
    );
    expect(screen.getByRole('alert')).toHaveTextContent('Obligatorio.');
    expect(screen.getByText('Solo dígitos.')).toBeInTheDocument();
  });
});
