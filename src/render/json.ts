/** The only place that stringifies JSON. bigint (nano-USD) is written as an exact JSON integer. */
const MARK = '\u0000bigint:';

/** `indent` 0: one line (the HTML report's embedded data). */
export function renderJson(value: unknown, indent = 2): string {
  const text = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `${MARK}${v}` : v), indent);
  return text.replace(/"\\u0000bigint:(-?\d+)"/g, '$1');
}
