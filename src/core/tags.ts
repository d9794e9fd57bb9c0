/**
 * How a stored tag string splits into a key and a value (README "Tags"): `project:checkout` and `env=prod` are
 * key:value tags, a cloud cost-allocation tag `tag:team=search` has the key "team", and a tag with neither
 * separator ("prod", "sidechain") is a plain tag with no key. The first `:` or `=` separates; spaces around the
 * key and the value are dropped. Migration 0004 splits the tags stored before it with the same rules in SQL.
 */
export interface TagPair {
  key: string | undefined;
  value: string;
}

const trimSpaces = (s: string): string => s.replace(/^ +| +$/g, '');

export function tagPair(tag: string): TagPair {
  if (tag.startsWith('tag:')) {
    const eq = tag.indexOf('=');
    if (eq > 4) return { key: trimSpaces(tag.slice(4, eq)), value: trimSpaces(tag.slice(eq + 1)) };
  }
  const colon = tag.indexOf(':');
  const equals = tag.indexOf('=');
  const sep = colon < 0 ? equals : equals < 0 ? colon : Math.min(colon, equals);
  if (sep <= 0) return { key: undefined, value: trimSpaces(tag) };
  return { key: trimSpaces(tag.slice(0, sep)), value: trimSpaces(tag.slice(sep + 1)) };
}

/** The label of untagged spend in a by-tag breakdown. */
export const UNTAGGED = '(untagged)';
