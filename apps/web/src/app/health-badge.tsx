import { useQuery } from '@tanstack/react-query';
import type { HealthResponse } from '@conecta/contracts';
import { apiGet } from '../lib/api-client';

export function HealthBadge(): JSX.Element {
  const health = useQuery({ queryKey: ['health'], queryFn: () => apiGet<HealthResponse>('/api/health') });
  if (health.isPending) return <p role="status">Comprobando el servidor…</p>;
  if (health.isError) return <p role="alert">El servidor no responde.</p>;
  return <p role="status">Servidor {health.data.status === 'ok' ? 'en línea' : 'con problemas'}</p>;
}
