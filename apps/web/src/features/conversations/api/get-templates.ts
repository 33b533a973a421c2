import type { TemplateView } from '@conecta/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiGet } from '../../../lib/api-client';
import { conversationKeys } from './keys';

/** The number's templates as last synced (`GET /api/v1/integrations/:id/templates`). */
export function getTemplates(integrationId: string): Promise<TemplateView[]> {
  return apiGet<TemplateView[]>(
    `/api/v1/integrations/${encodeURIComponent(integrationId)}/templates`,
  );
}

export const templatesQueryOptions = (integrationId: string) =>
  queryOptions({
    queryKey: conversationKeys.templates(integrationId),
    queryFn: () => getTemplates(integrationId),
    staleTime: 60_000,
  });

export function useTemplates(integrationId: string | null) {
  return useQuery({ ...templatesQueryOptions(integrationId ?? ''), enabled: !!integrationId });
}
