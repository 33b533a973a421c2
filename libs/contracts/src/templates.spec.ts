import {
  type TemplateComponentView,
  renderTemplate,
  templateSlots,
  validateTemplateValues,
} from './templates';

const ORDER: TemplateComponentView[] = [
  { type: 'HEADER', format: 'IMAGE' },
  {
    type: 'BODY',
    text: 'Hola {{nombre}}, tu pedido {{pedido}} llega el {{nombre}}… no: {{fecha}}.',
  },
  { type: 'FOOTER', text: 'Tienda' },
  {
    type: 'BUTTONS',
    buttons: [
      { type: 'QUICK_REPLY', text: 'Gracias' },
      { type: 'URL', text: 'Ver', url: 'https://t.example/{{1}}' },
    ],
  },
];

describe('templateSlots', () => {
  it('lists a media header, each distinct body variable once in order, and URL buttons by position', () => {
    expect(templateSlots(ORDER)).toEqual([
      { component: 'header', index: 0, name: 'image', format: 'image' },
      { component: 'body', index: 0, name: 'nombre', format: 'text' },
      { component: 'body', index: 0, name: 'pedido', format: 'text' },
      { component: 'body', index: 0, name: 'fecha', format: 'text' },
      { component: 'button', index: 1, name: '1', format: 'text' },
    ]);
  });
});

describe('validateTemplateValues', () => {
  const ok = {
    header: 'https://cdn.example/p.jpg',
    body: ['Ana', '#1', 'lunes'],
    buttons: [{ index: 1, text: 'abc' }],
  };

  it('accepts values that fill every slot', () => {
    expect(validateTemplateValues(ORDER, ok)).toEqual([]);
  });

  it('names the count and format problems per field', () => {
    const problems = validateTemplateValues(ORDER, {
      header: 'http://insecure.example/p.jpg',
      body: ['Ana', '  '],
      buttons: [{ index: 0, text: 'x' }],
    });
    expect(problems.map((p) => [p.field, p.code])).toEqual([
      ['header', 'templateParameterFormat'],
      ['body', 'templateParameterCount'],
      ['body[1]', 'templateParameterFormat'],
      ['buttons[0]', 'templateParameterCount'],
    ]);
  });

  it('refuses new lines, tabs and runs of five spaces like Meta (132012)', () => {
    for (const bad of ['a\nb', 'a\tb', 'a     b']) {
      expect(validateTemplateValues(ORDER, { ...ok, body: [bad, '#1', 'x'] })).toEqual([
        expect.objectContaining({ field: 'body[0]', code: 'templateParameterFormat' }),
      ]);
    }
  });
});

describe('renderTemplate', () => {
  it('puts each value in every place of its variable and keeps the footer', () => {
    expect(renderTemplate(ORDER, { body: ['Ana', '#1', 'lunes'] })).toBe(
      'Hola Ana, tu pedido #1 llega el Ana… no: lunes.\n\nTienda',
    );
  });

  it('leaves an unfilled slot visible (the live preview while typing)', () => {
    expect(renderTemplate([{ type: 'BODY', text: 'Hola {{1}} y {{2}}' }], { body: ['Ana'] })).toBe(
      'Hola Ana y {{2}}',
    );
  });
});
