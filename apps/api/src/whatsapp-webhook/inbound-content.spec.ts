import { fitOneMessage, splitText, toStoredInbound } from './inbound-content';

describe('toStoredInbound', () => {
  it('keeps text as it is and answers it', () => {
    expect(toStoredInbound({ type: 'text', text: '¿Tienen envío?' })).toEqual({
      content: '¿Tienen envío?',
      needsReply: true,
    });
  });

  it('labels media in Spanish and keeps the caption and the media id', () => {
    expect(
      toStoredInbound({
        type: 'image',
        media: { id: 'm1', mimeType: 'image/jpeg', caption: 'mi pedido' },
      }),
    ).toEqual({
      content: '[imagen] mi pedido',
      media: {
        id: 'm1',
        kind: 'image',
        mimeType: 'image/jpeg',
        caption: 'mi pedido',
        state: 'pending',
      },
      needsReply: true,
    });
    expect(toStoredInbound({ type: 'audio', media: { id: 'a', voice: true } }).content).toBe(
      '[nota de voz]',
    );
    expect(
      toStoredInbound({ type: 'document', media: { id: 'd', filename: 'factura.pdf' } }).media,
    ).toEqual({ id: 'd', kind: 'document', fileName: 'factura.pdf', state: 'pending' });
  });

  it('stores reactions without answering them', () => {
    expect(
      toStoredInbound({ type: 'reaction', reaction: { messageId: 'w', emoji: '👍' } }),
    ).toEqual({ content: '[reacción] 👍', needsReply: false });
  });

  it('uses the title of a tapped button or list row as the text', () => {
    expect(
      toStoredInbound({
        type: 'interactive',
        interactive: { type: 'button_reply', id: 'yes', title: 'Sí' },
      }).content,
    ).toBe('Sí');
  });

  it('describes a location', () => {
    expect(
      toStoredInbound({
        type: 'location',
        location: { latitude: 40.4, longitude: -3.7, name: 'Sol' },
      }).content,
    ).toBe('[ubicación] Sol (40.4, -3.7)');
  });
});

describe('splitText', () => {
  it('leaves a short text whole', () => {
    expect(splitText('hola')).toEqual(['hola']);
  });

  it('splits a long text at word breaks into parts within the limit', () => {
    const text = Array.from({ length: 2000 }, (_, i) => `palabra${i}`).join(' ');
    const parts = splitText(text, 4096);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(4096);
    expect(parts.join(' ')).toBe(text);
  });

  it('never cuts an emoji in half', () => {
    const text = '😀'.repeat(3000);
    const parts = splitText(text, 4095);
    for (const part of parts) expect(part).not.toMatch(/[\ud800-\udbff]$/);
    expect(parts.join('')).toBe(text);
  });
});

describe('fitOneMessage', () => {
  it('leaves a text that fits whole', () => {
    expect(fitOneMessage('hola', 10)).toBe('hola');
    expect(fitOneMessage('x'.repeat(10), 10)).toBe('x'.repeat(10));
  });

  it('shortens a long text to one message at its last sentence end, closed by an ellipsis', () => {
    const text = `${'Primera frase larga. '.repeat(150)}${'palabra '.repeat(400)}`;
    const fitted = fitOneMessage(text, 4096);
    expect(fitted.length).toBeLessThanOrEqual(4096);
    expect(fitted).toMatch(/larga\.…$/);
    expect(splitText(fitted)).toHaveLength(1);
  });

  it('falls back to a word break, and never cuts an emoji in half', () => {
    const words = fitOneMessage('palabra '.repeat(1000), 4096);
    expect(words.length).toBeLessThanOrEqual(4096);
    expect(words).toMatch(/palabra…$/);
    const emoji = fitOneMessage('😀'.repeat(3000), 4095);
    expect(emoji.length).toBeLessThanOrEqual(4095);
    expect(emoji.slice(0, -1)).not.toMatch(/[\ud800-\udbff]$/);
  });
});

describe('toStoredInbound details', () => {
  it('keeps a location for the map link and shared contacts for their cards', () => {
    expect(
      toStoredInbound({
        type: 'location',
        location: { latitude: -12.05, longitude: -77.04, name: 'Tienda' },
      }).details,
    ).toEqual({ location: { latitude: -12.05, longitude: -77.04, name: 'Tienda' } });
    expect(
      toStoredInbound({
        type: 'contacts',
        contacts: [
          {
            name: { firstName: 'Ana', lastName: 'Pérez' },
            phones: [{ phone: '+51 999 000 111' }],
            emails: [],
            urls: [],
            org: { company: 'ACME' },
          },
        ],
      }).details,
    ).toEqual({
      sharedContacts: [
        { name: 'Ana Pérez', phones: ['+51 999 000 111'], emails: [], company: 'ACME' },
      ],
    });
  });
});
