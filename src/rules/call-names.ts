/** Building `Rule.callNames` from the qualified names a rule matches. */

/** Last segment of a qualified name, as the engine computes it: `get` for `requests.Session().get`. */
export function lastSegment(qname: string): string {
  return qname.slice(qname.lastIndexOf('.') + 1);
}

/** The distinct last segments of qualified names: `callNames` for a rule that matches calls by qname. */
export function lastSegments(...lists: Iterable<string>[]): string[] {
  const out = new Set<string>();
  for (const list of lists) for (const q of list) out.add(lastSegment(q));
  return [...out];
}
