import { metaWordsOfStoredText } from './0021-message-failure-meta-words';

describe('0021 metaWordsOfStoredText', () => {
  it.each([
    [
      'messages: Graph API error 100 (HTTP 400): (#100) Invalid parameter',
      '(#100) Invalid parameter',
    ],
    [
      'media: Graph API error 1 (HTTP 500): An unknown error: occurred',
      'An unknown error: occurred',
    ],
  ])("takes Meta's message out of the client's English summary: %s", (stored, words) => {
    expect(metaWordsOfStoredText(stored)).toBe(words);
  });

  it.each([
    'messages: Graph API answered HTTP 502',
    'messages: network error (ECONNRESET): socket hang up',
    'messages: request timed out (ETIMEDOUT): timeout of 10000ms exceeded',
    'messages: invalid message: text.body is longer than 4096 characters',
    'the 24-hour window is closed: only a template can be sent',
    'error 131049',
    '120000000 bytes',
    'phone number status PENDING',
    'the phone number is not listed under the business account',
  ])('drops text that is only ours: %s', (stored) => {
    expect(metaWordsOfStoredText(stored)).toBeNull();
  });

  it.each([
    'Message failed to send because more than 24 hours have passed',
    'Re-engagement message',
  ])("keeps Meta's own words as they are: %s", (stored) => {
    expect(metaWordsOfStoredText(stored)).toBe(stored);
  });
});
