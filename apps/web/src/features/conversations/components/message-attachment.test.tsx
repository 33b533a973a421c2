import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mediaView as media, message } from '../../../testing/fixtures';
import { renderWithApp } from '../../../testing/render';
import { MessageBubble } from './message-bubble';

function show(overrides: Parameters<typeof message>[0], language: 'es' | 'en' = 'es') {
  return renderWithApp(
    <ol>
      <MessageBubble
        message={message({ id: 'm9', content: '[adjunto]', ...overrides })}
        canManage={false}
        customerWroteAfter={false}
        retrying={false}
        onRetry={() => undefined}
      />
    </ol>,
    { language },
  );
}

describe('a message’s attachment in the thread', () => {
  it('shows an image as a thumbnail that opens full size', async () => {
    show({ media: media({ caption: 'mi pedido' }) });
    const thumb = screen.getByRole('img', { name: 'Imagen' });
    expect(thumb).toHaveAttribute('src', '/api/v1/messages/m9/media');
    expect(screen.getByText('mi pedido')).toBeInTheDocument();
    expect(screen.queryByText('[adjunto]')).not.toBeInTheDocument();
    await userEvent.setup().click(screen.getByRole('button', { name: 'Abrir imagen' }));
    const dialog = await screen.findByRole('dialog', { name: 'Imagen' });
    expect(within(dialog).getByRole('img', { name: 'Imagen' })).toHaveClass('media-full');
  });

  it('shows a sticker as an image', () => {
    show({ media: media({ kind: 'sticker', mimeType: 'image/webp', sniffedType: 'image/webp' }) });
    expect(screen.getByRole('img', { name: 'Sticker' })).toBeInTheDocument();
  });

  it('shows a voice note as an audio player with its transcript, in Spanish and English', () => {
    for (const [language, label, transcript] of [
      ['es', 'Nota de voz', 'Transcripción'],
      ['en', 'Voice note', 'Transcript'],
    ] as const) {
      const view = show(
        {
          media: media({
            kind: 'audio',
            voice: true,
            mimeType: 'audio/ogg; codecs=opus',
            sniffedType: 'audio/ogg',
            transcript: '¿Tienen envío a Lima?',
          }),
        },
        language,
      );
      const player = screen.getByLabelText(label);
      expect(player.tagName).toBe('AUDIO');
      expect(player).toHaveAttribute('src', '/api/v1/messages/m9/media');
      expect(screen.getByText(new RegExp(transcript))).toBeInTheDocument();
      expect(screen.getByText('¿Tienen envío a Lima?')).toBeInTheDocument();
      view.unmount();
    }
  });

  it('shows a video as a video player', () => {
    show({ media: media({ kind: 'video', mimeType: 'video/mp4', sniffedType: 'video/mp4' }) });
    expect(screen.getByLabelText('Vídeo').tagName).toBe('VIDEO');
  });

  it('shows a document as a file card with its name, size and a download link', () => {
    show({
      media: media({
        kind: 'document',
        mimeType: 'application/pdf',
        sniffedType: 'application/pdf',
        fileName: 'factura.pdf',
        size: 123 * 1024,
      }),
    });
    const card = screen.getByRole('group', { name: 'Archivo factura.pdf' });
    expect(card).toHaveTextContent('factura.pdf');
    expect(card).toHaveTextContent('123 kB');
    const link = within(card).getByRole('link', { name: 'Descargar' });
    expect(link).toHaveAttribute('href', '/api/v1/messages/m9/media');
    expect(link).toHaveAttribute('download', 'factura.pdf');
  });

  it('never shows inline what the API would not serve inline (HTML sent as an image)', () => {
    show({ media: media({ mimeType: 'image/jpeg', sniffedType: null, fileName: 'x.html' }) });
    expect(screen.queryByRole('img')).not.toBeInTheDocument();
    expect(screen.getByRole('group', { name: 'Archivo x.html' })).toBeInTheDocument();
  });

  it('says a file is still downloading, or could not be kept with Meta’s words', () => {
    const view = show({ media: media({ state: 'pending' }) });
    expect(screen.getByText('Imagen: descargando…')).toBeInTheDocument();
    view.unmount();
    show(
      {
        media: media({
          state: 'failed',
          failureCode: 'MEDIA_EXPIRED',
          failureDetail: 'Object does not exist',
        }),
      },
      'en',
    );
    expect(screen.getByRole('note')).toHaveTextContent(
      'Image: could not be downloaded. Meta no longer keeps the file. (Meta: “Object does not exist”)',
    );
  });

  it('shows a location as a map link without loading a map', () => {
    show({
      location: {
        latitude: -12.05,
        longitude: -77.04,
        name: 'Tienda Centro',
        address: 'Jr. Lima 1',
      },
    });
    const link = screen.getByRole('link', { name: /Tienda Centro/ });
    expect(link).toHaveAttribute(
      'href',
      'https://www.openstreetmap.org/?mlat=-12.05&mlon=-77.04#map=17/-12.05/-77.04',
    );
    expect(link).toHaveTextContent('Jr. Lima 1');
    expect(screen.queryByRole('img')).not.toBeInTheDocument();
  });

  it('shows shared contacts as cards', () => {
    show({
      sharedContacts: [
        {
          name: 'Ana Pérez',
          phones: ['+51 999 000 111'],
          emails: ['ana@example.com'],
          company: null,
        },
      ],
    });
    const list = screen.getByRole('list', { name: 'Contactos compartidos' });
    expect(within(list).getByRole('listitem')).toHaveTextContent('Ana Pérez');
    expect(within(list).getByRole('listitem')).toHaveTextContent('+51 999 000 111');
  });
});
