import type { AuditEvent } from '@auditorium/audit-model';

/** Quotes a shell word only when it needs it, so audit content cannot turn into extra shell syntax when pasted. */
function shellWord(word: string): string {
  if (/^[A-Za-z0-9._:/@%+=-]+$/.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * `kubectl get` for the object an event touched, or undefined when the event names no resource (a
 * non-resource URL such as /healthz). Deletions still get a command: the user learns the object is gone.
 */
export function kubectlGetCommand(event: Pick<AuditEvent, 'ObjectRef'>): string | undefined {
  const ref = event.ObjectRef;
  if (!ref?.Resource) return undefined;
  const resource = ref.APIGroup ? `${ref.Resource}.${ref.APIGroup}` : ref.Resource;
  const words = ['kubectl', 'get', resource];
  if (ref.Name) words.push(ref.Name);
  if (ref.Namespace) words.push('-n', ref.Namespace);
  words.push('-o', 'yaml');
  return words.map(shellWord).join(' ');
}
