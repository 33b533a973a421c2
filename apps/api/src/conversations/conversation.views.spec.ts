import { maskPhone } from '@conecta/contracts';
import { previewOf, scrubPhone } from './conversation.views';
import { decodeCursor, encodeCursor } from './cursor';

describe('maskPhone', () => {
  it('keeps the last four digits only', () => {
    expect(maskPhone('5215512345678')).toBe('•••• 5678');
    expect(maskPhone('+52 1 55 1234 5678')).toBe('•••• 5678');
    expect(maskPhone('123')).toBeNull();
    expect(maskPhone(null)).toBeNull();
  });
});

describe('scrubPhone', () => {
  it('masks the number however it is written, and leaves other numbers alone', () => {
    const phone = '5215512345678';
    expect(scrubPhone('llámame al +52 155 1234 5678 o al 555-0000', phone)).toBe(
      'llámame al •••• 5678 o al 555-0000',
    );
    expect(scrubPhone('5215512345678', phone)).toBe('•••• 5678');
    expect(scrubPhone('52.155.1234.5678!', phone)).toBe('•••• 5678!');
    expect(scrubPhone('hola', null)).toBe('hola');
  });
});

describe('previewOf', () => {
  it('collapses whitespace, shortens long text and labels bare media', () => {
    expect(previewOf('  hola\n\nmundo ')).toBe('hola mundo');
    expect(previewOf('x'.repeat(300))).toHaveLength(120);
    expect(previewOf('', 'image')).toBe('[image]');
  });
});

describe('cursors', () => {
  it('round-trip and refuse tampering with VALIDATION_FAILED', () => {
    const at = new Date('2030-01-01T00:00:00.123Z');
    const id = '0123456789abcdef01234567';
    expect(decodeCursor(encodeCursor({ at, id }))).toEqual({ at, id });
    expect(decodeCursor(undefined)).toBeNull();
    for (const bad of [
      'x',
      Buffer.from('[1,"zz"]').toString('base64url'),
      Buffer.from('{}').toString('base64url'),
    ]) {
      expect(() => decodeCursor(bad)).toThrow(
        expect.objectContaining({ code: 'VALIDATION_FAILED' }),
      );
    }
  });
});
