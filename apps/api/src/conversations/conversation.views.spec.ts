import { maskPhone } from '@conecta/contracts';
import type { MessageRecord } from './conversation.types';
import { previewOf, scrubPhone, scrubPhoneNumbers, toMessageView } from './conversation.views';
import { decodeCursor, encodeCursor } from './cursor';
import { workspaceIdOf } from '../common/workspace-id';

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

  it('masks the national forms a customer types, without the country code', () => {
    const phone = '34611222333';
    for (const written of [
      '611 222 333',
      '(611) 222-333',
      '611222333',
      '611.222.333',
      '+34 611 22 23 33',
      '0034 611 222 333',
    ]) {
      expect(scrubPhone(`mi número es ${written}, gracias`, phone)).not.toMatch(/611/);
    }
    expect(scrubPhone('(611) 222-333', phone)).toBe('•••• 2333');
    // A UK number written nationally, with its trunk 0.
    expect(scrubPhone('call 07700 900123', '447700900123')).toBe('call •••• 0123');
    // Other numbers, and longer runs that merely contain the digits, stay.
    expect(scrubPhone('pedido 96112223334', phone)).toBe('pedido 96112223334');
    expect(scrubPhone('cuesta 611 euros', phone)).toBe('cuesta 611 euros');
  });

  it('masks a number of exactly seven national digits (the fewest a text must hold to be scanned), and one met again', () => {
    // 34 + 7 national digits: the national form is the shortest the scan looks for.
    const phone = '341234567';
    expect(scrubPhone('es el 123 45 67', phone)).toBe('es el •••• 4567');
    expect(scrubPhone('es el 123 45 6', phone)).toBe('es el 123 45 6');
    // The same phone again (its pattern kept), in another text: still masked, nothing else touched.
    expect(scrubPhone('1234567 y 1234568', phone)).toBe('•••• 4567 y 1234568');
  });
});

describe('scrubPhoneNumbers', () => {
  it('masks any phone-like number in a text, and leaves short numbers alone', () => {
    expect(scrubPhoneNumbers('User changed from +34 611 222 333 to (699) 888-777, code 1234')).toBe(
      'User changed from •••• 2333 to •••• 8777, code 1234',
    );
  });
});

describe('toMessageView', () => {
  it("scrubs the customer's number, in any format, from Meta's failure reason", () => {
    const failed: MessageRecord = {
      id: 'm1',
      workspaceId: workspaceIdOf('0'.repeat(24)),
      conversationId: 'c',
      role: 'assistant',
      channel: 'whatsapp',
      content: 'Hola',
      deleted: false,
      picture: null,
      externalMessageId: null,
      media: null,
      location: null,
      sharedContacts: null,
      replyToExternalId: null,
      sentFromBusinessApp: false,
      authorUserId: null,
      authorName: null,
      deliveryStatus: 'failed',
      deliveryUpdatedAt: null,
      errorCode: 131026,
      errorType: 'UNDELIVERABLE',
      errorReason: 'Message undeliverable to 611 222 333 (+34611222333)',
      failedPart: null,
      pricing: null,
      template: null,
      tokens: null,
      responseTime: null,
      firstTokenLatency: null,
      createdAt: new Date(0),
    };
    const view = toMessageView(failed, {
      channel: 'whatsapp',
      visitorId: '34611222333',
      contactPhone: null,
    });
    expect(view.failureReason).toBe('Message undeliverable to •••• 2333 (•••• 2333)');
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
