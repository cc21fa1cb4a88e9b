// What a request to ks-apiserver is about, read from its method, path and query the way ks-apiserver's
// RequestInfoFactory does (kubesphere/kubesphere pkg/apiserver/request/requestinfo.go, itself an extension of
// k8s.io/apiserver's): Kubernetes paths (/api, /apis) and KubeSphere's own (/kapis), with KubeSphere's tenancy
// segments (clusters/{c}, workspaces/{w}, namespaces/{n}) and the resource scope its audit events carry in
// ObjectRef.ResourceVersion.

/** KubeSphere's resource scopes (pkg/apiserver/request: GlobalScope … DevOpsScope). */
export type ResourceScope = 'Global' | 'Cluster' | 'Workspace' | 'Namespace' | 'DevOps';

export interface RequestInfo {
  /** /api or /apis: proxied to kube-apiserver. */
  isKubernetesRequest: boolean;
  isResourceRequest: boolean;
  verb: string;
  apiGroup: string;
  apiVersion: string;
  cluster: string;
  workspace: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
  scope: ResourceScope;
  /** The request's `dryRun` query parameter was given (ks-apiserver does not audit those). */
  dryRun: boolean;
}

const METHOD_VERBS: Record<string, string> = {
  POST: 'create',
  GET: 'get',
  HEAD: 'get',
  PUT: 'update',
  PATCH: 'patch',
  DELETE: 'delete',
};

// Subresources of a namespace itself: /api/v1/namespaces/{name}/status is the namespace's status, not a
// resource named "status" inside it (k8s.io/apiserver namespaceSubresources).
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

export function requestInfo(method: string, url: URL): RequestInfo {
  const parts = url.pathname.split('/').filter((part) => part !== '');
  const info: RequestInfo = {
    isKubernetesRequest: parts[0] === 'api' || parts[0] === 'apis',
    isResourceRequest: false,
    verb: method.toLowerCase(),
    apiGroup: '',
    apiVersion: '',
    cluster: '',
    workspace: '',
    namespace: '',
    resource: '',
    subresource: '',
    name: '',
    scope: 'Global',
    dryRun: url.searchParams.has('dryRun'),
  };
  let rest: string[];
  if (parts[0] === 'api') {
    if (parts.length < 2) return withScope(info);
    info.apiVersion = parts[1] ?? '';
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' || parts[0] === 'kapis') {
    if (parts.length < 3) return withScope(info);
    info.apiGroup = parts[1] ?? '';
    info.apiVersion = parts[2] ?? '';
    rest = parts.slice(3);
  } else {
    return withScope(info);
  }
  if (rest.length === 0) return withScope(info);

  info.isResourceRequest = true;
  info.verb = METHOD_VERBS[method.toUpperCase()] ?? '';
  // The deprecated /watch/ prefix (k8s.io/apiserver still honours it).
  if (rest[0] === 'watch') {
    info.verb = 'watch';
    rest = rest.slice(1);
  }
  // KubeSphere's tenancy segments, outermost first; only /kapis has clusters/ and workspaces/.
  if (!info.isKubernetesRequest && rest[0] === 'clusters' && rest.length > 1) {
    info.cluster = rest[1] ?? '';
    rest = rest.slice(2);
  }
  if (!info.isKubernetesRequest && rest[0] === 'workspaces' && rest.length > 1) {
    info.workspace = rest[1] ?? '';
    // /workspaces/{w} alone is the workspace itself.
    if (rest.length > 2) rest = rest.slice(2);
  }
  if (rest[0] === 'namespaces' && rest.length > 1) {
    info.namespace = rest[1] ?? '';
    if (rest.length > 2 && !NAMESPACE_SUBRESOURCES.has(rest[2] ?? '')) rest = rest.slice(2);
  }
  info.resource = rest[0] ?? '';
  info.name = rest[1] ?? '';
  info.subresource = rest.slice(2).join('/');

  if (info.name === '' && info.verb === 'get') {
    info.verb = url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1' ? 'watch' : 'list';
    // A list narrowed to one name by field selector is about that object (k8s.io/apiserver does the same).
    const byName = /(?:^|,)metadata\.name==?([^,]+)/.exec(url.searchParams.get('fieldSelector') ?? '');
    if (byName?.[1]) info.name = byName[1];
  }
  if (info.name === '' && info.verb === 'delete') info.verb = 'deletecollection';
  return withScope(info);
}

function withScope(info: RequestInfo): RequestInfo {
  if (info.isKubernetesRequest) {
    info.scope = info.namespace ? 'Namespace' : 'Cluster';
  } else if (info.namespace) {
    info.scope = 'Namespace';
  } else if (info.workspace) {
    info.scope = 'Workspace';
  } else if (info.cluster) {
    info.scope = 'Cluster';
  }
  return info;
}
