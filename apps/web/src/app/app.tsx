import { QueryClientProvider } from '@tanstack/react-query';
import { queryClient } from '../lib/query-client';
import { HealthBadge } from './health-badge';

export function App(): JSX.Element {
  return (
    <QueryClientProvider client={queryClient}>
      <main>
        <h1>Conecta</h1>
        <p>El canal de WhatsApp para tu chatbot.</p>
        <HealthBadge />
      </main>
    </QueryClientProvider>
  );
}
