import { failureStatus } from '@auditorium/audit-model';
import type { KubeConfig } from '@kubernetes/client-node';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { StatusError } from '../errors.ts';
import { mapLimited } from '../kube/bounded-parallel.ts';
import {
  type CrdSummary,
  chosenVersion,
  countResources,
  crdMatches,
  customObjects,
  listCrds,
  type ResourceCount,
  resolveCrd,
  summarizeCrd,
} from '../kube/custom-resources.ts';
import { type ConflictBody, dryRunQuery, type KubeObject, writeOrConflict } from '../kube/kube-object.ts';
import { type Cell, cellsFor, compileColumns, needsAgeColumn, type PrinterColumn } from '../kube/printer-columns.ts';
import { type Capability, canI } from '../kube/self-review.ts';
import type { AuthenticatedEnv } from '../kube/user-kube.ts';
import { invalidStatusFromCauses, validate } from '../middleware/validator.ts';
import { streamObjectWatch, watchQuery } from './crds-watch.ts';

/**
 * Any CRD and its objects, as the signed-in user: search, printer-column lists, the schema for the
 * editor, and GET / PUT / PATCH (merge) with dryRun and 409-with-live-object, plus a watch of one object
 * so the editor can say "changed while you edit". Cluster-scoped objects live at
 * `resources/:objName`, namespaced ones at `resources/:namespace/:objName`.
 */
export interface CrdListItem extends CrdSummary {
  count?: ResourceCount;
}

export interface CrdList {
  items: CrdListItem[];
}

export interface CrdDetail extends CrdSummary {
  printerColumns: PrinterColumn[];
  /** Where the definition came from: the CRD itself, or API discovery when the user may not read CRDs. */
  source: 'crd' | 'discovery';
}

export interface CrdSchema {
  name: string;
  version: string;
  /** openAPIV3Schema of the version Auditorium reads and writes; null when the CRD has none or is unreadable. */
  schema: Record<string, unknown> | null;
}

export interface ResourceRow {
  name: string;
  namespace?: string;
  createdAt?: string;
  resourceVersion?: string;
  cells: Cell[];
}

export interface ResourceList {
  columns: PrinterColumn[];
  /** No printer column shows the creation time, so the console adds an Age column from `createdAt`. */
  ageColumn: boolean;
  namespaced: boolean;
  items: ResourceRow[];
  continue?: string;
  remainingItemCount?: number;
}

export interface ResourceWritten {
  object: KubeObject;
  dryRun: boolean;
}

/** What the user may do to the objects of a CRD (SelfSubjectAccessReview), so the console disables the rest. */
export interface ResourceAccess {
  update: Capability;
}

const listQuery = z.object({
  q: z.string().default(''),
  /** Count each CRD's objects (one list call per CRD); on by default. */
  counts: z.enum(['true', 'false']).default('true'),
  /** Only the CRDs of this scope. */
  scope: z.enum(['Namespaced', 'Cluster']).optional(),
});

const accessQuery = z.object({
  namespace: z.string().min(1).optional(),
  /** One object; without it the answer is about all objects (in the namespace). */
  object: z.string().min(1).optional(),
});

const resourcesQuery = z.object({
  namespace: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  continue: z.string().min(1).optional(),
});

const objectBody = z.looseObject({
  apiVersion: z.string().min(1, 'apiVersion is required'),
  kind: z.string().min(1, 'kind is required'),
  metadata: z.looseObject({
    name: z.string().min(1, 'metadata.name is required'),
    namespace: z.string().optional(),
    resourceVersion: z
      .string({ message: 'resourceVersion is required: send the object with the version you loaded' })
      .min(1, 'resourceVersion is required: send the object with the version you loaded'),
  }),
});

const mergePatchBody = z.record(z.string(), z.unknown());

async function target(kubeConfig: KubeConfig, crdName: string, namespace: string | undefined) {
  const { crd } = await resolveCrd(kubeConfig, crdName);
  if (crd.spec.scope === 'Namespaced' && namespace === undefined) {
    throw new StatusError(
      failureStatus(
        404,
        'NotFound',
        `${crdName} is namespaced: address its objects as /api/crds/${crdName}/resources/<namespace>/<name>.`,
      ),
    );
  }
  if (crd.spec.scope === 'Cluster' && namespace !== undefined) {
    throw new StatusError(
      failureStatus(
        404,
        'NotFound',
        `${crdName} is cluster-scoped: address its objects as /api/crds/${crdName}/resources/<name>.`,
      ),
    );
  }
  return { crd, objects: customObjects(kubeConfig, crd, namespace) };
}

