import { useMutation } from '@tanstack/react-query';
import { apiPost } from '../../../lib/api-client';
import type { ConnectionTestResult, TestWhatsAppCredentialsInput } from './types';

/** Checks credentials with Meta without saving anything. */
export function testCredentials(
  input: TestWhatsAppCredentialsInput,
): Promise<ConnectionTestResult> {
  return apiPost<ConnectionTestResult>('/api/v1/integrations/test', input);
}

export function useTestCredentials() {
  return useMutation({ mutationFn: testCredentials });
}
