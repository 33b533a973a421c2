import type { RateCard, RateCardView } from '@conecta/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiPut } from '../../../lib/api-client';
import { integrationKeys } from './keys';

/** Replaces the rate card (`PUT /api/v1/usage/rate-card`, admins). */
export function saveRateCard(card: RateCard): Promise<RateCardView> {
  return apiPut<RateCardView>('/api/v1/usage/rate-card', card);
}

/** Saves the card; the usage views re-read their estimate. */
export function useSaveRateCard() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: saveRateCard,
    onSuccess: (saved) => {
      qc.setQueryData(integrationKeys.rateCard(), saved);
      return qc.invalidateQueries({ queryKey: integrationKeys.usages() });
    },
  });
}
