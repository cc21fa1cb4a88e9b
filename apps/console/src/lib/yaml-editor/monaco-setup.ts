// Imported only by the lazily loaded editor modules, so Monaco (about 1 MB gzip) stays out of the first bundle.
// The recipe and the version pin are in shared/reference/stack.md §4: monaco-editor 0.54.0 is the last release
// monaco-yaml 5.5 starts its worker with.
import { loader } from '@monaco-editor/react';
import * as monaco from 'monaco-editor';
import EditorWorker from 'monaco-editor/esm/vs/editor/editor.worker?worker';
import { configureMonacoYaml, type JSONSchema } from 'monaco-yaml';
import YamlWorker from './yaml.worker.ts?worker';

self.MonacoEnvironment = {
  getWorker(_workerId: string, label: string) {
    return label === 'yaml' ? new YamlWorker() : new EditorWorker();
  },
};

const monacoYaml = configureMonacoYaml(monaco, {
  // Schemas are given inline: the console may load nothing from another origin (CSP connect-src 'self').
  enableSchemaRequest: false,
  validate: true,
  hover: true,
  completion: true,
  schemas: [],
});

// Without this @monaco-editor/react fetches Monaco from a CDN.
loader.config({ monaco });

/** The schema of each open model, keyed by the model's URI. */
const schemasByModel = new Map<string, JSONSchema>();

function publishSchemas() {
  monacoYaml.update({
    schemas: [...schemasByModel].map(([modelUri, schema], index) => ({
      // Only an identifier (also shown as the source in hovers); nothing is fetched from it.
      uri: `inmemory://auditorium/schema-${index}.json`,
      // yaml-language-server matches `**/<pattern>` as a glob against the model URI, so the URI's path (no scheme,
      // whose colon the glob would not cross) names exactly one model.
      fileMatch: [monaco.Uri.parse(modelUri).path],
      schema,
    })),
  });
}

/** Validates, completes and documents the model at `modelUri` with `schema`; undefined removes it. */
export function setModelSchema(modelUri: string, schema: JSONSchema | undefined): void {
  if (schema) schemasByModel.set(modelUri, schema);
  else schemasByModel.delete(modelUri);
  publishSchemas();
}

export { monaco };
