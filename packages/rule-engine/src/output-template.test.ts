// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${…} is KubeSphere's reference syntax in rule text, not a template literal.
import { describe, expect, test } from 'vitest';
import { flattenEvent } from './flatten.ts';
import { compileOutputTemplate, defaultAlertMessage } from './output-template.ts';

const aliases: Record<string, string> = {
  user: 'User.username',
  name: 'ObjectRef.Name',
  namespace: 'ObjectRef.Namespace',
};
const resolveAlias = (placeholder: string) => aliases[placeholder];

const exec = {
  Verb: 'create',
  User: { username: 'alice' },
  ObjectRef: { Resource: 'pods', Namespace: 'demo', Name: 'web-1', Subresource: 'exec' },
  ResponseStatus: { code: 101 },
};

describe('compileOutputTemplate', () => {
  test.each([
    { name: 'resolves aliases to their fields', output: '${user} exec ${name}', expected: 'alice exec web-1' },
    {
      name: 'reads a placeholder that is no alias as a field path',
      output: '${user} ${ObjectRef.Subresource} Pod',
      expected: 'alice exec Pod',
    },
    { name: 'reads a top-level field', output: 'verb=${Verb}', expected: 'verb=create' },
    { name: 'renders a missing value as the empty string', output: '[${Workspace}] ${user}', expected: '[] alice' },
    { name: 'renders a number as Go prints it', output: 'code ${ResponseStatus.code}', expected: 'code 101' },
    { name: 'keeps text without placeholders', output: 'Something happened.', expected: 'Something happened.' },
    { name: 'finds a field whatever its case', output: '${User.Username}', expected: 'alice' },
    {
      name: 'renders the shipped AttachOrExecPod output',
      output: '${user} ${ObjectRef.Subresource} Pod ${name} in Namespace ${namespace}.',
      expected: 'alice exec Pod web-1 in Namespace demo.',
    },
  ])('$name', ({ output, expected }) => {
    expect(compileOutputTemplate(output, resolveAlias)(flattenEvent(exec))).toBe(expected);
  });
});

describe('defaultAlertMessage', () => {
  test.each([
    {
      name: 'names the workspace for a workspace-level resource',
      event: {
        User: { username: 'admin' },
        Verb: 'create',
        Workspace: 'demo',
        ObjectRef: { Resource: 'namespaces', Name: 'proj' },
      },
      expected: "admin create namespaces 'proj' in Workspace demo",
    },
    {
      name: 'names the DevOps project when set',
      event: {
        User: { username: 'admin' },
        Verb: 'delete',
        Workspace: 'demo',
        Devops: 'ci',
        ObjectRef: { Resource: 'pipelines', Name: 'build', Namespace: 'ci-ns' },
      },
      expected: "admin delete pipelines 'build' in Devops ci",
    },
    {
      name: 'names the namespace for a namespaced resource',
      event: {
        User: { username: 'alice' },
        Verb: 'patch',
        ObjectRef: { Resource: 'deployments', Name: 'web', Namespace: 'demo' },
      },
      expected: "alice patch deployments 'web' in Namespace demo",
    },
    {
      name: 'does not name a namespace for a namespace itself',
      event: {
        User: { username: 'alice' },
        Verb: 'delete',
        ObjectRef: { Resource: 'namespaces', Name: 'demo', Namespace: 'demo' },
      },
      expected: "alice delete namespaces 'demo'",
    },
    {
      name: 'ignores the workspace for a namespaced resource',
      event: {
        User: { username: 'alice' },
        Verb: 'update',
        Workspace: 'ws',
        ObjectRef: { Resource: 'configmaps', Name: 'cfg', Namespace: 'demo' },
      },
      expected: "alice update configmaps 'cfg' in Namespace demo",
    },
    {
      name: 'falls back to user, verb, resource and name',
      event: { User: { username: 'alice' }, Verb: 'create', ObjectRef: { Resource: 'clusterroles', Name: 'view' } },
      expected: "alice create clusterroles 'view'",
    },
  ])('$name', ({ event, expected }) => {
    expect(defaultAlertMessage(flattenEvent(event))).toBe(expected);
  });
});
