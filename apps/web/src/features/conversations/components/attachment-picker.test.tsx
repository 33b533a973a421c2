import { fireEvent, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { renderWithApp } from '../../../testing/render';
import { AttachmentPicker } from './attachment-picker';

function Harness({ onChange }: { onChange: (f: File | null) => void }): React.JSX.Element {
  const [file, setFile] = useState<File | null>(null);
  return (
    <AttachmentPicker
      file={file}
      onChange={(f) => {
        setFile(f);
        onChange(f);
      }}
    >
      <textarea aria-label="Mensaje" />
    </AttachmentPicker>
  );
}

const fileOf = (name: string, type: string, size: number) =>
  new File([new Uint8Array(size)], name, { type });

function fileInput(): HTMLInputElement {
  const el = document.querySelector<HTMLInputElement>('input[type="file"]');
  if (!el) throw new Error('no file input');
  return el;
}

describe('AttachmentPicker', () => {
  it('takes a PDF from the picker and shows it with its size; it can be removed', async () => {
    const changes: (File | null)[] = [];
    renderWithApp(<Harness onChange={(f) => changes.push(f)} />);
    expect(fileInput()).toHaveAttribute('accept', expect.stringContaining('application/pdf'));
    const user = userEvent.setup();
    await user.upload(fileInput(), fileOf('factura.pdf', 'application/pdf', 120 * 1024));
    expect(changes[0]?.name).toBe('factura.pdf');
    expect(screen.getByText(/factura\.pdf · 120 kB/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Quitar factura.pdf' }));
    expect(changes[1]).toBeNull();
  });

  it("refuses an image over Meta's 5 MB before any upload, saying the limit", async () => {
    const changes: (File | null)[] = [];
    renderWithApp(<Harness onChange={(f) => changes.push(f)} />);
    await userEvent.setup().upload(fileInput(), fileOf('foto.png', 'image/png', 6 * 1024 * 1024));
    expect(
      screen.getByText('El archivo pesa 6 MB; WhatsApp admite hasta 5 MB para este tipo.'),
    ).toHaveAttribute('role', 'alert');
    expect(changes).toEqual([]);
  });

  it('refuses a type WhatsApp does not take, dropped on the composer (in English)', () => {
    const changes: (File | null)[] = [];
    renderWithApp(<Harness onChange={(f) => changes.push(f)} />, { language: 'en' });
    const zone = screen.getByLabelText('Mensaje').parentElement as HTMLElement;
    fireEvent.dragOver(zone, { dataTransfer: { files: [] } });
    expect(screen.getByText('Drop the file to attach it')).toBeInTheDocument();
    fireEvent.drop(zone, { dataTransfer: { files: [fileOf('page.html', 'text/html', 10)] } });
    expect(screen.getByText(/^WhatsApp does not take this type of file/)).toHaveAttribute(
      'role',
      'alert',
    );
    expect(changes).toEqual([]);
    fireEvent.drop(zone, { dataTransfer: { files: [fileOf('nota.ogg', 'audio/ogg', 10)] } });
    expect(changes[0]?.name).toBe('nota.ogg');
    expect(screen.queryByText(/^WhatsApp does not take/)).not.toBeInTheDocument();
  });
});
