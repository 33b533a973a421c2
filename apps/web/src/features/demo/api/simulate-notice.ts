import type { DemoNoticeInput, DemoNoticeResult } from '@conecta/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiPost } from '../../../lib/api-client';

/** Makes the fake Graph API send a signed management webhook (quality, template, alert…). */
export function simulateNotice(input: DemoNoticeInput): Promise<DemoNoticeResult> {
  return apiPost<DemoNoticeResult>('/api/v1/demo/whatsapp/notice', input);
}

export function useSimulateNotice() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: simulateNotice,
    // The integration card belongs to another feature's cache; refresh it by its root key.
    onSuccess: () => qc.invalidateQueries({ queryKey: ['integrations'] }),
  });
}
