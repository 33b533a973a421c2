import {
  type ConversationView,
  type TemplateSlot,
  type TemplateValues,
  type TemplateView,
  renderTemplate,
  validateTemplateValues,
} from '@conecta/contracts';
import { useState } from 'react';
import { Button } from '../../../components/button';
import { Field, Input, Select } from '../../../components/field';
import { errorMessage } from '../../../lib/error-message';
import { useI18n } from '../../../lib/i18n/i18n';
import { useTemplates } from '../api/get-templates';
import { useSendTemplate } from '../api/send-template';
import { newKey, windowState } from './composer';

const keyOf = (t: Pick<TemplateView, 'name' | 'language'>) => `${t.name}|${t.language}`;

/** The values typed so far, in the shape the API takes (one entry per slot). */
function valuesOf(slots: readonly TemplateSlot[], typed: readonly string[]): TemplateValues {
  const values: TemplateValues = {};
  const body: string[] = [];
  const buttons: { index: number; text: string }[] = [];
  slots.forEach((slot, i) => {
    const value = typed[i] ?? '';
    if (slot.component === 'header') values.header = value;
    else if (slot.component === 'body') body.push(value);
    else buttons.push({ index: slot.index, text: value });
  });
  if (body.length > 0) values.body = body;
  if (buttons.length > 0) values.buttons = buttons;
  return values;
}

/**
 * Picks an approved template of the conversation's number, a field per parameter, and a live
 * preview of the text the customer will read. Shown at once when the 24-hour window is closed
 * (only templates can be sent then); otherwise behind a "Templates" button.
 */
export function TemplatePicker({
  conversation,
  now = Date.now,
}: {
  conversation: Pick<ConversationView, 'id' | 'integrationId' | 'channel' | 'windowEndsAt'>;
  now?: () => number;
}): React.JSX.Element | null {
  const { t } = useI18n();
  const [open, setOpen] = useState(() => !windowState(conversation, now()).open);
  const [selected, setSelected] = useState('');
  const [typed, setTyped] = useState<string[]>([]);
  const [key, setKey] = useState(newKey);
  const templates = useTemplates(open ? conversation.integrationId : null);
  const send = useSendTemplate();
  if (!conversation.integrationId) return null;
  if (!open) {
    return (
      <Button size="sm" onClick={() => setOpen(true)}>
        {t('templates.open')}
      </Button>
    );
  }
  const approved = (templates.data ?? []).filter((x) => x.status === 'APPROVED');
  const template = approved.find((x) => keyOf(x) === selected) ?? null;
  const values = template ? valuesOf(template.slots, typed) : {};
  const problems = template ? validateTemplateValues(template.components, values) : [];

  function slotLabel(slot: TemplateSlot): string {
    const name = `{{${slot.name}}}`;
    if (slot.component === 'header') {
      return slot.format === 'text'
        ? t('templates.slot.header', { name })
        : t('templates.slot.media', { kind: slot.format });
    }
    if (slot.component === 'body') return t('templates.slot.body', { name });
    return t('templates.slot.button', { n: String(slot.index + 1), name });
  }

  function submit(): void {
    if (!template || problems.length > 0 || send.isPending) return;
    send.mutate(
      {
        conversationId: conversation.id,
        idempotencyKey: key,
        name: template.name,
        language: template.language,
        ...values,
      },
      {
        onSuccess: () => {
          setTyped([]);
          setSelected('');
          setKey(newKey());
        },
      },
    );
  }

  return (
    <section className="template-picker stack" aria-label={t('templates.title')}>
      {templates.isLoading ? <p className="small muted">{t('common.loading')}</p> : null}
      {templates.isSuccess && approved.length === 0 ? (
        <p className="small muted">{t('templates.none')}</p>
      ) : null}
      {approved.length > 0 ? (
        <Field label={t('templates.choose')}>
          <Select
            value={selected}
            onChange={(e) => {
              setSelected(e.target.value);
              setTyped([]);
            }}
          >
            <option value="">{t('templates.choosePlaceholder')}</option>
            {approved.map((x) => (
              <option key={keyOf(x)} value={keyOf(x)}>
                {`${x.name} (${x.language}) · ${x.category}`}
              </option>
            ))}
          </Select>
        </Field>
      ) : null}
      {template
        ? template.slots.map((slot, i) => (
            <Field
              key={`${slot.component}-${slot.index}-${slot.name}`}
              label={slotLabel(slot)}
              error={
                typed[i] !== undefined
                  ? problems.find(
                      (p) =>
                        p.code === 'templateParameterFormat' &&
                        fieldOf(p.field, slot, template.slots, i),
                    )
                    ? t('templates.invalidValue')
                    : undefined
                  : undefined
              }
            >
              <Input
                value={typed[i] ?? ''}
                onChange={(e) => {
                  const next = [...typed];
                  next[i] = e.target.value;
                  setTyped(next);
                }}
              />
            </Field>
          ))
        : null}
      {template ? (
        <div>
          <p className="small muted">{t('templates.preview')}</p>
          <p className="template-preview" role="note" aria-label={t('templates.preview')}>
            {renderTemplate(template.components, values)}
          </p>
        </div>
      ) : null}
      {template ? (
        <div className="row">
          <Button
            variant="primary"
            size="sm"
            disabled={problems.length > 0}
            loading={send.isPending}
            onClick={submit}
          >
            {t('templates.send')}
          </Button>
        </div>
      ) : null}
      {send.isError ? (
        <p className="small text-danger" role="alert">
          {errorMessage(send.error, t)}
        </p>
      ) : null}
    </section>
  );
}

/** Whether a problem's field (`header`, `body[1]`, `buttons[0]`) is this slot's. */
function fieldOf(
  field: string,
  slot: TemplateSlot,
  slots: readonly TemplateSlot[],
  i: number,
): boolean {
  if (slot.component === 'header') return field === 'header';
  if (slot.component === 'button') return field === `buttons[${slot.index}]`;
  const bodyIndex = slots.slice(0, i).filter((s) => s.component === 'body').length;
  return field === `body[${bodyIndex}]`;
}
