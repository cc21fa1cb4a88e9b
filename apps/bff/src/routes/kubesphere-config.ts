import {
  type AuditingSection,
  type ConfigProblem,
  findConfigProblems,
  kubesphereConfig,
  readAuditingSection,
  setAuditingEnable,
} from '@auditorium/audit-model';
import { AppsV1Api, CoreV1Api, PatchStrategy, setHeaderOptions, type V1ConfigMap } from '@kubernetes/client-node';
import { Hono } from 'hono';
import { z } from 'zod';
import { StatusError } from '../errors.ts';
import { type ConflictBody, dryRunParam, dryRunQuery, fieldManager, writeOrConflict } from '../kube/kube-object.ts';
import { type RolloutState, restartedAtAnnotation, rolloutState } from '../kube/rollout.ts';
import type { AuthenticatedEnv } from '../kube/user-kube.ts';
import { invalidStatusFromCauses, validate } from '../middleware/validator.ts';

/**
 * ks-apiserver's `auditing` switch in ConfigMap kubesphere-system/kubesphere-config (data key
 * kubesphere.yaml). Edits change that one key through the yaml Document API, so the admin's comments,
 * order and other sections stay; ks-apiserver reads the file only at start, hence the restart action.
 */
export interface KubesphereConfigView {
  auditing: AuditingSection;
  problems: ConfigProblem[];
  resourceVersion: string;
}

export interface KubesphereConfigWritten extends KubesphereConfigView {
  dryRun: boolean;
  /** ks-apiserver must restart to pick the change up (it reads kubesphere.yaml at start). */
  restartRequired: boolean;
}

function yamlText(configMap: V1ConfigMap): string | undefined {
  return configMap.data?.[kubesphereConfig.key];
}

function viewOf(configMap: V1ConfigMap): KubesphereConfigView {
  const text = yamlText(configMap);
  const resourceVersion = configMap.metadata?.resourceVersion ?? '';
  if (text === undefined) {
    return {
      auditing: { enable: false },
      problems: [
        {
          code: 'not-a-mapping',
          message: `ConfigMap ${kubesphereConfig.namespace}/${kubesphereConfig.name} has no ${kubesphereConfig.key} key, so ks-apiserver runs with its defaults (auditing off).`,
          fixable: false,
        },
      ],
      resourceVersion,
    };
  }
  const problems = findConfigProblems(text);
  const readable = !problems.some((problem) => problem.code === 'yaml-error' || problem.code === 'not-a-mapping');
  return { auditing: readable ? readAuditingSection(text) : { enable: false }, problems, resourceVersion };
}

const auditingEdit = z.object({
  enable: z.boolean({ message: 'enable must be true or false' }),
  resourceVersion: z
    .string({ message: 'resourceVersion is required: send the version you loaded' })
    .min(1, 'resourceVersion is required: send the version you loaded'),
});

/** The KubeSphere deployment that reads kubesphere.yaml; the console restarts it after a change. */
export const ksApiserver = { namespace: kubesphereConfig.namespace, name: 'ks-apiserver' } as const;

const configRef = { name: kubesphereConfig.name, namespace: kubesphereConfig.namespace };

/** kubectl writes the restart time as Go's RFC3339 (whole seconds). */
function rfc3339Now(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function kubesphereConfigRoutes() {
  return new Hono<AuthenticatedEnv>()
    .get('/', async (c) => {
      const core = c.var.userKube.kubeConfig.makeApiClient(CoreV1Api);
      return c.json(viewOf(await core.readNamespacedConfigMap(configRef)), 200);
    })
    .put('/auditing', validate('query', dryRunQuery), validate('json', auditingEdit), async (c) => {
      const core = c.var.userKube.kubeConfig.makeApiClient(CoreV1Api);
      const { enable, resourceVersion } = c.req.valid('json');
      const { dryRun } = c.req.valid('query');
      const current = await core.readNamespacedConfigMap(configRef);
      const text = yamlText(current) ?? '';
      let edited: string;
      try {
        edited = setAuditingEnable(text, enable);
      } catch (error) {
        throw new StatusError(
          invalidStatusFromCauses('ConfigMap', kubesphereConfig.name, [
            {
              reason: 'FieldValueInvalid',
              field: `data[${kubesphereConfig.key}]`,
              message: `${error instanceof Error ? error.message : String(error)}; fix the YAML by hand first`,
            },
          ]),
        );
      }
      // The version the user loaded, not the one just read: the apiserver refuses the write (409) if the
      // ConfigMap changed since the user looked at it.
      const body: V1ConfigMap = {
        ...current,
        metadata: { ...current.metadata, resourceVersion },
        data: { ...current.data, [kubesphereConfig.key]: edited },
      };
      const outcome = await writeOrConflict(
        () => core.replaceNamespacedConfigMap({ ...configRef, body, ...dryRunParam(dryRun), fieldManager }),
        async () => viewOf(await core.readNamespacedConfigMap(configRef)),
      );
      if (outcome.conflict) {
        const conflict: ConflictBody<KubesphereConfigView> = { status: outcome.status, live: outcome.live };
        return c.json(conflict, 409);
      }
      const wasEnabled = viewOf(current).auditing.enable;
      const written: KubesphereConfigWritten = {
        ...viewOf(outcome.stored),
        dryRun: dryRun === 'All',
        restartRequired: wasEnabled !== enable,
      };
      return c.json(written, 200);
    })
    .post('/restart-ks-apiserver', async (c) => {
      const apps = c.var.userKube.kubeConfig.makeApiClient(AppsV1Api);
      // What `kubectl rollout restart` sends: a new pod-template annotation, so the Deployment rolls.
      const patch = {
        spec: { template: { metadata: { annotations: { [restartedAtAnnotation]: rfc3339Now() } } } },
      };
      const deployment = await apps.patchNamespacedDeployment(
        { ...ksApiserver, body: patch, fieldManager },
        setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
      );
      const state: RolloutState = rolloutState(deployment);
      return c.json(state, 202);
    })
    .get('/rollout', async (c) => {
      const apps = c.var.userKube.kubeConfig.makeApiClient(AppsV1Api);
      const state: RolloutState = rolloutState(await apps.readNamespacedDeployment(ksApiserver));
      return c.json(state, 200);
    });
}
