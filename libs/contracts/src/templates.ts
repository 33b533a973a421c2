import type { FieldError } from './errors';

/** Template categories as Meta names them (pricing depends on them). */
export const TEMPLATE_CATEGORIES = ['MARKETING', 'UTILITY', 'AUTHENTICATION'] as const;
export type TemplateCategory = (typeof TEMPLATE_CATEGORIES)[number];

/** A component of a template definition, in Meta's shape (`HEADER`, `BODY`, `FOOTER`, `BUTTONS`). */
export interface TemplateComponentView {
  type: string;
  /** Headers: `TEXT`, `IMAGE`, `VIDEO`, `DOCUMENT` or `LOCATION`. */
  format?: string;
  text?: string;
  buttons?: { type: string; text?: string; url?: string; phone_number?: string }[];
}

/** What a parameter slot takes: text, or an https link to the header's media. */
export type TemplateSlotFormat = 'text' | 'image' | 'video' | 'document';

/** One value a send must supply. `name` is `1`, `2`… (positional) or the variable's name. */
export interface TemplateSlot {
  component: 'header' | 'body' | 'button';
  /** The button's position among the template's buttons; 0 for header and body. */
  index: number;
  name: string;
  format: TemplateSlotFormat;
}

/** `GET /api/v1/integrations/:id/templates` items. */
export interface TemplateView {
  id: string;
  integrationId: string;
  name: string;
  language: string;
  /** Meta's category; a value Meta adds later passes through. */
  category: string;
  /** `APPROVED`, `PENDING`, `REJECTED`, `PAUSED`, `DISABLED`… */
  status: string;
  components: TemplateComponentView[];
  slots: TemplateSlot[];
  qualityScore: string | null;
  rejectedReason: string | null;
  syncedAt: string;
}

/** `POST /api/v1/integrations/:id/templates/sync`. */
export interface TemplateSyncResult {
  total: number;
  added: number;
  updated: number;
  removed: number;
}

/** The values of a template send, in slot order. */
export interface TemplateValues {
  /** A TEXT header's one value, or the https link of an IMAGE/VIDEO/DOCUMENT header. */
  header?: string;
  /** The body's values, in the order of {@link templateSlots}. */
  body?: string[];
  /** The values of URL buttons with a parameter. */
  buttons?: { index: number; text: string }[];
}

/** `POST /api/v1/conversations/:id/templates` (an `Idempotency-Key` header makes a retry safe). */
export interface TemplateSendRequest extends TemplateValues {
  name: string;
  language: string;
}

/** `POST /api/v1/integrations/:id/templates/send`: the only way a business writes first. */
export interface TemplateStartRequest extends TemplateSendRequest {
  /** The customer's phone in E.164 (`+34600111222`). */
  to: string;
}

/** A phone number in E.164: a plus and 8 to 15 digits, no leading zero. */
export const E164_PATTERN = /^\+[1-9]\d{7,14}$/;

/** Meta's limits on parameter values (a header text value, a body value). */
export const TEMPLATE_VALUE_RULES = {
  headerTextMaxLength: 60,
  bodyValueMaxLength: 1024,
  buttonValueMaxLength: 2000,
} as const;

/** Refusals of a template send before anything reaches Meta (409 `details.reason`). */
export const TEMPLATE_REFUSALS = [
  'TEMPLATE_NOT_FOUND',
  'TEMPLATE_NOT_APPROVED',
  'MARKETING_OPTED_OUT',
] as const;
export type TemplateRefusal = (typeof TEMPLATE_REFUSALS)[number];

const SLOT = /\{\{\s*(\w+)\s*\}\}/g;

/** The distinct `{{…}}` variables of a text, in order of first appearance. */
function variablesOf(text: string | undefined): string[] {
  return [...new Set([...(text ?? '').matchAll(SLOT)].map((m) => m[1] ?? ''))];
}

