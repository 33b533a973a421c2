import type { RateCardView } from '@conecta/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiGet } from '../../../lib/api-client';
import { integrationKeys } from './keys';

/** The workspace's own prices per delivered message (`GET /api/v1/usage/rate-card`). */
export function getRateCard(): Promise<RateCardView> {
  return apiGet<RateCardView>('/api/v1/usage/rate-card');
}

export const rateCardQueryOptions = () =>
  queryOptions({ queryKey: integrationKeys.rateCard(), queryFn: getRateCard });

export function useRateCard() {
  return useQuery(rateCardQueryOptions());
}
