import { getRouteApi } from '@tanstack/react-router';
import { useMemo, useState } from 'react';
import { StatusMessage } from '../../../lib/status-message.tsx';
import { auditingSpecOverlay } from '../../../lib/yaml-editor/auditing-overlays.ts';
import { ResourceEditor } from '../../../lib/yaml-editor/resource-editor.tsx';
import { resourceDocumentSchema } from '../../../lib/yaml-editor/resource-schema.ts';
import type { JsonSchema } from '../../../lib/yaml-editor/types.ts';
import { useCrd } from '../api/get-crd.ts';
import { useCrdSchema } from '../api/get-crd-schema.ts';
import { type ObjectAddress, useResource } from '../api/get-resource.ts';
import { useResourceAccess } from '../api/get-resource-access.ts';
import { useSaveResource } from '../api/save-resource.ts';
import { useResourceWatch } from '../api/watch-resource.ts';
import { CrdBreadcrumbs } from '../components/crd-breadcrumbs.tsx';
import '../crds.css';

const routeApi = getRouteApi('/shell/crds/$name/objects/$object');

/**
 * One custom resource in the schema-aware YAML editor: the CRD's openAPIV3Schema (with audit-model's
 * stricter overlay for the auditing kinds) gives markers, completion and hover; the object's watch says
 * when someone else changes it; saving goes through the server's dry run and, on 409, the three-way merge.
 * A user the cluster would refuse gets a read-only editor with the cluster's reason.
 */
export function ResourcePage() {
  const { name: crdName, object } = routeApi.useParams();
  const search = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  const address: ObjectAddress = useMemo(
    () => ({ crd: crdName, namespace: search.namespace, object }),
    [crdName, search.namespace, object],
  );

  const crd = useCrd(crdName);
  const crdSchema = useCrdSchema(crdName);
  const resource = useResource(address);
  const access = useResourceAccess(address);
  const save = useSaveResource(address);

  // The watch follows the version the editor holds: the loaded one, then each one saved from here, so the
  // editor's own saves are not announced as someone else's change.
  const [savedVersion, setSavedVersion] = useState<string>();
  const remote = useResourceWatch(address, savedVersion ?? resource.data?.metadata?.resourceVersion);

  const schema = useMemo(() => {
    if (!crd.data) return undefined;
    return resourceDocumentSchema((crdSchema.data?.schema ?? undefined) as JsonSchema | undefined, {
      apiVersion: `${crd.data.group}/${crdSchema.data?.version ?? crd.data.version}`,
      kind: crd.data.kind,
      specOverlay: auditingSpecOverlay(crd.data.group, crd.data.kind),
    });
  }, [crd.data, crdSchema.data]);

  const kind = crd.data?.kind;
  const qualified = search.namespace ? `${search.namespace}/${object}` : object;
  const title = `${kind ?? crdName} ${qualified}`;
  const readOnlyReason = access.data && !access.data.update.allowed ? access.data.update.reason : undefined;
  // The editor starts once everything it is built from is known (a failed schema or access answer is no
  // reason to keep the user out: the cluster still decides on save).
  const ready = resource.data && crd.data && !crdSchema.isPending && !access.isPending;

  return (
    <section aria-labelledby="page-title" className="crds-page">
      <CrdBreadcrumbs crdName={crdName} {...(kind ? { kind } : {})} object={qualified} />
      <h1 id="page-title">
        {kind ?? crdName} <code>{qualified}</code>
      </h1>
      {resource.error ? <StatusMessage error={resource.error} /> : null}
      {crd.error ? <StatusMessage error={crd.error} /> : null}
      {crdSchema.data && !crdSchema.data.schema ? (
        <p className="muted">
          The CRD has no schema: the editor checks only the YAML syntax and the object's metadata.
        </p>
      ) : null}
      {crdSchema.error ? (
        <p className="muted">The CRD's schema could not be read, so the editor checks only the YAML syntax.</p>
      ) : null}
      {!ready && !resource.error && !crd.error ? <p className="muted">Loading {title}…</p> : null}
      {ready ? (
        <ResourceEditor
          key={`${crdName}/${qualified}`}
          loaded={resource.data}
          title={title}
          modelPath={`file:///auditorium/crds/${crdName}/${search.namespace ?? '_cluster'}/${object}.yaml`}
          schema={schema}
          readOnlyReason={readOnlyReason}
          save={save}
          remote={remote}
          showManagedFields={search.managedFields ?? false}
          onShowManagedFieldsChange={(managedFields) =>
            void navigate({
              search: (previous) => ({ ...previous, managedFields: managedFields || undefined }),
              replace: true,
            })
          }
          onSaved={(stored) => setSavedVersion(stored.metadata?.resourceVersion)}
        />
      ) : null}
    </section>
  );
}
