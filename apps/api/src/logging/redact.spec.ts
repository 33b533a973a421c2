import { redactUrl } from './redact';

describe('redactUrl', () => {
  it('drops the query and the person from contact paths', () => {
    expect(redactUrl('/api/v1/contacts/whatsapp/34611222333')).toBe(
      '/api/v1/contacts/whatsapp/:visitorId',
    );
    expect(redactUrl('/api/v1/contacts/web/abc-session_1?x=1')).toBe(
      '/api/v1/contacts/web/:visitorId',
    );
    expect(redactUrl('/api/whatsapp/webhook?hub.verify_token=secret')).toBe(
      '/api/whatsapp/webhook',
    );
    expect(redactUrl('/api/v1/conversations/abc')).toBe('/api/v1/conversations/abc');
  });
});
