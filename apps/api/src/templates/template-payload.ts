import { type TemplateComponentView, type TemplateValues, templateSlots } from '@conecta/contracts';
import type { TemplateComponent, TemplateParameter } from '@conecta/graph-client';

/** Meta's `template.components` of a send: the values (already validated) in their slots. */
export function templateComponents(
  components: readonly TemplateComponentView[],
  values: TemplateValues,
): TemplateComponent[] {
  const slots = templateSlots(components);
  const text = (name: string, value: string): TemplateParameter =>
    /^\d+$/.test(name)
      ? { type: 'text', text: value }
      : { type: 'text', text: value, parameter_name: name };
  const out: TemplateComponent[] = [];
  const header = slots.find((s) => s.component === 'header');
  if (header && values.header !== undefined) {
    const link = { link: values.header };
    const parameter: TemplateParameter =
      header.format === 'image'
        ? { type: 'image', image: link }
        : header.format === 'video'
          ? { type: 'video', video: link }
          : header.format === 'document'
            ? { type: 'document', document: link }
            : text(header.name, values.header);
    out.push({ type: 'header', parameters: [parameter] });
  }
  const body = slots.filter((s) => s.component === 'body');
  if (body.length > 0) {
    out.push({
      type: 'body',
      parameters: body.map((slot, i) => text(slot.name, values.body?.[i] ?? '')),
    });
  }
  for (const b of values.buttons ?? []) {
    out.push({
      type: 'button',
      sub_type: 'url',
      index: String(b.index),
      parameters: [{ type: 'text', text: b.text }],
    });
  }
  return out;
}
