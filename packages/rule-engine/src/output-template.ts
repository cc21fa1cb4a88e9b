/**
 * Alert messages (reference §3.6). A rule's `output` is compiled once at load: each `${x}` becomes a field
 * read, where `x` is first an alias (`<own CR>.x`, then `x` as `<rule>.<item>`) and otherwise a field path of
 * the flattened event, so `${user}`, `${Verb}` and `${ObjectRef.Subresource}` all work. A missing value
 * renders as "" (KubeSphere printed Go's `%!s(<nil>)`), and non-string values print as Go would print them
 * for `%v` (KubeSphere's `%s` gave `%!s(float64=200)` for numbers).
 *
 * Without an `output`, KubeSphere builds a message from the event; `defaultAlertMessage` reproduces its
 * four cases.
 */
import { type FlatEvent, FlatKey } from './flatten.ts';
import { goSprint } from './go-format.ts';

export type MessageRenderer = (event: FlatEvent) => string;

const placeholderPattern = /\$\{(.*?)\}/g;

/**
 * @param resolveAlias returns the field path of the alias a placeholder names, or undefined when the
 *   placeholder is not an alias.
 */
export function compileOutputTemplate(
  output: string,
  resolveAlias: (placeholder: string) => string | undefined,
): MessageRenderer {
  const parts: Array<string | FlatKey> = [];
  let last = 0;
  for (const match of output.matchAll(placeholderPattern)) {
    const placeholder = match[1] as string;
    parts.push(output.slice(last, match.index));
    parts.push(new FlatKey((resolveAlias(placeholder) ?? placeholder).trim()));
    last = match.index + match[0].length;
  }
  parts.push(output.slice(last));
  return (event) => {
    let message = '';
    for (const part of parts) message += typeof part === 'string' ? part : text(event.lookup(part));
    return message;
  };
}

// KubeSphere names the workspace in messages about these resources, which live in a workspace.
const workspaceResources = new Set([
  'devops',
  'namespaces',
  'federatednamespaces',
  'workspaceroles',
  'federatedworkspaceroles',
  'workspacemembers',
]);

const namespaceResources = new Set(['namespaces', 'federatednamespaces']);

const fields = {
  user: new FlatKey('User.username'),
  verb: new FlatKey('Verb'),
  resource: new FlatKey('ObjectRef.Resource'),
  name: new FlatKey('ObjectRef.Name'),
  namespace: new FlatKey('ObjectRef.Namespace'),
  workspace: new FlatKey('Workspace'),
  devops: new FlatKey('Devops'),
};

/** KubeSphere's message for a rule without `output`, e.g. `alice delete pods 'web-1' in Namespace demo`. */
export function defaultAlertMessage(event: FlatEvent): string {
  const read = (key: FlatKey) => text(event.lookup(key));
  const resource = read(fields.resource);
  const base = `${read(fields.user)} ${read(fields.verb)} ${resource} '${read(fields.name)}'`;
  const workspace = read(fields.workspace);
  if (workspace !== '' && workspaceResources.has(resource)) return `${base} in Workspace ${workspace}`;
  const devops = read(fields.devops);
  if (devops !== '') return `${base} in Devops ${devops}`;
  const namespace = read(fields.namespace);
  if (namespace !== '' && !namespaceResources.has(resource)) return `${base} in Namespace ${namespace}`;
  return base;
}

function text(value: unknown): string {
  return value === null || value === undefined ? '' : goSprint(value);
}
