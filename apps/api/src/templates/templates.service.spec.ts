import { statusAfter, templateChangeOf } from './templates.service';

describe('template webhooks as changes to the stored template', () => {
  it('maps status events: REINSTATED and UNARCHIVED are approved again, FLAGGED changes no status', () => {
    expect(statusAfter('PAUSED')).toBe('PAUSED');
    expect(statusAfter('REINSTATED')).toBe('APPROVED');
    expect(statusAfter('UNARCHIVED')).toBe('APPROVED');
    expect(statusAfter('FLAGGED')).toBeUndefined();
  });

  it('a rejection keeps its reason and category; an approval clears the reason', () => {
    expect(
      templateChangeOf({
        field: 'message_template_status_update',
        event: 'REJECTED',
        templateId: '1',
        templateName: 'promo',
        language: 'es',
        reason: 'PROMOTIONAL',
        category: 'MARKETING',
      }),
    ).toEqual({
      which: { metaId: '1', name: 'promo', language: 'es' },
      change: { status: 'REJECTED', category: 'MARKETING', rejectedReason: 'PROMOTIONAL' },
    });
    expect(
      templateChangeOf({ field: 'message_template_status_update', event: 'APPROVED' })?.change,
    ).toEqual({ status: 'APPROVED', rejectedReason: null });
    expect(
      templateChangeOf({ field: 'message_template_status_update', event: 'FLAGGED' }),
    ).toBeNull();
  });

  it('a category change applies its new category; one announced ahead (correct_category) waits', () => {
    expect(
      templateChangeOf({
        field: 'template_category_update',
        templateName: 'order',
        language: 'es',
        previousCategory: 'UTILITY',
        newCategory: 'MARKETING',
      })?.change,
    ).toEqual({ category: 'MARKETING' });
    expect(
      templateChangeOf({
        field: 'template_category_update',
        templateName: 'order',
        correctCategory: 'MARKETING',
      }),
    ).toBeNull();
    expect(templateChangeOf({ field: 'account_alerts', alertType: 'X' })).toBeNull();
  });
});
