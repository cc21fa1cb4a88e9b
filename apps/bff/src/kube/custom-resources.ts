import { failureStatus } from '@auditorium/audit-model';
import { ApisApi, CustomObjectsApi, type KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { StatusError } from '../errors.ts';
import { isApiException, kubeStatus } from './kube-errors.ts';
import { dryRunParam, fieldManager, type KubeObject } from './kube-object.ts';

/**
 * CustomResourceDefinitions and their objects, read as raw JSON. client-node's typed models rename
 * schema keys (`$ref` → `ref`, `x-kubernetes-*` → `x_kubernetes_*`) and turn timestamps into Dates, which
 * would corrupt the schema we hand to the editor, so CRDs go through the untyped custom-objects API too.
 */
export interface CrdVersion {
  name: string;
  served: boolean;
  storage: boolean;
  schema?: { openAPIV3Schema?: Record<string, unknown> };
  additionalPrinterColumns?: PrinterColumnDefinition[];
}

export interface PrinterColumnDefinition {
  name: string;
  type: string;
  jsonPath: string;
  description?: string;
  format?: string;
  priority?: number;
}

export interface CustomResourceDefinition {
  metadata: { name: string; creationTimestamp?: string; resourceVersion?: string };
  spec: {
    group: string;
    scope: 'Namespaced' | 'Cluster';
    names: {
      kind: string;
      plural: string;
      singular?: string;
      listKind?: string;
      shortNames?: string[];
      categories?: string[];
    };
    versions: CrdVersion[];
  };
}

export interface CrdSummary {
  name: string;
  group: string;
  kind: string;
  plural: string;
  singular: string;
  shortNames: string[];
  categories: string[];
  scope: 'Namespaced' | 'Cluster';
  /** The version Auditorium reads and writes: the storage version when served, else the first served one. */
  version: string;
  versions: { name: string; served: boolean; storage: boolean }[];
  createdAt?: string;
}

const crdResource = { group: 'apiextensions.k8s.io', version: 'v1', plural: 'customresourcedefinitions' } as const;

export function chosenVersion(crd: CustomResourceDefinition): CrdVersion {
  const served = crd.spec.versions.filter((version) => version.served);
  const version = served.find((candidate) => candidate.storage) ?? served[0];
  if (!version) {
    throw new StatusError(
      failureStatus(404, 'NotFound', `CustomResourceDefinition ${crd.metadata.name} serves no version.`),
    );
  }
  return version;
}

export function summarizeCrd(crd: CustomResourceDefinition): CrdSummary {
  const { names } = crd.spec;
  const summary: CrdSummary = {
    name: crd.metadata.name,
    group: crd.spec.group,
    kind: names.kind,
    plural: names.plural,
    singular: names.singular ?? names.kind.toLowerCase(),
    shortNames: names.shortNames ?? [],
    categories: names.categories ?? [],
    scope: crd.spec.scope,
    version: chosenVersion(crd).name,
    versions: crd.spec.versions.map(({ name, served, storage }) => ({ name, served, storage })),
  };
  if (crd.metadata.creationTimestamp) summary.createdAt = crd.metadata.creationTimestamp;
  return summary;
}

/** Case-insensitive substring match on name, group, kind, plural, singular, short names and categories. */
export function crdMatches(summary: CrdSummary, query: string): boolean {
  const needle = query.trim().toLowerCase();
  if (!needle) return true;
  return [
    summary.name,
    summary.group,
    summary.kind,
    summary.plural,
    summary.singular,
    ...summary.shortNames,
    ...summary.categories,
  ].some((text) => text.toLowerCase().includes(needle));
}

export async function listCrds(kubeConfig: KubeConfig): Promise<CustomResourceDefinition[]> {
  const list = (await kubeConfig.makeApiClient(CustomObjectsApi).listClusterCustomObject(crdResource)) as {
    items: CustomResourceDefinition[];
  };
  return list.items;
}

export async function readCrd(kubeConfig: KubeConfig, name: string): Promise<CustomResourceDefinition> {
  return (await kubeConfig.makeApiClient(CustomObjectsApi).getClusterCustomObject({
    ...crdResource,
    name,
  })) as CustomResourceDefinition;
}

export type ResourceCount =
  | { state: 'exact'; value: number }
  | { state: 'at-least'; value: number }
  | { state: 'forbidden'; reason: string }
  | { state: 'unknown'; reason: string };

/**
 * How many objects a CRD has, as the user sees them: a list with limit=1 reports the rest in
 * `remainingItemCount`. A user who may not list cluster-wide gets `forbidden` with the cluster's reason.
 */
export async function countResources(kubeConfig: KubeConfig, crd: CustomResourceDefinition): Promise<ResourceCount> {
  try {
    const list = (await kubeConfig.makeApiClient(CustomObjectsApi).listClusterCustomObject({
      group: crd.spec.group,
      version: chosenVersion(crd).name,
      plural: crd.spec.names.plural,
      limit: 1,
    })) as { items: unknown[]; metadata?: { continue?: string; remainingItemCount?: number } };
    const seen = list.items.length;
    if (list.metadata?.remainingItemCount !== undefined) {
      return { state: 'exact', value: seen + list.metadata.remainingItemCount };
    }
    return list.metadata?.continue ? { state: 'at-least', value: seen + 1 } : { state: 'exact', value: seen };
  } catch (error) {
    const status = kubeStatus(error);
    if (!status) throw error;
    return isApiException(error) && error.code === 403
      ? { state: 'forbidden', reason: status.message }
      : { state: 'unknown', reason: status.message };
  }
}

export interface ObjectList {
  items: KubeObject[];
  metadata?: { continue?: string; remainingItemCount?: number; resourceVersion?: string };
}

/** The objects of one CRD at its chosen version, cluster-scoped or in one namespace, as the user. */
export function customObjects(kubeConfig: KubeConfig, crd: CustomResourceDefinition, namespace?: string) {
  const api = kubeConfig.makeApiClient(CustomObjectsApi);
  const resource = { group: crd.spec.group, version: chosenVersion(crd).name, plural: crd.spec.names.plural };
  const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
  const write = (dryRun: 'All' | undefined) => ({ ...dryRunParam(dryRun), fieldManager, fieldValidation: 'Strict' });
  return {
    resource,
    /** The watch path for client-node's Watch. */
    collectionPath: `/apis/${resource.group}/${resource.version}/${namespace ? `namespaces/${encodeURIComponent(namespace)}/` : ''}${resource.plural}`,
    async list(options: { limit?: number; continue?: string; fieldSelector?: string }): Promise<ObjectList> {
      const paging = { limit: options.limit, _continue: options.continue, fieldSelector: options.fieldSelector };
      return (
        namespace
          ? await api.listNamespacedCustomObject({ ...resource, namespace, ...paging })
          : await api.listClusterCustomObject({ ...resource, ...paging })
      ) as ObjectList;
    },
    async get(name: string): Promise<KubeObject> {
      return (
        namespace
          ? await api.getNamespacedCustomObject({ ...resource, namespace, name })
          : await api.getClusterCustomObject({ ...resource, name })
      ) as KubeObject;
    },
    async replace(name: string, body: KubeObject, dryRun: 'All' | undefined, version = resource.version) {
      const target = { ...resource, version, name, body, ...write(dryRun) };
      return (
        namespace
          ? await api.replaceNamespacedCustomObject({ ...target, namespace })
          : await api.replaceClusterCustomObject(target)
      ) as KubeObject;
    },
    async mergePatch(name: string, patch: Record<string, unknown>, dryRun: 'All' | undefined) {
      const target = { ...resource, name, body: patch, ...write(dryRun) };
      return (
        namespace
          ? await api.patchNamespacedCustomObject({ ...target, namespace }, mergePatch)
          : await api.patchClusterCustomObject(target, mergePatch)
      ) as KubeObject;
    },
  };
}

/**
 * The CRD as the user may see it. Reading CRDs is cluster-scoped, which a namespace tenant usually may
 * not; then API discovery (open to every authenticated user) still gives group, version, scope and
 * names, since a CRD's name is `<plural>.<group>`. Printer columns and the schema need the CRD itself.
 */
export async function resolveCrd(
  kubeConfig: KubeConfig,
  name: string,
): Promise<{ crd: CustomResourceDefinition; source: 'crd' | 'discovery' }> {
  try {
    return { crd: await readCrd(kubeConfig, name), source: 'crd' };
  } catch (error) {
    if (!isApiException(error) || error.code !== 403) throw error;
    const crd = await discoverCrd(kubeConfig, name);
    if (!crd) throw error;
    return { crd, source: 'discovery' };
  }
}

async function discoverCrd(kubeConfig: KubeConfig, name: string): Promise<CustomResourceDefinition | undefined> {
  const dot = name.indexOf('.');
  if (dot <= 0) return undefined;
  const plural = name.slice(0, dot);
  const group = name.slice(dot + 1);
  const groups = await kubeConfig.makeApiClient(ApisApi).getAPIVersions();
  const version = groups.groups.find((candidate) => candidate.name === group)?.preferredVersion?.version;
  if (!version) return undefined;
  const resources = await kubeConfig.makeApiClient(CustomObjectsApi).getAPIResources({ group, version });
  const resource = resources.resources.find((candidate) => candidate.name === plural);
  if (!resource) return undefined;
  const names: CustomResourceDefinition['spec']['names'] = { kind: resource.kind, plural };
  if (resource.singularName) names.singular = resource.singularName;
  if (resource.shortNames) names.shortNames = resource.shortNames;
  if (resource.categories) names.categories = resource.categories;
  return {
    metadata: { name },
    spec: {
      group,
      scope: resource.namespaced ? 'Namespaced' : 'Cluster',
      names,
      versions: [{ name: version, served: true, storage: true }],
    },
  };
}
