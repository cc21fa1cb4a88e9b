import { useEffect, useState } from 'react';
import { api } from '../../../lib/api-client.ts';
import type { RemoteChange } from '../../../lib/yaml-editor/resource-editor.tsx';
import type { KubeObject } from '../../../lib/yaml-editor/resource-yaml.ts';
import type { ObjectAddress } from './get-resource.ts';

/** The URL of the object's watch stream (Server-Sent Events), built by the typed client. */
function watchUrl({ crd, namespace, object }: ObjectAddress, resourceVersion: string | undefined): string {
  const query = resourceVersion ? { resourceVersion } : {};
  const resources = api.crds[':name'].resources;
  const url = namespace
    ? resources[':namespace'][':objName'].watch.$url({ param: { name: crd, namespace, objName: object }, query })
    : resources[':objName'].watch.$url({ param: { name: crd, objName: object }, query });
  return url.pathname + url.search;
}

/**
 * The object's changes after `resourceVersion`, as they happen: the newest one, for the editor's
 * "changed while you edit" notice. EventSource reconnects by itself and resumes with Last-Event-ID.
 */
export function useResourceWatch(
  address: ObjectAddress,
  resourceVersion: string | undefined,
): RemoteChange | undefined {
  const [change, setChange] = useState<RemoteChange>();
  const url = resourceVersion ? watchUrl(address, resourceVersion) : undefined;
  useEffect(() => {
    if (!url) return;
    setChange(undefined);
    const source = new EventSource(url);
    const onChange = (type: RemoteChange['type']) => (event: MessageEvent<string>) => {
      try {
        setChange({ type, object: JSON.parse(event.data) as KubeObject });
      } catch {
        // A malformed frame says nothing reliable; the next one will.
      }
    };
    const modified = onChange('MODIFIED');
    const deleted = onChange('DELETED');
    source.addEventListener('MODIFIED', modified);
    source.addEventListener('DELETED', deleted);
    return () => source.close();
  }, [url]);
  return change;
}