/** The body must be the object the URL names, in a version the CRD serves. */
function checkBody(
  body: z.infer<typeof objectBody>,
  crd: Awaited<ReturnType<typeof target>>['crd'],
  namespace: string | undefined,
  name: string,
): string {
  const causes = [];
  const [group, version] = body.apiVersion.includes('/') ? body.apiVersion.split('/', 2) : ['', body.apiVersion];
  const served = crd.spec.versions.filter((candidate) => candidate.served).map((candidate) => candidate.name);
  if (group !== crd.spec.group || !version || !served.includes(version)) {
    causes.push({
      reason: 'FieldValueNotSupported',
      field: 'apiVersion',
      message: `must be ${served.map((candidate) => `${crd.spec.group}/${candidate}`).join(' or ')}`,
    });
  }
  if (body.kind !== crd.spec.names.kind) {
    causes.push({ reason: 'FieldValueInvalid', field: 'kind', message: `must be ${crd.spec.names.kind}` });
  }
  if (body.metadata.name !== name) {
    causes.push({ reason: 'FieldValueInvalid', field: 'metadata.name', message: `must be ${name}, as in the URL` });
  }
  if (namespace !== undefined && body.metadata.namespace !== undefined && body.metadata.namespace !== namespace) {
    causes.push({
      reason: 'FieldValueInvalid',
      field: 'metadata.namespace',
      message: `must be ${namespace}, as in the URL`,
    });
  }
  if (causes.length) throw new StatusError(invalidStatusFromCauses(crd.spec.names.kind, name, causes));
  return version!;
}

async function getObject(kubeConfig: KubeConfig, crdName: string, namespace: string | undefined, name: string) {
  const { objects } = await target(kubeConfig, crdName, namespace);
  return objects.get(name);
}

async function replaceObject(
  kubeConfig: KubeConfig,
  crdName: string,
  namespace: string | undefined,
  name: string,
  body: z.infer<typeof objectBody>,
  dryRun: 'All' | undefined,
) {
  const { crd, objects } = await target(kubeConfig, crdName, namespace);
  const version = checkBody(body, crd, namespace, name);
  const object = { ...body, metadata: { ...body.metadata, name, ...(namespace ? { namespace } : {}) } } as KubeObject;
  return writeOrConflict(
    () => objects.replace(name, object, dryRun, version),
    () => objects.get(name),
  );
}

async function patchObject(
  kubeConfig: KubeConfig,
  crdName: string,
  namespace: string | undefined,
  name: string,
  patch: Record<string, unknown>,
  dryRun: 'All' | undefined,
) {
  const { objects } = await target(kubeConfig, crdName, namespace);
  return writeOrConflict(
    () => objects.mergePatch(name, patch, dryRun),
    () => objects.get(name),
  );
}

/** A write's answer: 409 with the live object for the three-way merge, else what the server stored (or would). */
function writeAnswer(
  c: Context<AuthenticatedEnv>,
  outcome: Awaited<ReturnType<typeof replaceObject>>,
  dryRun: 'All' | undefined,
) {
  if (outcome.conflict) {
    const conflict: ConflictBody<KubeObject> = { status: outcome.status, live: outcome.live };
    return c.json(conflict, 409);
  }
  const written: ResourceWritten = { object: outcome.stored, dryRun: dryRun === 'All' };
  return c.json(written, 200);
}