/** Every value a send of this template must supply, in the order Meta expects them. */
export function templateSlots(components: readonly TemplateComponentView[]): TemplateSlot[] {
  const slots: TemplateSlot[] = [];
  for (const c of components) {
    if (c.type === 'HEADER') {
      const format = (c.format ?? 'TEXT').toUpperCase();
      if (format === 'TEXT') {
        for (const name of variablesOf(c.text))
          slots.push({ component: 'header', index: 0, name, format: 'text' });
      } else if (format === 'IMAGE' || format === 'VIDEO' || format === 'DOCUMENT') {
        slots.push({
          component: 'header',
          index: 0,
          name: format.toLowerCase(),
          format: format.toLowerCase() as TemplateSlotFormat,
        });
      }
    } else if (c.type === 'BODY') {
      for (const name of variablesOf(c.text))
        slots.push({ component: 'body', index: 0, name, format: 'text' });
    } else if (c.type === 'BUTTONS') {
      (c.buttons ?? []).forEach((b, index) => {
        if (b.type === 'URL') {
          for (const name of variablesOf(b.url))
            slots.push({ component: 'button', index, name, format: 'text' });
        }
      });
    }
  }
  return slots;
}

/**
 * Checks the values of a send against the template's slots: how many, and their format (Meta
 * refuses empty values, new lines or tabs in text, over-long values, and media that is not a link).
 * Returns the problems, empty when the values fit.
 */
export function validateTemplateValues(
  components: readonly TemplateComponentView[],
  values: TemplateValues,
): FieldError[] {
  const slots = templateSlots(components);
  const problems: FieldError[] = [];
  const header = slots.find((s) => s.component === 'header');
  const body = slots.filter((s) => s.component === 'body');
  const buttons = slots.filter((s) => s.component === 'button');
  const count = (field: string, expected: number, got: number) => {
    if (expected !== got) {
      problems.push({
        field,
        code: 'templateParameterCount',
        message: `expects ${expected} value(s), got ${got}`,
      });
    }
  };
  const text = (field: string, value: string, max: number, newlines: boolean) => {
    if (value.trim() === '') {
      problems.push({ field, code: 'templateParameterFormat', message: 'must not be empty' });
    } else if ([...value].length > max) {
      problems.push({
        field,
        code: 'templateParameterFormat',
        message: `exceeds ${max} characters`,
      });
    } else if (!newlines && /[\n\t]| {5,}/.test(value)) {
      problems.push({
        field,
        code: 'templateParameterFormat',
        message: 'must not hold new lines, tabs or more than 4 spaces in a row',
      });
    }
  };
  count('header', header ? 1 : 0, values.header !== undefined ? 1 : 0);
  if (header && values.header !== undefined) {
    if (header.format === 'text') {
      text('header', values.header, TEMPLATE_VALUE_RULES.headerTextMaxLength, false);
    } else if (!/^https:\/\/\S+$/i.test(values.header)) {
      problems.push({
        field: 'header',
        code: 'templateParameterFormat',
        message: `must be an https link to the ${header.format}`,
      });
    }
  }
  count('body', body.length, values.body?.length ?? 0);
  (values.body ?? []).forEach((v, i) =>
    text(`body[${i}]`, v, TEMPLATE_VALUE_RULES.bodyValueMaxLength, false),
  );
  const given = values.buttons ?? [];
  count('buttons', buttons.length, given.length);
  for (const b of given) {
    if (!buttons.some((s) => s.index === b.index)) {
      problems.push({
        field: `buttons[${b.index}]`,
        code: 'templateParameterCount',
        message: 'this button takes no value',
      });
    } else {
      text(`buttons[${b.index}]`, b.text, TEMPLATE_VALUE_RULES.buttonValueMaxLength, false);
    }
  }
  return problems;
}

/** The text the customer reads (header, body and footer with the values in place). */
export function renderTemplate(
  components: readonly TemplateComponentView[],
  values: TemplateValues,
): string {
  const fill = (text: string | undefined, list: readonly string[], names: readonly string[]) =>
    (text ?? '').replace(SLOT, (whole, name: string) => {
      const i = names.indexOf(name);
      return i >= 0 && list[i] !== undefined && list[i] !== '' ? (list[i] ?? whole) : whole;
    });
  const parts: string[] = [];
  for (const c of components) {
    if (c.type === 'HEADER' && (c.format ?? 'TEXT').toUpperCase() === 'TEXT') {
      parts.push(
        fill(c.text, values.header !== undefined ? [values.header] : [], variablesOf(c.text)),
      );
    } else if (c.type === 'BODY') {
      parts.push(fill(c.text, values.body ?? [], variablesOf(c.text)));
    } else if (c.type === 'FOOTER' && c.text) {
      parts.push(c.text);
    }
  }
  return parts.filter((p) => p.trim() !== '').join('\n\n');
}
