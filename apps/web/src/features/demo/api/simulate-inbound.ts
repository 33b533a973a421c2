import type { DemoInboundInput, DemoInboundResult } from '@conecta/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiPost } from '../../../lib/api-client';

/** Makes the fake Graph API send a signed inbound webhook to our own endpoint. */
export function simulateInbound(input: DemoInboundInput): Promise<DemoInboundResult> {
  return apiPost<DemoInboundResult>('/api/v1/demo/whatsapp/inbound', input);
}

export function useSimulateInbound() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: simulateInbound,
    // The new conversation belongs to another feature's cache; refresh it by its root key.
    onSuccess: () => qc.invalidateQueries({ queryKey: ['conversations'] }),
  });
}