export function crdRoutes() {
  return (
    new Hono<AuthenticatedEnv>()
      .get('/', validate('query', listQuery), async (c) => {
        const { q, counts, scope } = c.req.valid('query');
        const kubeConfig = c.var.userKube.kubeConfig;
        const crds = (await listCrds(kubeConfig)).filter(
          (crd) => (scope === undefined || crd.spec.scope === scope) && crdMatches(summarizeCrd(crd), q),
        );
        const items = await mapLimited(crds, 8, async (crd): Promise<CrdListItem> => {
          const item: CrdListItem = summarizeCrd(crd);
          if (counts === 'true') item.count = await countResources(kubeConfig, crd);
          return item;
        });
        items.sort((a, b) => a.name.localeCompare(b.name));
        const list: CrdList = { items };
        return c.json(list, 200);
      })
      .get('/:name', async (c) => {
        const { crd, source } = await resolveCrd(c.var.userKube.kubeConfig, c.req.param('name'));
        const detail: CrdDetail = {
          ...summarizeCrd(crd),
          printerColumns: compileColumns(chosenVersion(crd)).map(({ column }) => column),
          source,
        };
        return c.json(detail, 200);
      })
      .get('/:name/schema', async (c) => {
        const { crd } = await resolveCrd(c.var.userKube.kubeConfig, c.req.param('name'));
        const version = chosenVersion(crd);
        const schema: CrdSchema = {
          name: crd.metadata.name,
          version: version.name,
          schema: version.schema?.openAPIV3Schema ?? null,
        };
        return c.json(schema, 200);
      })
      .get('/:name/access', validate('query', accessQuery), async (c) => {
        const { namespace, object } = c.req.valid('query');
        const kubeConfig = c.var.userKube.kubeConfig;
        const { crd } = await resolveCrd(kubeConfig, c.req.param('name'));
        const question = {
          verb: 'update',
          group: crd.spec.group,
          resource: crd.spec.names.plural,
          ...(crd.spec.scope === 'Namespaced' && namespace ? { namespace } : {}),
          ...(object ? { name: object } : {}),
        };
        const access: ResourceAccess = { update: await canI(kubeConfig, question) };
        return c.json(access, 200);
      })
      .get('/:name/resources', validate('query', resourcesQuery), async (c) => {
        const query = c.req.valid('query');
        const kubeConfig = c.var.userKube.kubeConfig;
        const { crd } = await resolveCrd(kubeConfig, c.req.param('name'));
        const namespaced = crd.spec.scope === 'Namespaced';
        const objects = customObjects(kubeConfig, crd, namespaced ? query.namespace : undefined);
        const page = await objects.list({ limit: query.limit, continue: query.continue });
        const columns = compileColumns(chosenVersion(crd));
        const list: ResourceList = {
          columns: columns.map(({ column }) => column),
          ageColumn: needsAgeColumn(columns),
          namespaced,
          items: page.items.map((object) => {
            const row: ResourceRow = { name: object.metadata.name, cells: cellsFor(columns, object) };
            if (object.metadata.namespace) row.namespace = object.metadata.namespace;
            if (object.metadata.creationTimestamp) row.createdAt = object.metadata.creationTimestamp;
            if (object.metadata.resourceVersion) row.resourceVersion = object.metadata.resourceVersion;
            return row;
          }),
        };
        if (page.metadata?.continue) list.continue = page.metadata.continue;
        if (page.metadata?.remainingItemCount !== undefined) list.remainingItemCount = page.metadata.remainingItemCount;
        return c.json(list, 200);
      })
      // Registered before the namespaced GET, whose path it shares: for a namespaced CRD,
      // `resources/<ns>/watch` is the object named "watch", and the handler serves it as such.
      .get('/:name/resources/:objName/watch', validate('query', watchQuery), async (c) => {
        const { name, objName } = c.req.param();
        const kubeConfig = c.var.userKube.kubeConfig;
        const { crd } = await resolveCrd(kubeConfig, name);
        if (crd.spec.scope === 'Namespaced') {
          return c.json(await getObject(kubeConfig, name, objName, 'watch'), 200);
        }
        return streamObjectWatch(c, customObjects(kubeConfig, crd), objName, c.req.valid('query'));
      })
      .get('/:name/resources/:namespace/:objName/watch', validate('query', watchQuery), async (c) => {
        const { name, namespace, objName } = c.req.param();
        const { objects } = await target(c.var.userKube.kubeConfig, name, namespace);
        return streamObjectWatch(c, objects, objName, c.req.valid('query'));
      })
      .get('/:name/resources/:objName', async (c) => {
        const { name, objName } = c.req.param();
        return c.json(await getObject(c.var.userKube.kubeConfig, name, undefined, objName), 200);
      })
      .get('/:name/resources/:namespace/:objName', async (c) => {
        const { name, namespace, objName } = c.req.param();
        return c.json(await getObject(c.var.userKube.kubeConfig, name, namespace, objName), 200);
      })
      .put('/:name/resources/:objName', validate('query', dryRunQuery), validate('json', objectBody), async (c) => {
        const { name, objName } = c.req.param();
        const { dryRun } = c.req.valid('query');
        const outcome = await replaceObject(
          c.var.userKube.kubeConfig,
          name,
          undefined,
          objName,
          c.req.valid('json'),
          dryRun,
        );
        return writeAnswer(c, outcome, dryRun);
      })
      .put(
        '/:name/resources/:namespace/:objName',
        validate('query', dryRunQuery),
        validate('json', objectBody),
        async (c) => {
          const { name, namespace, objName } = c.req.param();
          const { dryRun } = c.req.valid('query');
          const outcome = await replaceObject(
            c.var.userKube.kubeConfig,
            name,
            namespace,
            objName,
            c.req.valid('json'),
            dryRun,
          );
          return writeAnswer(c, outcome, dryRun);
        },
      )
      .patch(
        '/:name/resources/:objName',
        validate('query', dryRunQuery),
        validate('json', mergePatchBody),
        async (c) => {
          const { name, objName } = c.req.param();
          const { dryRun } = c.req.valid('query');
          const outcome = await patchObject(
            c.var.userKube.kubeConfig,
            name,
            undefined,
            objName,
            c.req.valid('json'),
            dryRun,
          );
          return writeAnswer(c, outcome, dryRun);
        },
      )
      .patch(
        '/:name/resources/:namespace/:objName',
        validate('query', dryRunQuery),
        validate('json', mergePatchBody),
        async (c) => {
          const { name, namespace, objName } = c.req.param();
          const { dryRun } = c.req.valid('query');
          const outcome = await patchObject(
            c.var.userKube.kubeConfig,
            name,
            namespace,
            objName,
            c.req.valid('json'),
            dryRun,
          );
          return writeAnswer(c, outcome, dryRun);
        },
      )
  );
}
