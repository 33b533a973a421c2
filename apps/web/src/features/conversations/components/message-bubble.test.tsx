import { screen } from '@testing-library/react';
import { message } from '../../../testing/fixtures';
import { renderWithApp } from '../../../testing/render';
import { MessageBubble } from './message-bubble';

function bubble(sentFromBusinessApp: boolean, language: 'es' | 'en') {
  return renderWithApp(
    <ol>
      <MessageBubble
        message={message({ role: 'assistant', deliveryStatus: 'sent', sentFromBusinessApp })}
        canManage={false}
        customerWroteAfter={false}
        retrying={false}
        onRetry={() => undefined}
      />
    </ol>,
    { language },
  );
}

describe('MessageBubble', () => {
  it('marks a message the owner sent from the WhatsApp Business app, in Spanish and English', () => {
    for (const [language, label] of [
      ['es', 'Enviado desde la app WhatsApp Business'],
      ['en', 'Sent from the WhatsApp Business app'],
    ] as const) {
      const view = bubble(true, language);
      expect(screen.getByRole('group', { name: label })).toHaveTextContent(label);
      view.unmount();
    }
  });

  it('labels the bot’s own reply as the bot', () => {
    bubble(false, 'en');
    expect(screen.getByRole('group', { name: 'Bot' })).not.toHaveTextContent(/WhatsApp Business/);
  });
});
