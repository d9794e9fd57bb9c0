/** "Did you mean …": the known values closest to a mistyped one (edit distance, case-insensitive). */
function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0] ?? 0;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j] ?? 0;
      prev[j] = Math.min(up + 1, (prev[j - 1] ?? 0) + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length] ?? 0;
}

/** Up to `max` known values within about half the typed value's length in edits, nearest first. */
export function closest(typed: string, known: readonly string[], max = 3): string[] {
  const t = typed.toLowerCase();
  const limit = t.length <= 3 ? 1 : t.length <= 5 ? 2 : Math.ceil(t.length / 2) + 1;
  return known
    .filter((k) => k !== '')
    .map((k) => {
      const l = k.toLowerCase();
      const d = l.includes(t) ? Math.min(1, distance(t, l)) : distance(t, l);
      return { k, d };
    })
    .filter((x) => x.d <= limit)
    .sort((a, b) => a.d - b.d || a.k.localeCompare(b.k))
    .slice(0, max)
    .map((x) => x.k);
}
