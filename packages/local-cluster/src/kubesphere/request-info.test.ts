// How the stand-in reads a request, as ks-apiserver's RequestInfoFactory does: verbs, tenancy segments and the scope
// that KubeSphere events carry in ObjectRef.ResourceVersion.
import { describe, expect, test } from 'vitest';
import { requestInfo } from './request-info.ts';

const read = (method: string, path: string) => requestInfo(method, new URL(path, 'https://ks-apiserver'));

describe('requestInfo', () => {
  test.each([
    {
      name: 'a create in a namespace',
      method: 'POST',
      path: '/api/v1/namespaces/demo/configmaps',
      expected: { verb: 'create', namespace: 'demo', resource: 'configmaps', name: '', scope: 'Namespace' },
    },
    {
      name: 'a list without a name',
      method: 'GET',
      path: '/apis/apps/v1/namespaces/demo/deployments',
      expected: { verb: 'list', apiGroup: 'apps', apiVersion: 'v1', resource: 'deployments', scope: 'Namespace' },
    },
    {
      name: 'a watch by query parameter, narrowed to one name by field selector',
      method: 'GET',
      path: '/apis/auditing.kubesphere.io/v1alpha1/webhooks?watch=true&fieldSelector=metadata.name%3Dkube-auditing-webhook',
      expected: { verb: 'watch', resource: 'webhooks', name: 'kube-auditing-webhook', scope: 'Cluster' },
    },
    {
      name: 'a delete of a collection',
      method: 'DELETE',
      path: '/api/v1/namespaces/demo/secrets',
      expected: { verb: 'deletecollection', resource: 'secrets' },
    },
    {
      name: 'a subresource',
      method: 'POST',
      path: '/api/v1/namespaces/demo/pods/web-0/exec?command=date',
      expected: { verb: 'create', resource: 'pods', name: 'web-0', subresource: 'exec' },
    },
    {
      name: 'a namespace itself',
      method: 'GET',
      path: '/api/v1/namespaces/demo',
      expected: { verb: 'get', namespace: 'demo', resource: 'namespaces', name: 'demo', scope: 'Namespace' },
    },
    {
      name: "a namespace's status",
      method: 'PUT',
      path: '/api/v1/namespaces/demo/status',
      expected: { verb: 'update', resource: 'namespaces', name: 'demo', subresource: 'status' },
    },
    {
      name: 'the projects of a workspace',
      method: 'GET',
      path: '/kapis/tenant.kubesphere.io/v1alpha2/workspaces/demo-workspace/namespaces',
      expected: {
        isKubernetesRequest: false,
        verb: 'list',
        workspace: 'demo-workspace',
        resource: 'namespaces',
        scope: 'Workspace',
      },
    },
    {
      name: 'a discovery request (non-resource)',
      method: 'GET',
      path: '/apis/apps',
      expected: { isKubernetesRequest: true, isResourceRequest: false, verb: 'get', resource: '' },
    },
    {
      name: 'a dry run',
      method: 'POST',
      path: '/api/v1/namespaces/demo/configmaps?dryRun=All',
      expected: { verb: 'create', dryRun: true },
    },
  ])('$name', ({ method, path, expected }) => {
    expect(read(method, path)).toMatchObject(expected);
  });
});
