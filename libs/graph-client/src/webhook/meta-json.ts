/**
 * Serialises like Meta's webhook sender: `JSON.stringify`, then every non-ASCII UTF-16 unit as
 * `\uXXXX` (lowercase hex) and `/` as `\/`. Parsing the result gives back the same value.
 */
export function metaJsonStringify(value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError('value is not serialisable');
  return json.replace(/[\u0080-\uffff/]/g, (ch) =>
    ch === '/' ? '\\/' : `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
