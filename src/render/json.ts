/** The only place that stringifies JSON. bigint (nano-USD) is written as an exact JSON integer. */
const MARK = '\u0000bigint:';

export function renderJson(value: unknown): string {
  const text = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `${MARK}${v}` : v), 2);
  return text.replace(/"\\u0000bigint:(-?\d+)"/g, '$1');
}
